package io.agentnet.bridge.it;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.InboundMapping;
import io.agentnet.bridge.config.OutboundMapping;
import io.agentnet.bridge.impl.BridgeMetrics;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CoreMappingTest extends BridgeTestSupport {

  @Override
  protected NatsServerProcess startServer() {
    // room for the 80 MB a test sends at once to a subscriber on a busy machine (the default is 64 MB)
    return NatsServerProcess.builder().extraConfig("max_pending: 268435456").start();
  }

  @Test
  void inboundWildcardCarriesSubjectAndHeaders(VertxTestContext ctx) throws Exception {
    deploy(options().addInbound(InboundMapping.publish("ai.heartbeat.*", "hb"))
        .addInbound(InboundMapping.publish("ai.events.>", "events")));
    Checkpoint heartbeat = ctx.checkpoint();
    Checkpoint event = ctx.checkpoint();
    vertx.eventBus().<JsonObject>consumer("hb", msg -> ctx.verify(() -> {
      assertThat(msg.body().getString("agent_id")).isEqualTo("a1");
      assertThat(msg.headers().get(BusHeaders.SUBJECT)).isEqualTo("ai.heartbeat.a1");
      assertThat(msg.headers().getAll("X-Trace")).containsExactly("t1", "t2");
      heartbeat.flag();
    })).completion().await();
    vertx.eventBus().<JsonObject>consumer("events", msg -> ctx.verify(() -> {
      assertThat(msg.headers().get(BusHeaders.SUBJECT)).isEqualTo("ai.events.workflow.w1");
      event.flag();
    })).completion().await();

    Connection raw = raw();
    raw.publish("ai.heartbeat.a1", new Headers().add("X-Trace", "t1", "t2"), "{\"agent_id\":\"a1\"}".getBytes());
    raw.publish("ai.heartbeat.a1.extra", "{}".getBytes()); // one token too many: not matched
    raw.publish("ai.events.workflow.w1", "{\"x\":1}".getBytes());
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void whatWasAcceptedBeforeAStopIsSentBeforeTheConnectionCloses() throws Exception {
    Connection observer = raw();
    AtomicInteger received = new AtomicInteger();
    Dispatcher counting = observer.createDispatcher(m -> received.incrementAndGet());
    counting.setPendingLimits(-1, -1);
    counting.subscribe("ai.events.bye");
    observer.flush(Duration.ofSeconds(2));
    NatsBridge bridge = NatsBridge.create(options().addOutbound(OutboundMapping.core("last.words", "ai.events.bye")),
        registry);
    String id = vertx.deployVerticle(bridge).await(20, TimeUnit.SECONDS);
    int count = 5_000;
    String filler = "x".repeat(16 * 1024); // enough bytes that jnats' writer is still busy when the stop comes
    // every publish reaches the bridge's context before its stop does; jnats' close() alone drops what its
    // writer still holds (an agent's offline heartbeat, at every shutdown)
    for (int i = 0; i < count; i++) {
      vertx.eventBus().publish("last.words", new JsonObject().put("i", i).put("filler", filler));
    }
    vertx.undeploy(id).await(20, TimeUnit.SECONDS);
    await("all " + count + " sent before the close", Duration.ofSeconds(10), () -> received.get() == count);
  }

  @Test
  void aQueueGroupDeliversEachMessageToOneProcess() throws Exception {
    InboundMapping queued = new InboundMapping("work", "ai.mcp.filesystem", "mcp-filesystem", "fs", null, null, null);
    io.vertx.core.Vertx second = newVertx();
    deploy(options().addInbound(queued));
    deploy(second, options().addInbound(queued));
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> other = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("fs", m -> first.add(m.body().getString("id"))).completion().await();
    second.eventBus().<JsonObject>consumer("fs", m -> other.add(m.body().getString("id"))).completion().await();
    Connection raw = raw();
    for (int i = 0; i < 40; i++) {
      raw.publish("ai.mcp.filesystem", new JsonObject().put("id", "m" + i).toBuffer().getBytes());
    }
    await("all 40 delivered", Duration.ofSeconds(5), () -> first.size() + other.size() == 40);
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(other);
    assertThat(all).doesNotHaveDuplicates().hasSize(40);
    assertThat(first).as("both members get work").isNotEmpty();
    assertThat(other).isNotEmpty();
  }

  @Test
  void outboundUsesTheConcreteSubjectAndForwardsOnlyUserHeaders() throws Exception {
    deploy(options().addOutbound(OutboundMapping.core("hb.out", "ai.heartbeat.*")));
    Connection observer = raw();
    Subscription sub = observer.subscribe("ai.heartbeat.>");
    observer.flush(Duration.ofSeconds(2));
    JsonObject reply = (JsonObject) vertx.eventBus().request("hb.out", new JsonObject().put("agent_id", "a7"),
            new DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.heartbeat.a7").addHeader("X-Trace", "abc"))
        .await(5, TimeUnit.SECONDS).body();
    assertThat(reply.getString("subject")).isEqualTo("ai.heartbeat.a7");
    Message m = sub.nextMessage(Duration.ofSeconds(5));
    assertThat(m).isNotNull();
    assertThat(m.getSubject()).isEqualTo("ai.heartbeat.a7");
    assertThat(new JsonObject(new String(m.getData(), StandardCharsets.UTF_8)).getString("agent_id")).isEqualTo("a7");
    assertThat(m.getHeaders().getFirst("X-Trace")).isEqualTo("abc");
    assertThat(m.getHeaders().containsKey(BusHeaders.SUBJECT)).as("transport headers stay on the bus").isFalse();
  }

  @Test
  void outboundRefusesSubjectsTheRuleDoesNotAllow() throws Exception {
    deploy(options().addOutbound(OutboundMapping.core("hb.out", "ai.heartbeat.*")));
    ReplyException wrong = failure(vertx.eventBus().request("hb.out", new JsonObject(),
        new DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.orchestrator.submit")));
    assertThat(wrong.failureCode()).isEqualTo(400);
    assertThat(wrong.getMessage()).contains("ai.orchestrator.submit is not allowed on address hb.out")
        .contains("ai.heartbeat.*");
    ReplyException missing = failure(vertx.eventBus().request("hb.out", new JsonObject()));
    assertThat(missing.getMessage()).contains("name the concrete subject in the nats-subject header");
  }

  @Test
  void nothingLoopsBetweenTheBusAndNats() throws Exception {
    // The same address is mapped both ways: what comes in must not go out again, and vice versa.
    deploy(options().addInbound(InboundMapping.publish("ai.events.>", "events"))
        .addOutbound(OutboundMapping.core("events", "ai.events.>")));
    List<JsonObject> onBus = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("events", m -> onBus.add(m.body())).completion().await();
    Connection observer = raw();
    List<String> onNats = new CopyOnWriteArrayList<>();
    observer.createDispatcher(m -> onNats.add(new String(m.getData(), StandardCharsets.UTF_8))).subscribe("ai.events.>");
    observer.flush(Duration.ofSeconds(2));

    Connection publisher = raw();
    publisher.publish("ai.events.a", "{\"from\":\"nats\"}".getBytes());
    await("the NATS message on the bus", Duration.ofSeconds(5), () -> onBus.size() == 1);
    vertx.eventBus().publish("events", new JsonObject().put("from", "bus"),
        new DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.events.b"));
    await("the bus message on NATS and on the bus", Duration.ofSeconds(5),
        () -> onNats.contains("{\"from\":\"bus\"}") && onBus.size() >= 2);
    // An echo of either message would reach the bridge's subscription before this later one, and the
    // bridge delivers in order: once the sentinel is on the bus, any echo would be there too.
    publisher.publish("ai.events.c", "{\"from\":\"sentinel\"}".getBytes());
    await("the sentinel on the bus", Duration.ofSeconds(5),
        () -> onBus.stream().anyMatch(j -> "sentinel".equals(j.getString("from"))));
    await("the sentinel on NATS", Duration.ofSeconds(5), () -> onNats.size() >= 3);
    assertThat(onNats).containsExactly("{\"from\":\"nats\"}", "{\"from\":\"bus\"}", "{\"from\":\"sentinel\"}");
    assertThat(onBus).extracting(j -> j.getString("from")).containsExactly("nats", "bus", "sentinel");
  }

  @Test
  void malformedJsonIsLoggedCountedAndSkipped() throws Exception {
    deploy(options().addInbound(new InboundMapping("metrics", "ai.metrics.*", null, "metrics", null, null, null)));
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("metrics", m -> received.add(m.body())).completion().await();
    Connection raw = raw();
    raw.publish("ai.metrics.a1", "{not json".getBytes());
    raw.publish("ai.metrics.a1", "[1,2]".getBytes());
    raw.publish("ai.metrics.a1", "{\"cpu\":0.5}".getBytes());
    await("the valid message after the bad ones", Duration.ofSeconds(5), () -> received.size() == 1);
    assertThat(received.get(0).getDouble("cpu")).isEqualTo(0.5);
    assertThat(counter(BridgeMetrics.ERRORS, "mapping", "metrics", "reason", "malformed_json")).isEqualTo(2.0);
    assertThat(counter(BridgeMetrics.MESSAGES, "mapping", "metrics", "direction", "in")).isEqualTo(1.0);
  }

  @Test
  void oversizedPayloadIsRefusedWithTheLimit() throws Exception {
    deploy(options().setMaxPayload(1024).addOutbound(OutboundMapping.core("out", "ai.events.big")));
    ReplyException e = failure(vertx.eventBus().request("out", new JsonObject().put("blob", "x".repeat(2000))));
    assertThat(e.failureCode()).isEqualTo(BridgeFailure.PAYLOAD_TOO_LARGE.code());
    assertThat(e.getMessage()).contains("exceeds the limit of 1024 bytes").contains("ai.events.big");
    assertThat(counter(BridgeMetrics.ERRORS, "mapping", "out", "reason", "too_large")).isEqualTo(1.0);
  }

  static ReplyException failure(io.vertx.core.Future<?> future) throws Exception {
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("expected the request to fail");
  }

  static class ServerLimitTest extends BridgeTestSupport {
    @Override
    protected NatsServerProcess startServer() {
      return NatsServerProcess.builder().maxPayload(4096).start();
    }

    @Test
    void theServersMaxPayloadIsTheLimitWhenNoneIsConfigured() throws Exception {
      deploy(options().addOutbound(OutboundMapping.core("out", "ai.events.big")));
      ReplyException e = failure(vertx.eventBus().request("out", "x".repeat(5000)));
      assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.getMessage()).contains("exceeds the limit of 4096 bytes");
    }
  }
}
