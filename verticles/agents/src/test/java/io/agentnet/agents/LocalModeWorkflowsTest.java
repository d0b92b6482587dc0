package io.agentnet.agents;

import io.agentnet.bridge.config.Environment;
import io.agentnet.mcp.McpRoles;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeVerticle;
import io.agentnet.runtime.launch.Role;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The all-in-one set of roles in one JVM with no NATS (the embedded default): the MCP servers with
 * the Proxmox simulator, three specialists, the orchestrator and the monitor on the local event
 * bus. The seed's workflows run to completion, a bad request is refused naming what is wrong, and
 * a cancel stops a workflow.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalModeWorkflowsTest {

  private Vertx vertx;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startNetwork() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(200).setMaxEventLoopExecuteTime(200)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    Path workspace = Files.createTempDirectory("agentnet-local");
    AppConfig config = AppConfig.of(new JsonObject(), new Environment(Map.of("AGENT_HEARTBEAT_INTERVAL", "1",
        "METRICS_INTERVAL", "3600", "WORKSPACE_DIR", workspace.toString(), "MCP_FILESYSTEM_PORT", "0",
        "MCP_PROXMOX_PORT", "0", "MCP_CLOUD_PORT", "0")));
    List<Role> roles = new ArrayList<>(McpRoles.roles(List.of("proxmox", "filesystem"), config));
    roles.addAll(AgentRoles.allInOne(config));
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));
    vertx.deployVerticle(new NodeVerticle(config, "local-test", roles)).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  private String submit(String type, JsonObject parameters) throws Exception {
    JsonObject reply = vertx.eventBus().<JsonObject>request("ai.orchestrator.submit", new JsonObject()
        .put("workflow_type", type).put("parameters", parameters)).await(10, TimeUnit.SECONDS).body();
    return reply.getString("workflow_id");
  }

  private JsonObject awaitFinished(String id) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      for (JsonObject e : events) {
        JsonObject data = e.getJsonObject("data", new JsonObject());
        if (id.equals(data.getString("workflow_id")) && List.of("workflow.completed", "workflow.failed",
            "workflow.cancelled").contains(e.getString("event_type"))) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("workflow " + id + " did not finish within 60 s");
  }

  private JsonObject get(String id) throws Exception {
    return vertx.eventBus().<JsonObject>request("ai.orchestrator.get", new JsonObject().put("workflow_id", id))
        .await(10, TimeUnit.SECONDS).body();
  }

  @Test
  void vmDeploymentCreatesAndStartsTheVm() throws Exception {
    String id = submit("vm_deployment", new JsonObject().put("name", "local-web").put("cores", 1).put("memory_mb", 512));
    JsonObject done = awaitFinished(id);
    assertThat(done.getString("event_type")).as(done.encode()).isEqualTo("workflow.completed");
    JsonObject steps = get(id).getJsonObject("steps");
    assertThat(steps.getJsonObject("verify").getJsonObject("result").getString("status")).isEqualTo("running");
    assertThat(steps.getJsonObject("create").getString("agent_id")).startsWith("specialist-");
  }

  @Test
  void healthCheckAndResourceOptimizationComplete() throws Exception {
    String health = submit("health_check", new JsonObject());
    String optimization = submit("resource_optimization", new JsonObject());
    assertThat(awaitFinished(health).getString("event_type")).isEqualTo("workflow.completed");
    JsonObject done = awaitFinished(optimization);
    assertThat(done.getString("event_type")).as(done.encode()).isEqualTo("workflow.completed");
    JsonObject report = get(optimization).getJsonObject("steps").getJsonObject("report").getJsonObject("result");
    assertThat(report.containsKey("before")).isTrue();
    assertThat(report.containsKey("after")).isTrue();
  }

  @Test
  void aBadRequestIsRefusedNamingWhatIsWrong(VertxTestContext ctx) {
    vertx.eventBus().request("ai.orchestrator.submit", new JsonObject().put("workflow_type", "vm_deployment")
            .put("parameters", new JsonObject().put("name", "x").put("cores", "many")))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ReplyException) e).failureCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("cores");
          vertx.eventBus().request("ai.orchestrator.submit", new JsonObject().put("workflow_type", "make_coffee")
              .put("parameters", new JsonObject())).onComplete(ctx.failing(e2 -> ctx.verify(() -> {
                assertThat(e2.getMessage()).contains("make_coffee").contains("vm_deployment");
                ctx.completeNow();
              })));
        })));
  }

  @Test
  void aCancelledWorkflowEndsCancelled() throws Exception {
    String id = "local-cancel-" + UUID.randomUUID();
    // its tasks after the first never reach a specialist: it cannot finish before the cancel, however slow this is
    AtomicInteger handOuts = new AtomicInteger();
    Handler<DeliveryContext<Object>> holdBack = delivery -> {
      if (delivery.message().address().endsWith(".task") && delivery.body() instanceof JsonObject task
          && id.equals(task.getString("workflow_id")) && handOuts.incrementAndGet() > 1) {
        return;
      }
      delivery.next();
    };
    vertx.eventBus().addOutboundInterceptor(holdBack);
    try {
      vertx.eventBus().<JsonObject>request("ai.orchestrator.submit", new JsonObject().put("workflow_id", id)
          .put("workflow_type", "vm_deployment").put("parameters", new JsonObject().put("name", "local-cancel")
              .put("cores", 1).put("memory_mb", 256))).await(10, TimeUnit.SECONDS);
      JsonObject reply = vertx.eventBus().<JsonObject>request("ai.orchestrator.cancel", new JsonObject()
          .put("workflow_id", id)).await(10, TimeUnit.SECONDS).body();
      assertThat(reply.getString("status")).isIn("cancelled", "cancelling");
      assertThat(awaitFinished(id).getString("event_type")).isEqualTo("workflow.cancelled");
      assertThat(get(id).getString("status")).isEqualTo("cancelled");
    } finally {
      vertx.eventBus().removeOutboundInterceptor(holdBack);
    }
  }
}
