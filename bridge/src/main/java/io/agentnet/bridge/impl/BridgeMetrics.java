package io.agentnet.bridge.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The bridge's Micrometer meters: messages in and out per mapping, errors per mapping and reason,
 * JetStream redeliveries per consumer, request latency per mapping, KV operations per bucket, op
 * and outcome, and gauges for the buffer and the connection.
 */
public final class BridgeMetrics {

  public static final String MESSAGES = "agentnet.bridge.messages";
  public static final String ERRORS = "agentnet.bridge.errors";
  public static final String REDELIVERIES = "agentnet.bridge.redeliveries";
  public static final String DEAD_LETTERS = "agentnet.bridge.dead.letters";
  public static final String REQUEST_LATENCY = "agentnet.bridge.request.latency";
  public static final String BUFFERED = "agentnet.bridge.buffered";
  public static final String CONNECTED = "agentnet.bridge.connected";
  public static final String IN_FLIGHT = "agentnet.bridge.consumer.in.flight";
  public static final String KV_OPS = "agentnet.bridge.kv.ops";

  private final MeterRegistry registry;
  private final String bridge;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  public BridgeMetrics(MeterRegistry registry, String bridge) {
    this.registry = registry;
    this.bridge = bridge;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void in(String mapping) {
    counter(MESSAGES, "direction", "in", mapping).increment();
  }

  public void out(String mapping) {
    counter(MESSAGES, "direction", "out", mapping).increment();
  }

  public void error(String mapping, String reason) {
    counter(ERRORS, "reason", reason, mapping).increment();
  }

  public void redelivery(String consumer) {
    counter(REDELIVERIES, "consumer", consumer, consumer).increment();
  }

  public void deadLetter(String consumer) {
    counter(DEAD_LETTERS, "consumer", consumer, consumer).increment();
  }

  /** One KV operation: {@code outcome} is {@code ok} or the failure's name ({@code conflict}, {@code bad_request}, ...). */
  public void kvOp(String bucket, String op, String outcome) {
    String key = KV_OPS + '|' + bucket + '|' + op + '|' + outcome;
    Counter c = counters.get(key);
    if (c == null) {
      c = counters.computeIfAbsent(key, k -> Counter.builder(KV_OPS).tag("bridge", bridge).tag("bucket", bucket)
          .tag("op", op).tag("outcome", outcome).register(registry));
    }
    c.increment();
  }

  public void requestLatency(String mapping, Duration elapsed) {
    timers.computeIfAbsent(mapping, m -> Timer.builder(REQUEST_LATENCY).tag("bridge", bridge).tag("mapping", m)
        .publishPercentiles(0.5, 0.99).register(registry)).record(elapsed);
  }

  public void gauge(String name, String tagKey, String tagValue, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).tag("bridge", bridge).tag(tagKey, tagValue)
        .register(registry);
  }

  private Counter counter(String name, String tagKey, String tagValue, String mapping) {
    String key = name + '|' + tagKey + '|' + tagValue + '|' + mapping;
    Counter c = counters.get(key);
    if (c == null) {
      c = counters.computeIfAbsent(key, k -> Counter.builder(name).tag("bridge", bridge).tag(tagKey, tagValue)
          .tag("mapping", mapping).register(registry));
    }
    return c;
  }

  /** The count for one counter, or 0 when it was never incremented: for tests and the status view. */
  public double count(String name, String tagKey, String tagValue, String mapping) {
    Counter c = counters.get(name + '|' + tagKey + '|' + tagValue + '|' + mapping);
    return c == null ? 0 : c.count();
  }
}
