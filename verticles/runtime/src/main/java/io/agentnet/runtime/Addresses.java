package io.agentnet.runtime;

/**
 * Event bus addresses shared by every verticle. They are the same in local and NATS mode: the
 * bridge maps each to its NATS subjects (conf/agentnet.json), and the concrete subject travels in
 * the {@code nats-subject} delivery header.
 */
public final class Addresses {

  /** Heartbeats; subject {@code ai.heartbeat.<agent_id>}. */
  public static final String HEARTBEAT = "ai.heartbeat";
  /** Workflow, task, agent and alert events; subject {@code ai.events.<kind>.<id>}. */
  public static final String EVENTS = "ai.events";
  /** Metric reports; subject {@code ai.metrics.<agent_id>}. */
  public static final String METRICS = "ai.metrics";

  private Addresses() {
  }

  public static String heartbeatSubject(String agentId) {
    return "ai.heartbeat." + agentId;
  }

  public static String metricsSubject(String agentId) {
    return "ai.metrics." + agentId;
  }
}
