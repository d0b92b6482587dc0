package io.agentnet.runtime.registry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Event;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.heartbeat.HeartbeatPublisher;
import io.agentnet.runtime.heartbeat.LoadReporter;
import io.agentnet.runtime.store.InMemoryKeyValueStore;
import io.agentnet.runtime.store.KeyValueStore;
import io.agentnet.runtime.store.KvEntry;
import io.agentnet.runtime.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The directory on the local event bus: heartbeats in, the view and agent events out. */
@ExtendWith(VertxExtension.class)
class AgentDirectoryTest {

  private static final Duration INTERVAL = Duration.ofMillis(200);

  /** A heard event with the subject it was published for. */
  record Heard(Event event, String subject) {
  }

  /** Hosts a directory the way a verticle would: created in start, on its context. */
  static final class Host extends VerticleBase {
    private final DirectoryOptions options;
    volatile AgentDirectory directory;
    final List<AgentRegistry.Transition> transitions = new CopyOnWriteArrayList<>();

    Host(DirectoryOptions options) {
      this.options = options;
    }

    @Override
    public Future<?> start() {
      return AgentDirectory.start(vertx, options).onSuccess(d -> {
        directory = d;
        d.onTransition(transitions::add);
      });
    }

    @Override
    public Future<?> stop() {
      return directory.close();
    }
  }

