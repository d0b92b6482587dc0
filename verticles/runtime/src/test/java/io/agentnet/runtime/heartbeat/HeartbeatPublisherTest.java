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
import io.agentnet.runtime.store.InMemoryKeyValueStore;
import io.agentnet.runtime.store.KeyValueStore;
import io.agentnet.runtime.store.KvEntry;
import io.agentnet.runtime.store.StoreException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;

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
  void everyBeatAndTheOfflineOneAreWrittenToTheRegistryStore(Vertx vertx) throws Exception {
    InMemoryKeyValueStore store = new InMemoryKeyValueStore("agentnet_registry", Duration.ofHours(1));
    String id = vertx.deployVerticle(new HeartbeatPublisher(SPECIALIST, Duration.ofMillis(50), fixed(0.5, AgentStatus.BUSY), store))
        .await(5, TimeUnit.SECONDS);
    KvEntry first = store.get("specialist-1").await(1, TimeUnit.SECONDS);
    assertThat(first).as("the first beat is stored at start").isNotNull();
    Heartbeat stored = Heartbeat.fromJson(first.value());
    assertThat(stored.status()).isEqualTo(AgentStatus.BUSY);
    assertThat(stored.load()).isEqualTo(0.5);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (store.get("specialist-1").await(1, TimeUnit.SECONDS).revision() == first.revision()) {
      assertThat(System.nanoTime()).as("a later beat overwrites the entry within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
    vertx.undeploy(id).await(5, TimeUnit.SECONDS);
    // stop waits for the offline beat to be stored: no polling needed.
    assertThat(Heartbeat.fromJson(store.get("specialist-1").await(1, TimeUnit.SECONDS).value()).status())
        .isEqualTo(AgentStatus.OFFLINE);
  }

  @Test
  void aFailingStoreIsLoggedOncePerOutageAndNeverStopsTheBeats(Vertx vertx) throws Exception {
    FlakyStore store = new FlakyStore();
    List<Heartbeat> beats = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.HEARTBEAT, m -> beats.add(Heartbeat.fromJson(m.body())))
        .completion().await(5, TimeUnit.SECONDS);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(HeartbeatPublisher.class);
    logger.addAppender(log);
    try {
      store.failing = true;
      vertx.deployVerticle(new HeartbeatPublisher(SPECIALIST, Duration.ofMillis(20), LoadReporter.idle(), store))
          .await(5, TimeUnit.SECONDS);
      awaitCondition(() -> store.attempts.get() >= 5, "five failed writes");
      store.failing = false;
      awaitCondition(() -> store.written.get() >= 1, "a write after the outage");
      store.failing = true;
      int before = store.attempts.get();
      awaitCondition(() -> store.attempts.get() >= before + 5, "five more failed writes");
      // the beats reach this consumer on another context, so wait for them rather than count them now
      awaitCondition(() -> beats.size() >= 10, "beats go on while the store fails");
      List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(warnings).as("one warning per outage, two outages").hasSize(2)
          .allSatisfy(w -> assertThat(w).contains("specialist-1").contains("agentnet_registry").contains("JetStream unreachable"));
      assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("again")).hasSize(1);
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void beatNowSendsOneOutsideTheSchedule(Vertx vertx) throws Exception {
    List<Heartbeat> beats = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.HEARTBEAT, m -> beats.add(Heartbeat.fromJson(m.body())))
        .completion().await(5, TimeUnit.SECONDS);
    AtomicReference<AgentStatus> status = new AtomicReference<>(AgentStatus.AVAILABLE);
    LoadReporter reporter = new LoadReporter() {
      @Override
      public double load() {
        return 0;
      }

      @Override
      public AgentStatus status() {
        return status.get();
      }
    };
    HeartbeatPublisher publisher = new HeartbeatPublisher(SPECIALIST, Duration.ofHours(1), reporter);
    vertx.deployVerticle(publisher).await(5, TimeUnit.SECONDS);
    awaitCondition(() -> beats.size() == 1, "the start beat");
    status.set(AgentStatus.DRAINING);
    publisher.beatNow();
    awaitCondition(() -> beats.size() == 2, "the beat sent now");
    assertThat(beats.get(1).status()).isEqualTo(AgentStatus.DRAINING);
  }

  private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** A registry bucket that fails writes while told to, like a JetStream KV with NATS gone. */
  private static final class FlakyStore implements KeyValueStore {
    volatile boolean failing;
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger written = new AtomicInteger();

    @Override
    public String bucket() {
      return "agentnet_registry";
    }

    @Override
    public Future<Long> put(String key, JsonObject value) {
      attempts.incrementAndGet();
      if (failing) {
        return Future.failedFuture(new StoreException(StoreException.Reason.UNAVAILABLE,
            "agentnet_registry: JetStream unreachable"));
      }
      return Future.succeededFuture((long) written.incrementAndGet());
    }

    @Override
    public Future<KvEntry> get(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Long> create(String key, JsonObject value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Long> update(String key, JsonObject value, long expectedRevision) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> delete(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<String>> keys() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<KvEntry>> entries() {
      throw new UnsupportedOperationException();
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
