package io.agentnet.bridge.config;

import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.SubjectPattern;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Event bus request to NATS request: a request sent to {@code address} becomes a NATS request on
 * {@code subject} (or the {@code nats-subject} header's subject, which must match), and the NATS
 * reply becomes the event bus reply. No responders, a timeout and a remote handler failure come
 * back as three distinct failures (see {@link io.agentnet.bridge.BridgeFailure}).
 */
public record RequestMapping(String name, String address, String subject, PayloadFormat format,
                             Duration timeout) {

  public RequestMapping {
    SubjectPattern.of(subject);
    if (address == null || address.isBlank()) {
      throw new ConfigException("request mapping " + name + ": address is required");
    }
    name = name == null ? address : name;
    format = format == null ? PayloadFormat.JSON : format;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
  }

  public static RequestMapping of(String address, String subject) {
    return new RequestMapping(null, address, subject, null, null);
  }

  static RequestMapping fromJson(JsonObject json, String path) {
    ConfigReader r = new ConfigReader(json, path);
    return new RequestMapping(r.string("name", null), r.requiredString("address"), r.requiredString("subject"),
        r.enumValue("format", PayloadFormat.class, PayloadFormat.JSON), r.millis("timeoutMs", null));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("address", address).put("subject", subject)
        .put("format", format.name().toLowerCase()).put("timeoutMs", timeout.toMillis());
  }
}
