package io.agentnet.runtime.heartbeat;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Publishes this process's {@link Heartbeat} on the event bus at start and then every interval; in
 * NATS mode the bridge carries it to {@code ai.heartbeat.<agent_id>}. At stop it sends a last one
 * with status offline, so watchers need not wait for missed beats.
 */
public final class HeartbeatPublisher extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPublisher.class);

  private final AgentIdentity identity;
  private final Duration interval;
  private final LoadReporter reporter;
  private final DeliveryOptions delivery;
  private long timer = -1;

  public HeartbeatPublisher(AgentIdentity identity, Duration interval, LoadReporter reporter) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
    }
    this.identity = identity;
    this.interval = interval;
    this.reporter = reporter;
    this.delivery = new DeliveryOptions().addHeader(BusHeaders.SUBJECT, Addresses.heartbeatSubject(identity.agentId()));
  }

  @Override
  public Future<?> start() {
    beat(reporter.status());
    timer = vertx.setPeriodic(interval.toMillis(), t -> beat(reporter.status()));
    LOG.info("heartbeat of {} ({}) every {} s on {}", identity.agentId(), identity.agentType(), interval.toSeconds(),
        Addresses.heartbeatSubject(identity.agentId()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    beat(AgentStatus.OFFLINE);
    return Future.succeededFuture();
  }

  private void beat(AgentStatus status) {
    double load = Math.max(0.0, Math.min(1.0, reporter.load()));
    Heartbeat heartbeat = new Heartbeat(identity.agentId(), identity.agentType(), identity.capabilities(), load,
        status, Instant.now(), reporter.capacity());
    vertx.eventBus().publish(Addresses.HEARTBEAT, heartbeat.toJson(), delivery);
  }
}
