package io.agentnet.bridge;

import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.impl.NatsBridgeImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

/**
 * The verticle that joins this process's event bus to NATS: subscriptions, publishes, requests,
 * JetStream consumers and micro services, as configured by {@link BridgeOptions}; it also provisions
 * the JetStream KV buckets and serves them on {@link BridgeOptions#getKvAddress()}. Deploy it with
 * {@code vertx.deployVerticle(NatsBridge.create(options))}. With no NATS server configured it logs
 * that the process runs in local mode and does nothing else.
 *
 * <p>Its state is published on {@link BridgeOptions#getStatusAddress()} at every change; a request
 * to that address plus {@code .get} answers with the current status.
 */
public interface NatsBridge extends Deployable {

  /** The line logged at start in local mode. */
  String LOCAL_MODE_MESSAGE = "NATS_URL is not set: local mode. The event bus alone carries messages and the "
      + "NATS bridge is not started; state that NATS would persist lives in memory only.";

  static NatsBridge create(BridgeOptions options) {
    return new NatsBridgeImpl(options, null);
  }

  /** With the meter registry to report to (otherwise the Vert.x Micrometer default, or the global one). */
  static NatsBridge create(BridgeOptions options, MeterRegistry registry) {
    return new NatsBridgeImpl(options, registry);
  }

  ConnectionState state();

  /** The current state, server (without credentials), buffer use and last error, as JSON. */
  JsonObject status();

  /** A health procedure for vertx-health-check: up when connected (or in local mode), down otherwise. */
  Handler<Promise<Status>> healthCheck();

  MeterRegistry meterRegistry();
}
