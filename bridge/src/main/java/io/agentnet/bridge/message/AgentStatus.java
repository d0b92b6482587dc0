package io.agentnet.bridge.message;

import java.util.Locale;

/** What an agent reports about itself in heartbeats and capability records; JSON value is lowercase. */
public enum AgentStatus {
  AVAILABLE, BUSY, DRAINING, OFFLINE;

  /** The JSON value, e.g. {@code "available"}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The status with this JSON value.
   *
   * @throws MessageFormatException naming the allowed values when there is none
   */
  public static AgentStatus fromJson(String value) {
    return JsonFields.parseEnum("AgentStatus", values(), AgentStatus::json, value);
  }
}
