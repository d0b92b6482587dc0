package io.agentnet.runtime.heartbeat;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.store.KeyValueStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Publishes this process's {@link Heartbeat} on the event bus at start and then every interval; in
 * NATS mode the bridge carries it to {@code ai.heartbeat.<agent_id>}. At stop it sends a last one
 * with status offline, so watchers need not wait for missed beats.
 *
 * <p>With a registry store (the {@code agentnet_registry} bucket) every beat, the offline one
 * included, is also written under the agent id, so a process that starts late reads everyone's
 * last heartbeat at once instead of waiting an interval. The store is a convenience: a failing
 * write is logged once per outage and never fails the verticle. Writes are coalesced, one at a
 * time, so a slow store never reorders them: the last beat is the one that stays.
 */
public final class HeartbeatPublisher extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPublisher.class);
  /** How long stop waits for the offline beat to reach the store. */
  private static final long STOP_STORE_WAIT_MS = 5_000;

  private final AgentIdentity identity;
  private final Duration interval;
  private final LoadReporter reporter;
  private final KeyValueStore registry;
  private final DeliveryOptions delivery;
  private Context context;
  private long timer = -1;
  private boolean stopped;
  // Store writes: only the newest beat is written once the one in flight is done (on this verticle's context).
  private long latestBeat;
  private Future<Void> storeTail = Future.succeededFuture();
  private boolean storeFailing;

  public HeartbeatPublisher(AgentIdentity identity, Duration interval, LoadReporter reporter) {
    this(identity, interval, reporter, null);
  }

  /** @param registry the bucket that keeps every agent's last heartbeat by agent id, or null for none */
  public HeartbeatPublisher(AgentIdentity identity, Duration interval, LoadReporter reporter, KeyValueStore registry) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
    }
    this.identity = identity;
    this.interval = interval;
    this.reporter = reporter;
    this.registry = registry;
    this.delivery = new DeliveryOptions().addHeader(BusHeaders.SUBJECT, Addresses.heartbeatSubject(identity.agentId()));
  }

  /**
   * Starts beating as part of an owner verticle (on its context) instead of as its child deployment. Vert.x
   * undeploys children before their parent's stop, which would send the offline beat before the owner has done
   * its stop work (a specialist's draining beat, then the drain). The owner calls {@link #stop()} itself, last.
   */
  public Future<?> startWithin(Vertx vertx, Context context) {
    init(vertx, context);
    return start();
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    beat(reporter.status());
    timer = vertx.setPeriodic(interval.toMillis(), t -> beat(reporter.status()));
    String every = interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
    LOG.info("heartbeat of {} ({}) every {} on {}{}", identity.agentId(), identity.agentType(), every,
        Addresses.heartbeatSubject(identity.agentId()), registry == null ? "" : " and in bucket " + registry.bucket());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    stopped = true;
    // Wait (bounded) for the offline beat to be in the store, so a late starter does not read "available".
    return beat(AgentStatus.OFFLINE).timeout(STOP_STORE_WAIT_MS, TimeUnit.MILLISECONDS).otherwiseEmpty();
  }

  /**
   * Sends a heartbeat now, outside the schedule, so a change (such as starting to drain) is seen at
   * once. Safe from any thread; ignored once stopped.
   */
  public void beatNow() {
    Context ctx = context;
    if (ctx == null) {
      return;
    }
    ctx.runOnContext(v -> {
      if (!stopped) {
        beat(reporter.status());
      }
    });
  }

  private Future<Void> beat(AgentStatus status) {
    double load = Math.max(0.0, Math.min(1.0, reporter.load()));
    Heartbeat heartbeat = new Heartbeat(identity.agentId(), identity.agentType(), identity.capabilities(), load,
        status, Instant.now(), reporter.capacity());
    JsonObject json = heartbeat.toJson();
    vertx.eventBus().publish(Addresses.HEARTBEAT, json, delivery);
    return store(json);
  }

  /** Completes when this beat, or a newer one that replaced it, has been written (or the write failed). */
  private Future<Void> store(JsonObject json) {
    if (registry == null) {
      return Future.succeededFuture();
    }
    long beat = ++latestBeat;
    storeTail = storeTail.transform(previous -> beat != latestBeat ? Future.succeededFuture()
        : registry.put(identity.agentId(), json).transform(ar -> {
          if (ar.failed() && !storeFailing) {
            storeFailing = true;
            LOG.warn("heartbeat of {} not written to bucket {}: {}; still published on {}, retried every beat "
                + "(logged again when it works)", identity.agentId(), registry.bucket(), ar.cause().getMessage(),
                Addresses.HEARTBEAT);
          } else if (ar.succeeded() && storeFailing) {
            storeFailing = false;
            LOG.info("heartbeat of {} written to bucket {} again", identity.agentId(), registry.bucket());
          }
          return Future.<Void>succeededFuture();
        }));
    return storeTail;
  }
}
