package io.agentnet.bridge.config;

import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.SubjectPattern;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * A durable JetStream pull consumer feeding an event bus handler, at least once. The handler's
 * reply acknowledges; a failure naks with a delay that grows with each delivery; a permanent
 * failure (code 4xx) or the last allowed delivery sends the message to {@code deadLetterSubject}
 * with the reason, then terminates it. At most {@code maxInFlight} messages are unacknowledged at
 * once, so a slow handler slows the pulling instead of growing memory.
 */
public record ConsumerMapping(String durable, String stream, String filterSubject, String address,
                              PayloadFormat format, int maxInFlight, int maxDeliver, Duration handlerTimeout,
                              Duration backoffBase, Duration backoffMax, String deadLetterSubject) {

  public ConsumerMapping {
    if (durable == null || durable.isBlank() || durable.contains(".") || durable.contains(" ")) {
      throw new ConfigException("consumer durable name \"" + durable + "\" must be non-empty, without dots or spaces");
    }
    if (stream == null || stream.isBlank()) {
      throw new ConfigException("consumer " + durable + ": stream is required");
    }
    if (address == null || address.isBlank()) {
      throw new ConfigException("consumer " + durable + ": address is required");
    }
    if (filterSubject != null) {
      SubjectPattern.of(filterSubject);
    }
    if (maxInFlight < 1 || maxDeliver < 1) {
      throw new ConfigException("consumer " + durable + ": maxInFlight and maxDeliver must be at least 1");
    }
    format = format == null ? PayloadFormat.JSON : format;
    handlerTimeout = handlerTimeout == null ? Duration.ofSeconds(30) : handlerTimeout;
    backoffBase = backoffBase == null ? Duration.ofSeconds(1) : backoffBase;
    backoffMax = backoffMax == null ? Duration.ofMinutes(1) : backoffMax;
    deadLetterSubject = deadLetterSubject == null ? "ai.dlq." + stream + "." + durable : deadLetterSubject;
    if (SubjectPattern.concreteSubjectProblem(deadLetterSubject) != null) {
      throw new ConfigException("consumer " + durable + ": dead-letter subject \"" + deadLetterSubject + "\": "
          + SubjectPattern.concreteSubjectProblem(deadLetterSubject));
    }
  }

  /** A consumer with the defaults: 64 in flight, 5 deliveries, 30 s handler timeout, 1 s..1 min backoff. */
  public static ConsumerMapping of(String durable, String stream, String filterSubject, String address) {
    return new ConsumerMapping(durable, stream, filterSubject, address, null, 64, 5, null, null, null, null);
  }

  public ConsumerMapping withMaxInFlight(int n) {
    return new ConsumerMapping(durable, stream, filterSubject, address, format, n, maxDeliver, handlerTimeout,
        backoffBase, backoffMax, deadLetterSubject);
  }

  public ConsumerMapping withMaxDeliver(int n) {
    return new ConsumerMapping(durable, stream, filterSubject, address, format, maxInFlight, n, handlerTimeout,
        backoffBase, backoffMax, deadLetterSubject);
  }

  public ConsumerMapping withBackoff(Duration base, Duration max) {
    return new ConsumerMapping(durable, stream, filterSubject, address, format, maxInFlight, maxDeliver,
        handlerTimeout, base, max, deadLetterSubject);
  }

  /** How long the server waits for an ack before redelivering: the handler timeout plus a margin. */
  public Duration ackWait() {
    return handlerTimeout.plusSeconds(5);
  }

  static ConsumerMapping fromJson(JsonObject json, String path) {
    ConfigReader r = new ConfigReader(json, path);
    return new ConsumerMapping(r.requiredString("durable"), r.requiredString("stream"),
        r.string("filterSubject", null), r.requiredString("address"),
        r.enumValue("format", PayloadFormat.class, PayloadFormat.JSON), r.integer("maxInFlight", 64, 1),
        r.integer("maxDeliver", 5, 1), r.millis("handlerTimeoutMs", null), r.millis("backoffBaseMs", null),
        r.millis("backoffMaxMs", null), r.string("deadLetterSubject", null));
  }

  public JsonObject toJson() {
    return new JsonObject().put("durable", durable).put("stream", stream).put("filterSubject", filterSubject)
        .put("address", address).put("format", format.name().toLowerCase()).put("maxInFlight", maxInFlight)
        .put("maxDeliver", maxDeliver).put("handlerTimeoutMs", handlerTimeout.toMillis())
        .put("backoffBaseMs", backoffBase.toMillis()).put("backoffMaxMs", backoffMax.toMillis())
        .put("deadLetterSubject", deadLetterSubject);
  }
}
