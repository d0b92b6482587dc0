package io.agentnet.agents;

import io.agentnet.bridge.config.Environment;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.agentnet.mcp.McpRoles;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeVerticle;
import io.agentnet.runtime.launch.Role;
import io.agentnet.runtime.store.BusKeyValueStore;
import io.agentnet.runtime.store.Buckets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In NATS mode a workflow's record is written to JetStream KV through the bridge, which takes time. Whoever hears
 * {@code workflow.completed} and reads the workflow must get the final record: here every final write is held back
 * on the bus for a while, so an event sent before the write lands would be caught reading the record before it.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsModeWorkflowEndTest {

  private static final long WRITE_DELAY_MS = 500;
  private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

  private NatsServerProcess nats;
  private Vertx vertx;
  private NodeVerticle node;
  private final AtomicInteger heldBack = new AtomicInteger();

  @BeforeAll
  void startNetwork() throws Exception {
    nats = NatsServerProcess.start();
    vertx = Vertx.vertx();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (isFinalWorkflowWrite(delivery.message().address(), delivery.body())) {
        heldBack.incrementAndGet();
        vertx.setTimer(WRITE_DELAY_MS, t -> delivery.next());
      } else {
        delivery.next();
      }
    });
    Path workspace = Files.createTempDirectory("agentnet-nats-end");
    AppConfig config = AppConfig.of(new JsonObject(), new Environment(Map.of("NATS_URL", nats.url(),
        "AGENT_HEARTBEAT_INTERVAL", "1", "METRICS_INTERVAL", "3600", "WORKSPACE_DIR", workspace.toString(),
        "MCP_FILESYSTEM_PORT", "0", "MCP_PROXMOX_PORT", "0", "MCP_CLOUD_PORT", "0")));
    List<Role> roles = new ArrayList<>(McpRoles.roles(List.of("proxmox", "filesystem"), config));
    roles.addAll(AgentRoles.allInOne(config));
    node = new NodeVerticle(config, "nats-end-test", roles);
    vertx.deployVerticle(node).await(60, TimeUnit.SECONDS);
  }

  private static boolean isFinalWorkflowWrite(String address, Object body) {
    if (!BusKeyValueStore.DEFAULT_ADDRESS.equals(address) || !(body instanceof JsonObject request)) {
      return false;
    }
    JsonObject value = request.getJsonObject("value");
    return Buckets.WORKFLOWS.equals(request.getString("bucket")) && value != null
        && List.of("put", "update").contains(request.getString("op")) && TERMINAL.contains(value.getString("status"));
  }

  @AfterAll
  void stop() throws Exception {
    if (vertx != null) {
      node.shutdownInOrder().await(60, TimeUnit.SECONDS); // as the jar does: roles first, the bridge last
      vertx.close().await(60, TimeUnit.SECONDS);
    }
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void whoeverHearsTheEndReadsTheFinalRecord(VertxTestContext ctx) throws Exception {
    Checkpoint readFinal = ctx.checkpoint();
    // chosen here, so the consumer knows it before the submit returns, however late that is
    String id = "nats-end-" + UUID.randomUUID();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
      JsonObject data = m.body().getJsonObject("data", new JsonObject());
      if (!id.equals(data.getString("workflow_id"))
          || !m.body().getString("event_type", "").equals("workflow.completed")) {
        return;
      }
      vertx.eventBus().<JsonObject>request("ai.orchestrator.get", new JsonObject().put("workflow_id", id))
          .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
            assertThat(heldBack.get()).as("the final write was held back").isPositive();
            assertThat(reply.body().getString("status")).as("the record read on hearing the end")
                .isEqualTo("completed");
            readFinal.flag();
          })));
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<JsonObject>request("ai.orchestrator.submit", new JsonObject().put("workflow_id", id)
        .put("workflow_type", "health_check").put("parameters", new JsonObject())).await(10, TimeUnit.SECONDS);
    assertThat(ctx.awaitCompletion(60, TimeUnit.SECONDS)).as("workflow completed and read").isTrue();
    if (ctx.failed()) {
      throw new AssertionError(ctx.causeOfFailure());
    }
  }
}
