package io.agentnet.runtime.mcp;

import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.mcp.client.McpClient;
import io.agentnet.runtime.mcp.client.McpException;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.service.Discovery;
import io.nats.service.PingResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MCP over the event bus, then across NATS through the bridge's mcp-&lt;server&gt; micro service. */
class McpBusAndNatsTest {

  private static final Duration T = Duration.ofSeconds(5);
  private Vertx vertx;
  private NatsServerProcess nats;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    if (nats != null) {
      nats.close();
    }
  }

  private McpServerVerticle deployServer() throws Exception {
    McpServerVerticle verticle = new McpServerVerticle(new TestTools(vertx), new McpServerOptions(), "mcp-test-1",
        Duration.ofMillis(200));
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    return verticle;
  }

  @Test
  void agentsCallToolsOverTheEventBus() throws Exception {
    deployServer();
    McpClient client = McpClient.create(vertx);
    JsonArray tools = client.listTools("test", T).await(5, TimeUnit.SECONDS);
    assertThat(tools).hasSize(6);
    JsonObject sum = client.callTool("test", "add", new JsonObject().put("a", 1).put("b", 2), T).await(5, TimeUnit.SECONDS);
    assertThat(sum.getJsonObject("structuredContent").getInteger("sum")).isEqualTo(3);
    JsonObject refused = client.callTool("test", "refuse", new JsonObject(), T).await(5, TimeUnit.SECONDS);
    assertThat(refused.getBoolean("isError")).isTrue();
    assertThat(McpClient.text(refused)).contains("not empty");
    assertThatThrownBy(() -> client.callTool("test", "nope", new JsonObject(), T).await(5, TimeUnit.SECONDS))
        .isInstanceOf(McpException.class).hasMessageContaining("Unknown tool: nope");
  }

  @Test
  void theServersHeartbeatAnnouncesItsTools() throws Exception {
    CompletableFuture<Heartbeat> beat = new CompletableFuture<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.HEARTBEAT, m -> beat.complete(Heartbeat.fromJson(m.body())))
        .completion().await(5, TimeUnit.SECONDS);
    deployServer();
    Heartbeat heartbeat = beat.get(5, TimeUnit.SECONDS);
    assertThat(heartbeat.agentId()).isEqualTo("mcp-test-1");
    assertThat(heartbeat.agentType()).isEqualTo("mcp-server");
    assertThat(heartbeat.capabilities()).contains("mcp:test", "mcp:test/add", "mcp:test/countdown");
  }

  @Test
  void overNatsTheServerIsAMicroServiceThatAnswersEvenMalformedRequests() throws Exception {
    nats = NatsServerProcess.start();
    BridgeOptions options = new BridgeOptions().setServer(nats.url()).setConnectionName("mcp-test")
        .addService(McpServerVerticle.serviceMapping("test", Duration.ofSeconds(10)));
    vertx.deployVerticle(NatsBridge.create(options)).await(15, TimeUnit.SECONDS);
    deployServer();

    try (Connection raw = Nats.connect(nats.url())) {
      Discovery discovery = new Discovery(raw, 5000, 1); // returns at the first answer; 5 s for a busy machine
      List<PingResponse> pings = discovery.ping("mcp-test");
      assertThat(pings).hasSize(1);

      JsonObject call = JsonRpc.request(1, "tools/call", new JsonObject().put("name", "add")
          .put("arguments", new JsonObject().put("a", 40).put("b", 2)));
      JsonObject reply = request(raw, call.encode());
      assertThat(reply.getJsonObject("result").getJsonObject("structuredContent").getInteger("sum")).isEqualTo(42);

      JsonObject parse = request(raw, "{\"jsonrpc\":\"2.0\",\"id\":");
      assertThat(parse.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.PARSE_ERROR);

      JsonObject wrongType = request(raw, JsonRpc.request(2, "tools/call", new JsonObject().put("name", "add")
          .put("arguments", new JsonObject().put("a", true).put("b", 2))).encode());
      assertThat(wrongType.getJsonObject("result").getBoolean("isError")).isTrue();
      assertThat(wrongType.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"))
          .contains("argument 'a': expected integer, got boolean");

      JsonObject ping = request(raw, JsonRpc.request(3, "ping", null).encode());
      assertThat(ping.getJsonObject("result")).isEqualTo(new JsonObject());
    }
  }

  private static JsonObject request(Connection raw, String body) throws Exception {
    Message reply = raw.request("ai.mcp.test", body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
    assertThat(reply).as("a reply on ai.mcp.test").isNotNull();
    return new JsonObject(new String(reply.getData(), StandardCharsets.UTF_8));
  }
}
