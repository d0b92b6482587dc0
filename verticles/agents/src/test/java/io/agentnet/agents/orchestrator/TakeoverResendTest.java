package io.agentnet.agents.orchestrator;

import io.agentnet.agents.AgentRoles;
import io.agentnet.bridge.config.Environment;
import io.agentnet.mcp.McpRoles;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeVerticle;
import io.agentnet.runtime.launch.Role;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leader writes a step as assigned before it sends the task. If it dies in between, the specialist never gets
 * the task: the orchestrator that takes over sends it again at once, rather than leaving the step until its
 * deadline (60 s for health_check's diagnose, past this test's limit).
 */
@ExtendWith(VertxExtension.class)
class TakeoverResendTest {

  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTaskTheOldLeaderNeverSentIsSentByItsSuccessor(VertxTestContext ctx) throws Exception {
    vertx = Vertx.vertx();
    Path workspace = Files.createTempDirectory("agentnet-takeover");
    // the old leader's own hand-out must not time out and re-place the step while the test runs
    AppConfig config = AppConfig.of(new JsonObject().put("orchestrator", new JsonObject().put("handOutTimeoutMs", 120_000)),
        new Environment(Map.of("AGENT_HEARTBEAT_INTERVAL", "1", "METRICS_INTERVAL", "3600",
            "WORKSPACE_DIR", workspace.toString(), "MCP_FILESYSTEM_PORT", "0", "MCP_PROXMOX_PORT", "0",
            "MCP_CLOUD_PORT", "0")));
    List<Role> roles = new ArrayList<>(McpRoles.roles(List.of("proxmox"), config));
    roles.add(AgentRoles.specialist(config, "general", false));
    vertx.deployVerticle(new NodeVerticle(config, "takeover-test", roles)).await(60, TimeUnit.SECONDS);

    // the old leader's first hand-out is lost, as if it died just after writing the assignment
    AtomicBoolean dropNext = new AtomicBoolean(true);
    Promise<String> lost = Promise.promise();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      String address = delivery.message().address();
      if (address.startsWith("ai.agents.") && address.endsWith(".task") && dropNext.compareAndSet(true, false)) {
        lost.complete(((JsonObject) delivery.body()).getString("task_id"));
        return;
      }
      delivery.next();
    });
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion().await(5, TimeUnit.SECONDS);

    String oldLeader = vertx.deployVerticle(AgentRoles.orchestrator(config, false).verticle().get())
        .await(30, TimeUnit.SECONDS);
    String id = vertx.eventBus().<JsonObject>request("ai.orchestrator.submit", new JsonObject()
        .put("workflow_type", "health_check").put("parameters", new JsonObject()))
        .await(10, TimeUnit.SECONDS).body().getString("workflow_id");
    String taskId = lost.future().await(10, TimeUnit.SECONDS);
    vertx.undeploy(oldLeader).await(30, TimeUnit.SECONDS);

    Checkpoint completed = ctx.checkpoint();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
      if ("workflow.completed".equals(m.body().getString("event_type"))
          && id.equals(m.body().getJsonObject("data", new JsonObject()).getString("workflow_id"))) {
        ctx.verify(() -> {
          List<JsonObject> runs = events.stream().filter(e -> "task.started".equals(e.getString("event_type"))
              && taskId.equals(e.getJsonObject("data").getString("task_id"))).toList();
          assertThat(runs).as("the lost task, run once under its own id").hasSize(1);
          completed.flag();
        });
      }
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.deployVerticle(AgentRoles.orchestrator(config, false).verticle().get()).await(30, TimeUnit.SECONDS);

    assertThat(ctx.awaitCompletion(30, TimeUnit.SECONDS)).as("the workflow completed well before the step's 60 s deadline")
        .isTrue();
    if (ctx.failed()) {
      throw new AssertionError(ctx.causeOfFailure());
    }
  }
}
