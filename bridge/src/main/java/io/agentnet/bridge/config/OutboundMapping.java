package io.agentnet.bridge.config;

import io.agentnet.bridge.SubjectPattern;
import io.vertx.core.json.JsonObject;

/**
 * Event bus to NATS: messages published or sent to {@code address} go out on {@code subject}. When
 * the subject has wildcards the sender names the concrete subject in the {@code nats-subject}
 * header, and it must match. With {@code jetstream} the publish waits for the stream's PubAck and
 * sets {@code Nats-Msg-Id} for de-duplication. A sender that asks for a reply is told the outcome.
 */
public record OutboundMapping(String name, String address, String subject, boolean jetstream) {

  public OutboundMapping {
    SubjectPattern.of(subject);
    if (address == null || address.isBlank()) {
      throw new ConfigException("outbound mapping " + name + ": address is required");
    }
    name = name == null ? address : name;
  }

  public static OutboundMapping core(String address, String subject) {
    return new OutboundMapping(null, address, subject, false);
  }

  public static OutboundMapping jetStream(String address, String subject) {
    return new OutboundMapping(null, address, subject, true);
  }

  static OutboundMapping fromJson(JsonObject json, String path) {
    ConfigReader r = new ConfigReader(json, path);
    return new OutboundMapping(r.string("name", null), r.requiredString("address"), r.requiredString("subject"),
        r.bool("jetstream", false));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("address", address).put("subject", subject)
        .put("jetstream", jetstream);
  }
}
