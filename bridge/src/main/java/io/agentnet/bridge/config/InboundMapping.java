package io.agentnet.bridge.config;

import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.SubjectPattern;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * NATS to event bus: a core subscription on {@code subject} (wildcards allowed, optionally in a
 * queue group) whose messages go to {@code address}. With {@link Delivery#REQUEST} the handler's
 * reply (or failure) is sent back to the NATS requester.
 */
public record InboundMapping(String name, String subject, String queue, String address,
                             Delivery delivery, PayloadFormat format, Duration timeout) {

  public enum Delivery { PUBLISH, SEND, REQUEST }

  public InboundMapping {
    SubjectPattern.of(subject);
    if (address == null || address.isBlank()) {
      throw new ConfigException("inbound mapping " + name + ": address is required");
    }
    name = name == null ? subject : name;
    delivery = delivery == null ? Delivery.PUBLISH : delivery;
    format = format == null ? PayloadFormat.JSON : format;
    timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
  }

  public static InboundMapping publish(String subject, String address) {
    return new InboundMapping(null, subject, null, address, Delivery.PUBLISH, null, null);
  }

  public static InboundMapping request(String subject, String queue, String address) {
    return new InboundMapping(null, subject, queue, address, Delivery.REQUEST, null, null);
  }

  static InboundMapping fromJson(JsonObject json, String path) {
    ConfigReader r = new ConfigReader(json, path);
    return new InboundMapping(r.string("name", null), r.requiredString("subject"), r.string("queue", null),
        r.requiredString("address"), r.enumValue("delivery", Delivery.class, Delivery.PUBLISH),
        r.enumValue("format", PayloadFormat.class, PayloadFormat.JSON), r.millis("timeoutMs", null));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("subject", subject).put("queue", queue)
        .put("address", address).put("delivery", delivery.name().toLowerCase())
        .put("format", format.name().toLowerCase()).put("timeoutMs", timeout.toMillis());
  }
}
