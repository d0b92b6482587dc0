package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * An agent's periodic sign of life, on {@code ai.heartbeat.<agent_id>} (core NATS): who it is,
 * what it can do (default nothing), its load from 0.0 to 1.0 and its status; agents that take work also
 * say how many tasks they run at once ({@code capacity}, an agentnet addition; 0 and left out of the
 * JSON when the agent takes none).
 */
public record Heartbeat(
    String agentId, String agentType, List<String> capabilities, double load, AgentStatus status, Instant timestamp,
    int capacity) {

  public static final String TYPE = "Heartbeat";

  /** @throws MessageFormatException when a field is missing, blank or out of range */
  public Heartbeat {
    JsonFields.checkText(TYPE, "agent_id", agentId);
    JsonFields.checkText(TYPE, "agent_type", agentType);
    capabilities = JsonFields.copyTexts(TYPE, "capabilities", capabilities == null ? List.of() : capabilities);
    JsonFields.checkFraction(TYPE, "load", load);
    JsonFields.checkPresent(TYPE, "status", status);
    JsonFields.checkPresent(TYPE, "timestamp", timestamp);
    if (capacity < 0) {
      throw new MessageFormatException(TYPE, "capacity", "must not be negative, got " + capacity);
    }
  }

  public Heartbeat(
      String agentId, String agentType, List<String> capabilities, double load, AgentStatus status, Instant timestamp) {
    this(agentId, agentType, capabilities, load, status, timestamp, 0);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("agent_id", agentId)
        .put("agent_type", agentType)
        .put("capabilities", JsonFields.toArray(capabilities))
        .put("load", load)
        .put("status", status.json())
        .put("timestamp", timestamp.toString());
    return capacity > 0 ? json.put("capacity", capacity) : json;
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
        in.requireInstant("timestamp"),
        in.optInt("capacity", 0));
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
