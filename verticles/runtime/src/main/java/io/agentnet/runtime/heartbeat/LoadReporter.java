package io.agentnet.runtime.heartbeat;

import io.agentnet.bridge.message.AgentStatus;

/** What a heartbeat says about the agent's work: load (in-flight work over capacity) and status. */
public interface LoadReporter {

  /** 0.0 (idle) to 1.0 (at capacity). */
  double load();

  AgentStatus status();

  /** How many tasks the agent runs at once; 0 for processes that take none. */
  default int capacity() {
    return 0;
  }

  /** For processes that take no work of their own: always idle and available. */
  static LoadReporter idle() {
    return new LoadReporter() {
      @Override
      public double load() {
        return 0.0;
      }

      @Override
      public AgentStatus status() {
        return AgentStatus.AVAILABLE;
      }
    };
  }
}
