package io.agentnet.runtime.registry;

import io.agentnet.runtime.events.Events;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.message.Event;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.registry.AgentRegistry.Transition;
import io.agentnet.runtime.store.KeyValueStore;
import io.agentnet.runtime.store.KvEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The Vert.x side of the {@link AgentRegistry}: fed by {@code ai.heartbeat}, swept for silence, and
 * (when asked) announcing each transition as an {@code agent.online}, {@code agent.offline} or
 * {@code agent.draining} event on {@code ai.events.agent.<agent_id>}. Not a verticle: a verticle
 * creates it in its {@code start} and it runs on that verticle's context.
 *
 * <p>Start-up: heartbeats are consumed from the first moment but held back while the registry
 * bucket is read; every stored heartbeat is observed at its own timestamp and the registry swept,
 * so agents silent too long are offline at once. This catch-up is silent (no events, no
 * listeners): it restates what was already true before this process started, and announcing it on
 * every restart would repeat old news. The held-back heartbeats are then taken in with events, so
 * an agent that came back, or is new, is announced. A bucket that cannot be read is logged and
 * skipped: agents then appear as their heartbeats arrive.
 */
public final class AgentDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(AgentDirectory.class);
  /** Heartbeats held back during the catch-up; more than that many in a few ms would be a flood. */
  private static final int MAX_HELD_BACK = 10_000;

  private record Received(Heartbeat heartbeat, Instant at) {
  }

  private final Vertx vertx;
  private final DirectoryOptions options;
  private final AgentRegistry registry;
  private final List<Consumer<Transition>> listeners = new CopyOnWriteArrayList<>();
  private MessageConsumer<Object> consumer;
  private long sweepTimer = -1;
  private boolean catchingUp = true;
  private boolean closed;
  private final List<Received> heldBack = new ArrayList<>();
  // Malformed heartbeats: the first of a burst is logged, the rest counted until a sweep period passes without one.
  private boolean malformedBurst;
  private int malformedThisPeriod;
  private int malformedSuppressed;

  private AgentDirectory(Vertx vertx, DirectoryOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.registry = new AgentRegistry(options.getHeartbeatInterval());
  }

  /** Starts consuming heartbeats on the caller's context; completes once the catch-up from the bucket is done. */
  public static Future<AgentDirectory> start(Vertx vertx, DirectoryOptions options) {
    String source = options.getSourceAgentId();
    if (options.isPublishEvents() && (source == null || source.isBlank())) {
      return Future.failedFuture(new IllegalArgumentException(
          "an agent directory that publishes agent events needs the publishing agent's id (DirectoryOptions.sourceAgentId)"));
    }
    return new AgentDirectory(vertx, options).begin();
  }

  private Future<AgentDirectory> begin() {
    consumer = vertx.eventBus().consumer(Addresses.HEARTBEAT, this::onHeartbeat);
    return consumer.completion()
        .compose(v -> catchUp())
        .map(loaded -> {
          // Silent: those stored heartbeats too old to be alive are simply offline (see the class comment).
          registry.sweep(Instant.now());
          catchingUp = false;
          for (Received r : heldBack) {
            take(r.heartbeat(), r.at());
          }
          heldBack.clear();
          long period = Math.max(1, options.getHeartbeatInterval().toMillis() / 2);
          sweepTimer = vertx.setPeriodic(period, t -> sweep());
          long online = registry.agents().stream().filter(AgentRegistry.AgentInfo::online).count();
          KeyValueStore store = options.getRegistryStore();
          LOG.info("agent directory: {} agents online, {} offline{}; offline after {} missed heartbeats of {} ms",
              online, registry.agents().size() - online, store == null ? "" : " (caught up from bucket " + store.bucket() + ")",
              AgentRegistry.MISSED_BEATS, options.getHeartbeatInterval().toMillis());
          return this;
        });
  }

  /** Reads every stored heartbeat into the registry; never fails (the bucket is a convenience). */
  private Future<Integer> catchUp() {
    KeyValueStore store = options.getRegistryStore();
    if (store == null) {
      return Future.succeededFuture(0);
    }
    return store.entries().map(entries -> {
      Instant now = Instant.now();
      int loaded = 0;
      for (KvEntry entry : entries) {
        try {
          Heartbeat hb = Heartbeat.fromJson(entry.value());
          // Observed at its own timestamp (never in the future), so its age counts toward missed beats.
          registry.observe(hb, hb.timestamp().isAfter(now) ? now : hb.timestamp());
          loaded++;
        } catch (RuntimeException e) {
          LOG.warn("bucket {}: entry {} is not a heartbeat, skipped: {}", store.bucket(), entry.key(), e.getMessage());
        }
      }
      return loaded;
    }).otherwise(e -> {
      LOG.warn("bucket {} could not be read ({}); agents appear as their heartbeats arrive", store.bucket(), e.getMessage());
      return 0;
    });
  }

  private void onHeartbeat(Message<Object> message) {
    if (closed) {
      return;
    }
    Heartbeat hb;
    try {
      hb = parse(message.body());
    } catch (RuntimeException e) {
      malformed(message, e);
      return;
    }
    Instant now = Instant.now();
    if (catchingUp) {
      if (heldBack.size() < MAX_HELD_BACK) {
        heldBack.add(new Received(hb, now));
      }
      return;
    }
    take(hb, now);
  }

  private static Heartbeat parse(Object body) {
    if (body instanceof JsonObject json) {
      return Heartbeat.fromJson(json);
    }
    if (body instanceof Buffer buffer) {
      return Heartbeat.decode(buffer);
    }
    if (body instanceof String text) {
      return Heartbeat.decode(Buffer.buffer(text));
    }
    throw new IllegalArgumentException("expected a JSON object, got " + (body == null ? "nothing" : body.getClass().getSimpleName()));
  }

  private void malformed(Message<Object> message, RuntimeException e) {
    malformedThisPeriod++;
    if (malformedBurst) {
      malformedSuppressed++;
      return;
    }
    malformedBurst = true;
    String subject = message.headers().get(BusHeaders.SUBJECT);
    LOG.warn("ignoring a malformed heartbeat{}: {} (more in this burst are counted, not logged)",
        subject == null ? "" : " on " + subject, e.getMessage());
  }

  private void take(Heartbeat hb, Instant at) {
    registry.observe(hb, at).ifPresent(this::announce);
  }

  private void sweep() {
    if (closed) {
      return;
    }
    registry.sweep(Instant.now()).forEach(this::announce);
    if (malformedThisPeriod == 0 && malformedBurst) {
      malformedBurst = false;
      if (malformedSuppressed > 0) {
        LOG.warn("the burst of malformed heartbeats is over: {} more were ignored", malformedSuppressed);
      }
      malformedSuppressed = 0;
    }
    malformedThisPeriod = 0;
  }

  private void announce(Transition t) {
    if (options.isPublishEvents()) {
      String type = "agent." + t.kind().name().toLowerCase(Locale.ROOT);
      JsonObject data = new JsonObject()
          .put("agent_id", t.agentId())
          .put("agent_type", t.agent().agentType())
          .put("capabilities", new JsonArray(t.agent().capabilities()))
          .put("status", t.agent().status().json())
          .put("reason", t.reason());
      Events.publish(vertx, "agent", t.agentId(), Event.of(type, options.getSourceAgentId(), data));
    }
    if (options.isLogTransitions()) {
      LOG.info("agent {} ({}) {}: {}", t.agentId(), t.agent().agentType(), t.kind().name().toLowerCase(Locale.ROOT),
          t.reason());
    }
    for (Consumer<Transition> listener : listeners) {
      try {
        listener.accept(t);
      } catch (RuntimeException e) {
        LOG.error("a listener of agent transitions failed on {} {}", t.kind(), t.agentId(), e);
      }
    }
  }

  /** {@code ai.events.agent.<agent_id>}, the subject of an agent's events. */
  public static String agentEventSubject(String agentId) {
    return Events.subject("agent", agentId);
  }

  /** The live view. */
  public AgentRegistry registry() {
    return registry;
  }

  /** Called on the directory's context for each transition after start-up (not for the silent catch-up). */
  public void onTransition(Consumer<Transition> listener) {
    listeners.add(listener);
  }

  /** Stops consuming heartbeats and sweeping. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    vertx.cancelTimer(sweepTimer);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
