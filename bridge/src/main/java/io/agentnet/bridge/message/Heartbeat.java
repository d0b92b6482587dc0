package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * An agent's periodic sign of life, on {@code ai.heartbeat.<agent_id>} (core NATS): who it is,
 * what it can do (default nothing), its load from 0.0 to 1.0 and its status.
 */
public record Heartbeat(
    String agentId, String agentType, List<String> capabilities, double load, AgentStatus status, Instant timestamp) {

  public static final String TYPE = "Heartbeat";

  /** @throws MessageFormatException when a field is missing, blank or out of range */
  public Heartbeat {
    JsonFields.checkText(TYPE, "agent_id", agentId);
    JsonFields.checkText(TYPE, "agent_type", agentType);
    capabilities = JsonFields.copyTexts(TYPE, "capabilities", capabilities == null ? List.of() : capabilities);
    JsonFields.checkFraction(TYPE, "load", load);
    JsonFields.checkPresent(TYPE, "status", status);
    JsonFields.checkPresent(TYPE, "timestamp", timestamp);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("agent_id", agentId)
        .put("agent_type", agentType)
        .put("capabilities", JsonFields.toArray(capabilities))
        .put("load", load)
        .put("status", status.json())
        .put("timestamp", timestamp.toString());
  }

  /** @throws MessageFormatException naming the first field that breaks the contract */
  public static Heartbeat fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(TYPE, json);
    return new Heartbeat(
        in.requireString("agent_id"),
        in.requireString("agent_type"),
        in.optStringList("capabilities"),
        in.requireDouble("load"),
        in.requireEnum("status", AgentStatus::fromJson),
        in.requireInstant("timestamp"));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static Heartbeat decode(Buffer body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static Heartbeat decode(byte[] body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }
}
