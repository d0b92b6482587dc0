package io.agentnet.bridge.config;

import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.SubjectPattern;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Event bus services exposed as one NATS micro service (the jnats Service API), so
 * {@code $SRV.PING}, {@code $SRV.INFO} and {@code $SRV.STATS} discover it. Each endpoint forwards
 * requests on its subject to an event bus address and sends the reply, or a service error with the
 * handler's code and message, back.
 */
public record ServiceMapping(String name, String version, String description, List<Endpoint> endpoints) {

  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+].*)?");

  public record Endpoint(String name, String subject, String address, String queue, PayloadFormat format,
                         Duration timeout) {
    public Endpoint {
      SubjectPattern.of(subject);
      if (address == null || address.isBlank()) {
        throw new ConfigException("service endpoint " + name + ": address is required");
      }
      if (name == null || !SERVICE_NAME.matcher(name).matches()) {
        throw new ConfigException("service endpoint name \"" + name + "\" may only use letters, digits, - and _");
      }
      format = format == null ? PayloadFormat.JSON : format;
      timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    public static Endpoint of(String name, String subject, String address) {
      return new Endpoint(name, subject, address, null, null, null);
    }

    static Endpoint fromJson(JsonObject json, String path) {
      ConfigReader r = new ConfigReader(json, path);
      return new Endpoint(r.requiredString("name"), r.requiredString("subject"), r.requiredString("address"),
          r.string("queue", null), r.enumValue("format", PayloadFormat.class, PayloadFormat.JSON),
          r.millis("timeoutMs", null));
    }

    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("subject", subject).put("address", address)
          .put("queue", queue).put("format", format.name().toLowerCase()).put("timeoutMs", timeout.toMillis());
    }
  }

  public ServiceMapping {
    if (name == null || !SERVICE_NAME.matcher(name).matches()) {
      throw new ConfigException("service name \"" + name + "\" may only use letters, digits, - and _");
    }
    version = version == null ? "1.0.0" : version;
    if (!SEMVER.matcher(version).matches()) {
      throw new ConfigException("service " + name + ": version \"" + version + "\" is not semantic (x.y.z)");
    }
    description = description == null ? "" : description;
    if (endpoints == null || endpoints.isEmpty()) {
      throw new ConfigException("service " + name + ": at least one endpoint is required");
    }
    endpoints = List.copyOf(endpoints);
  }

  static ServiceMapping fromJson(JsonObject json, String path) {
    ConfigReader r = new ConfigReader(json, path);
    return new ServiceMapping(r.requiredString("name"), r.string("version", null), r.string("description", null),
        r.objects("endpoints", Endpoint::fromJson));
  }

  public JsonObject toJson() {
    JsonArray eps = new JsonArray();
    endpoints.forEach(e -> eps.add(e.toJson()));
    return new JsonObject().put("name", name).put("version", version).put("description", description)
        .put("endpoints", eps);
  }
}
