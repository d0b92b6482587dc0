package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What an agent can do and how busy it is, as the agent registry keeps it (built from the
 * heartbeats on {@code ai.heartbeat.<agent_id>}). Load runs from 0.0 (idle) to 1.0 (full).
 */
public record AgentCapability(String agentId, List<String> capabilities, double load, AgentStatus status) {

  public static final String TYPE = "AgentCapability";

  /** @throws MessageFormatException when a field is missing, blank or out of range */
  public AgentCapability {
    JsonFields.checkText(TYPE, "agent_id", agentId);
    capabilities = JsonFields.copyTexts(TYPE, "capabilities", capabilities);
    JsonFields.checkFraction(TYPE, "load", load);
    JsonFields.checkPresent(TYPE, "status", status);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("agent_id", agentId)
        .put("capabilities", JsonFields.toArray(capabilities))
        .put("load", load)
        .put("status", status.json());
  }

  /** @throws MessageFormatException naming the first field that breaks the contract */
  public static AgentCapability fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(TYPE, json);
    return new AgentCapability(
        in.requireString("agent_id"),
        in.requireStringList("capabilities"),
        in.requireDouble("load"),
        in.requireEnum("status", AgentStatus::fromJson));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static AgentCapability decode(Buffer body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static AgentCapability decode(byte[] body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }
}
