package io.agentnet.runtime.registry;

import io.agentnet.runtime.store.KeyValueStore;

import java.time.Duration;

/**
 * How an {@link AgentDirectory} runs: the heartbeat interval of the network (offline after
 * {@value AgentRegistry#MISSED_BEATS} of them), the registry bucket to catch up from at start
 * (null: none, agents appear as their heartbeats arrive), and whether it announces transitions as
 * {@code agent.*} events (only the monitor does, so each change is announced once), as which agent.
 */
public final class DirectoryOptions {

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private KeyValueStore registryStore;
  private boolean publishEvents;
  private String sourceAgentId;
  private boolean logTransitions = true;

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public DirectoryOptions setHeartbeatInterval(Duration heartbeatInterval) {
    if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatInterval);
    }
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  /** The {@code agentnet_registry} bucket, or null. */
  public KeyValueStore getRegistryStore() {
    return registryStore;
  }

  public DirectoryOptions setRegistryStore(KeyValueStore registryStore) {
    this.registryStore = registryStore;
    return this;
  }

  public boolean isPublishEvents() {
    return publishEvents;
  }

  /** Publish agent.online, agent.offline and agent.draining on {@code ai.events.agent.<agent_id>}; needs a source. */
  public DirectoryOptions setPublishEvents(boolean publishEvents) {
    this.publishEvents = publishEvents;
    return this;
  }

  /** The agent id the events name as their source. */
  public String getSourceAgentId() {
    return sourceAgentId;
  }

  public DirectoryOptions setSourceAgentId(String sourceAgentId) {
    this.sourceAgentId = sourceAgentId;
    return this;
  }

  public boolean isLogTransitions() {
    return logTransitions;
  }

  /** Whether each transition is logged (default true); a process with several directories needs it only once. */
  public DirectoryOptions setLogTransitions(boolean logTransitions) {
    this.logTransitions = logTransitions;
    return this;
  }
}