  private Vertx vertx;
  private final List<Heard> events = new CopyOnWriteArrayList<>();
  private ListAppender<ILoggingEvent> log;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m ->
        events.add(new Heard(Event.fromJson(m.body()), m.headers().get(BusHeaders.SUBJECT)))).completion().await(5, TimeUnit.SECONDS);
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(AgentDirectory.class)).addAppender(log);
  }

  @AfterEach
  void detachLog() {
    ((Logger) LoggerFactory.getLogger(AgentDirectory.class)).detachAppender(log);
  }

  private Host deploy(DirectoryOptions options) throws Exception {
    Host host = new Host(options);
    vertx.deployVerticle(host).await(5, TimeUnit.SECONDS);
    return host;
  }

  private static DirectoryOptions publishing() {
    return new DirectoryOptions().setHeartbeatInterval(INTERVAL).setPublishEvents(true).setSourceAgentId("monitor-1");
  }

  private void publish(Heartbeat hb) {
    vertx.eventBus().publish(Addresses.HEARTBEAT, hb.toJson(),
        new DeliveryOptions().addHeader(BusHeaders.SUBJECT, Addresses.heartbeatSubject(hb.agentId())));
  }

  private static Heartbeat beat(String id, AgentStatus status, Instant at) {
    return new Heartbeat(id, "general", List.of("diagnosis"), 0.5, status, at, 2);
  }

  private static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** The log so far, copied under the appender's lock: the event loop may be appending. */
  private List<ILoggingEvent> logged() {
    synchronized (log) {
      return List.copyOf(log.list);
    }
  }

  private Heard awaitEvent(String type, String agentId) throws InterruptedException {
    await(() -> find(type, agentId) != null, Duration.ofSeconds(5), type + " of " + agentId);
    return find(type, agentId);
  }

  private Heard find(String type, String agentId) {
    return events.stream().filter(h -> h.event().eventType().equals(type)
        && agentId.equals(h.event().data().getString("agent_id"))).findFirst().orElse(null);
  }

  @Test
  void heartbeatsMakeTheViewAndTransitionsAreAnnounced() throws Exception {
    Host host = deploy(publishing());
    AgentIdentity mcp = new AgentIdentity("mcp-px-1", "mcp-server", List.of("mcp:proxmox", "mcp:proxmox/list_vms"));
    String publisher = vertx.deployVerticle(new HeartbeatPublisher(mcp, INTERVAL, LoadReporter.idle()))
        .await(5, TimeUnit.SECONDS);

    Heard online = awaitEvent("agent.online", "mcp-px-1");
    assertThat(online.subject()).isEqualTo("ai.events.agent.mcp-px-1");
    assertThat(online.event().source()).isEqualTo("monitor-1");
    assertThat(online.event().data().getString("agent_type")).isEqualTo("mcp-server");
    assertThat(online.event().data().getJsonArray("capabilities").getList()).containsExactly("mcp:proxmox", "mcp:proxmox/list_vms");
    assertThat(online.event().data().getString("reason")).contains("first heartbeat");
    AgentRegistry registry = host.directory.registry();
    assertThat(registry.online("mcp-px-1")).isTrue();
    assertThat(registry.mcpServers()).containsEntry("proxmox", List.of("list_vms"));

    publish(beat("s1", AgentStatus.AVAILABLE, Instant.now()));
    awaitEvent("agent.online", "s1");
    publish(beat("s1", AgentStatus.DRAINING, Instant.now()));
    Heard draining = awaitEvent("agent.draining", "s1");
    assertThat(draining.subject()).isEqualTo("ai.events.agent.s1");
    // what was announced: the live entry goes offline three intervals after this last beat of s1
    assertThat(draining.event().data().getString("status")).isEqualTo("draining");

    vertx.undeploy(publisher).await(5, TimeUnit.SECONDS);
    // the announced one: a heartbeat of mcp-px-1 delayed past three intervals would have made an earlier offline
    await(() -> events.stream().anyMatch(h -> h.event().eventType().equals("agent.offline")
            && "mcp-px-1".equals(h.event().data().getString("agent_id"))
            && h.event().data().getString("reason", "").contains("announced")),
        Duration.ofSeconds(5), "the announced offline of mcp-px-1");
    assertThat(registry.mcpServers()).isEmpty();
    // per agent, since s1 (silent after its DRAINING beat) may time out before or after mcp-px-1 leaves
    assertThat(host.transitions).filteredOn(t -> t.agentId().equals("mcp-px-1")).extracting(t -> t.kind().name())
        .startsWith("ONLINE", "OFFLINE");
    assertThat(host.transitions).filteredOn(t -> t.agentId().equals("s1")).extracting(t -> t.kind().name())
        .startsWith("ONLINE", "DRAINING");
  }

  @Test
  void silenceForThreeIntervalsIsAnOfflineEventOnTheAgentsSubject() throws Exception {
    deploy(publishing());
    long lastBeat = 0;
    for (int i = 0; i < 3; i++) {
      lastBeat = System.nanoTime();
      publish(beat("quiet-1", AgentStatus.AVAILABLE, Instant.now()));
      Thread.sleep(INTERVAL.toMillis() / 2);
    }
    Heard offline = awaitEvent("agent.offline", "quiet-1");
    long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBeat);
    assertThat(silentMs).as("not before 3 intervals").isGreaterThanOrEqualTo(3 * INTERVAL.toMillis());
    assertThat(offline.subject()).isEqualTo("ai.events.agent.quiet-1");
    assertThat(offline.event().source()).isEqualTo("monitor-1");
    // 3 at the first sweep past 3 intervals; a sweep delayed on a busy machine counts more
    Matcher missed = Pattern.compile("no heartbeat for .*\\((\\d+) missed\\)").matcher(offline.event().data().getString("reason"));
    assertThat(missed.matches()).as(offline.event().data().getString("reason")).isTrue();
    assertThat(Integer.parseInt(missed.group(1))).isGreaterThanOrEqualTo(3);
    assertThat(offline.event().data().getString("status")).isEqualTo("offline");
  }

  @Test
  void catchesUpFromTheRegistryBucketSilentlyThenAnnouncesLiveChanges() throws Exception {
    InMemoryKeyValueStore store = new InMemoryKeyValueStore("agentnet_registry", Duration.ofHours(1));
    Instant now = Instant.now();
    store.put("fresh-1", beat("fresh-1", AgentStatus.BUSY, now).toJson()).await(1, TimeUnit.SECONDS);
    store.put("stale-1", beat("stale-1", AgentStatus.AVAILABLE, now.minusSeconds(10)).toJson()).await(1, TimeUnit.SECONDS);
    store.put("gone-1", beat("gone-1", AgentStatus.OFFLINE, now).toJson()).await(1, TimeUnit.SECONDS);
    store.put("junk", new JsonObject().put("agent_id", "junk")).await(1, TimeUnit.SECONDS);

    Host host = deploy(publishing().setRegistryStore(store));
    AgentRegistry registry = host.directory.registry();
    assertThat(registry.agents()).extracting(AgentRegistry.AgentInfo::agentId)
        .containsExactlyInAnyOrder("fresh-1", "stale-1", "gone-1");
    assertThat(registry.agent("fresh-1").orElseThrow().status()).isEqualTo(AgentStatus.BUSY);
    assertThat(registry.online("stale-1")).as("10 s old with a 200 ms interval").isFalse();
    assertThat(registry.online("gone-1")).isFalse();
    assertThat(logged()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("entry junk is not a heartbeat"));

    publish(beat("stale-1", AgentStatus.AVAILABLE, Instant.now()));
    awaitEvent("agent.online", "stale-1");
    // fresh-1 may time out meanwhile (its beat is 600 ms old soon), but nothing the catch-up read came online
    assertThat(events).as("the catch-up announced nothing; the only online event is the live one")
        .filteredOn(h -> h.event().eventType().equals("agent.online"))
        .extracting(h -> h.event().data().getString("agent_id")).containsExactly("stale-1");
    assertThat(host.transitions).filteredOn(t -> t.kind() == AgentRegistry.Kind.ONLINE)
        .extracting(AgentRegistry.Transition::agentId).containsExactly("stale-1");
  }

  @Test
  void aBucketThatCannotBeReadIsSkipped() throws Exception {
    InMemoryKeyValueStore store = new InMemoryKeyValueStore("agentnet_registry", Duration.ofHours(1));
    Host host = deploy(publishing().setRegistryStore(new FailingEntries(store)));
    assertThat(host.directory.registry().agents()).isEmpty();
    assertThat(logged()).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("bucket agentnet_registry could not be read").contains("NATS is down"));
    publish(beat("s1", AgentStatus.AVAILABLE, Instant.now()));
    awaitEvent("agent.online", "s1");
  }

  @Test
  void malformedHeartbeatsAreIgnoredAndLoggedOncePerBurst() throws Exception {
    Host host = deploy(new DirectoryOptions().setHeartbeatInterval(Duration.ofSeconds(30)));
    for (int i = 0; i < 5; i++) {
      vertx.eventBus().publish(Addresses.HEARTBEAT, new JsonObject().put("agent_id", "broken-" + i));
    }
    vertx.eventBus().publish(Addresses.HEARTBEAT, "not json at all");
    publish(beat("s1", AgentStatus.AVAILABLE, Instant.now()));
    await(() -> host.directory.registry().online("s1"), Duration.ofSeconds(5), "s1 online after the junk");
    assertThat(logged().stream().filter(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().contains("malformed heartbeat")).toList())
        .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("agent_type"));
    assertThat(host.directory.registry().agents()).hasSize(1);
    assertThat(events).as("not publishing").isEmpty();
  }

  @Test
  void publishingEventsNeedsASource() {
    assertThat(AgentDirectory.start(vertx, new DirectoryOptions().setPublishEvents(true)).cause())
        .hasMessageContaining("sourceAgentId");
  }

  /** A registry bucket whose listing fails, as a JetStream KV would with NATS down. */
  private static final class FailingEntries implements KeyValueStore {
    private final KeyValueStore delegate;

    FailingEntries(KeyValueStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public String bucket() {
      return delegate.bucket();
    }

    @Override
    public Future<KvEntry> get(String key) {
      return delegate.get(key);
    }

    @Override
    public Future<Long> put(String key, JsonObject value) {
      return delegate.put(key, value);
    }

    @Override
    public Future<Long> create(String key, JsonObject value) {
      return delegate.create(key, value);
    }

    @Override
    public Future<Long> update(String key, JsonObject value, long expectedRevision) {
      return delegate.update(key, value, expectedRevision);
    }

    @Override
    public Future<Void> delete(String key) {
      return delegate.delete(key);
    }

    @Override
    public Future<List<String>> keys() {
      return delegate.keys();
    }

    @Override
    public Future<List<KvEntry>> entries() {
      return Future.failedFuture(new StoreException(
          StoreException.Reason.UNAVAILABLE, "agentnet_registry: NATS is down"));
    }
  }
}
