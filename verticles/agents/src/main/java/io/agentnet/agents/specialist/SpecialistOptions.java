package io.agentnet.agents.specialist;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A specialist's settings: config section {@code agents.specialist} ({@code capacity},
 * {@code drainTimeoutSeconds}, {@code toolTimeoutSeconds}, {@code types.<type>.capabilities}),
 * overridden by SPECIALIST_CAPACITY and SPECIALIST_CAPABILITIES.
 */
public final class SpecialistOptions {

  /** The types the seed names; more can be declared under agents.specialist.types. */
  public static final List<String> GENERAL = List.of("general", "validation", "provisioning", "diagnosis",
      "remediation", "metrics", "rebalancing");
  public static final List<String> MACHINE_LEARNING = List.of("general", "diagnosis", "metrics", "rebalancing");

  private String type = "general";
  private List<String> capabilities = GENERAL;
  private int capacity = 4;
  private Duration heartbeatInterval = Duration.ofSeconds(30);
  private Duration drainTimeout = Duration.ofSeconds(20);
  private Duration toolTimeout = Duration.ofMinutes(5);
  private int breakerMaxFailures = 3;
  private Duration breakerReset = Duration.ofSeconds(10);

  public static SpecialistOptions fromConfig(JsonObject section, Environment env, String type, Duration heartbeatInterval) {
    JsonObject s = section == null ? new JsonObject() : section;
    SpecialistOptions o = new SpecialistOptions();
    o.type = type;
    o.heartbeatInterval = heartbeatInterval;
    JsonObject types = s.getJsonObject("types", new JsonObject());
    List<String> caps;
    if (types.containsKey(type)) {
      JsonArray list = types.getJsonObject(type).getJsonArray("capabilities", new JsonArray());
      List<String> declared = new ArrayList<>();
      list.forEach(c -> declared.add(String.valueOf(c)));
      caps = declared;
    } else if ("general".equals(type)) {
      caps = GENERAL;
    } else if ("machine_learning".equals(type)) {
      caps = MACHINE_LEARNING;
    } else {
      throw new ConfigException("AGENT_TYPE " + type + ": no capabilities for it; declare them under "
          + "agents.specialist.types." + type + ".capabilities (known types: general, machine_learning"
          + (types.isEmpty() ? "" : ", " + String.join(", ", types.fieldNames())) + ")");
    }
    String fromEnv = env.get("SPECIALIST_CAPABILITIES");
    if (fromEnv != null) {
      caps = List.of(fromEnv.split("\\s*,\\s*"));
    }
    o.capabilities = List.copyOf(caps);
    o.capacity = env.integer("SPECIALIST_CAPACITY", s.getInteger("capacity", 4));
    if (o.capacity < 1) {
      throw new ConfigException("SPECIALIST_CAPACITY: must be at least 1, got " + o.capacity);
    }
    o.drainTimeout = Duration.ofSeconds(env.integer("DRAIN_TIMEOUT", s.getInteger("drainTimeoutSeconds", 20)));
    o.toolTimeout = Duration.ofSeconds(s.getInteger("toolTimeoutSeconds", 300));
    o.breakerMaxFailures = s.getInteger("breakerMaxFailures", 3);
    o.breakerReset = Duration.ofMillis(s.getInteger("breakerResetMs", 10000));
    return o;
  }

  public String type() { return type; }
  public List<String> capabilities() { return capabilities; }
  public int capacity() { return capacity; }
  public SpecialistOptions capacity(int n) { capacity = n; return this; }
  public Duration heartbeatInterval() { return heartbeatInterval; }
  public Duration drainTimeout() { return drainTimeout; }
  public SpecialistOptions drainTimeout(Duration d) { drainTimeout = d; return this; }
  public Duration toolTimeout() { return toolTimeout; }
  public int breakerMaxFailures() { return breakerMaxFailures; }
  public Duration breakerReset() { return breakerReset; }
}
