package io.agentnet.runtime.heartbeat;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.Environment;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.config.AppConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class HeartbeatPublisherTest {

  private static final AgentIdentity SPECIALIST =
      new AgentIdentity("specialist-1", "general", List.of("validation", "diagnosis"));

  private static LoadReporter fixed(double load, AgentStatus status) {
    return new LoadReporter() {
      @Override
      public double load() {
        return load;
      }

      @Override
      public AgentStatus status() {
        return status;
      }
    };
  }

  @Test
  void beatsAtStartThenEveryIntervalAndSaysOfflineAtStop(Vertx vertx, VertxTestContext ctx) throws Exception {
    List<Heartbeat> beats = new CopyOnWriteArrayList<>();
    Checkpoint three = ctx.checkpoint(3);
    vertx.eventBus().<JsonObject>consumer(Addresses.HEARTBEAT, msg -> ctx.verify(() -> {
      assertThat(msg.headers().get(BusHeaders.SUBJECT)).isEqualTo("ai.heartbeat.specialist-1");
      beats.add(Heartbeat.fromJson(msg.body()));
      if (beats.size() <= 3) {
        three.flag();
      }
    })).completion().await();
    Instant before = Instant.now();
    String id = vertx.deployVerticle(new HeartbeatPublisher(SPECIALIST, Duration.ofMillis(100), fixed(0.25, AgentStatus.BUSY)))
        .await(5, TimeUnit.SECONDS);
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    Heartbeat first = beats.get(0);
    assertThat(first.agentId()).isEqualTo("specialist-1");
    assertThat(first.agentType()).isEqualTo("general");
    assertThat(first.capabilities()).containsExactly("validation", "diagnosis");
    assertThat(first.load()).isEqualTo(0.25);
    assertThat(first.status()).isEqualTo(AgentStatus.BUSY);
    assertThat(first.timestamp()).isAfterOrEqualTo(before.minusMillis(1));
    assertThat(beats.get(2).timestamp()).isAfter(first.timestamp());

    vertx.undeploy(id).await(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (beats.get(beats.size() - 1).status() != AgentStatus.OFFLINE) {
      assertThat(System.nanoTime()).as("offline heartbeat within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void theIntervalComesFromTheEnvironment() {
    AppConfig config = AppConfig.of(new JsonObject(), new Environment(Map.of("AGENT_HEARTBEAT_INTERVAL", "7")));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(AppConfig.of(new JsonObject(), new Environment(Map.of())).heartbeatInterval())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void agentIdsMustBeOneSubjectToken() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AgentIdentity("a.b", "general", List.of()))
        .hasMessageContaining("AGENT_ID \"a.b\"").hasMessageContaining("one subject token");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AgentIdentity("a*", "general", List.of()))
        .hasMessageContaining("wildcard");
  }

  /** In NATS mode the bridge, configured by the packaged default config, carries heartbeats to NATS. */
  @Test
  void theBridgeCarriesHeartbeatsToNats(Vertx vertx) throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start();
         Connection raw = Nats.connect(nats.url())) {
      Subscription sub = raw.subscribe("ai.heartbeat.*");
      raw.flush(Duration.ofSeconds(2));
      AppConfig config = AppConfig.load(new Environment(Map.of("NATS_URL", nats.url())));
      vertx.deployVerticle(NatsBridge.create(config.bridgeOptions(), new SimpleMeterRegistry())).await(15, TimeUnit.SECONDS);
      vertx.deployVerticle(new HeartbeatPublisher(SPECIALIST, Duration.ofSeconds(30), LoadReporter.idle()))
          .await(5, TimeUnit.SECONDS);
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertThat(m).as("a heartbeat on NATS").isNotNull();
      assertThat(m.getSubject()).isEqualTo("ai.heartbeat.specialist-1");
      Heartbeat hb = Heartbeat.decode(m.getData());
      assertThat(hb.status()).isEqualTo(AgentStatus.AVAILABLE);
      assertThat(hb.capabilities()).containsExactly("validation", "diagnosis");
    }
  }
}
