package io.agentnet.runtime;

import io.agentnet.bridge.SubjectPattern;
import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;

import java.util.List;
import java.util.UUID;

/** Who a process (agent or MCP server) is on the network: its id, its type and what it can do. */
public record AgentIdentity(String agentId, String agentType, List<String> capabilities) {

  public AgentIdentity {
    String problem = agentId == null ? "it is missing" : SubjectPattern.concreteSubjectProblem(agentId);
    if (problem == null && agentId.contains(".")) {
      problem = "it must be one subject token, without dots";
    }
    if (problem != null) {
      throw new ConfigException("AGENT_ID \"" + agentId + "\" cannot be used in ai.heartbeat.<agent_id>: " + problem);
    }
    if (agentType == null || agentType.isBlank()) {
      throw new ConfigException("AGENT_TYPE must not be empty");
    }
    capabilities = List.copyOf(capabilities);
  }

  /**
   * AGENT_ID and AGENT_TYPE from the environment; without AGENT_ID the id is the type plus a short
   * random suffix, so replicas started from one config do not collide.
   */
  public static AgentIdentity fromEnvironment(Environment env, String defaultType, List<String> capabilities) {
    String type = env.get("AGENT_TYPE", defaultType);
    String id = env.get("AGENT_ID", type + "-" + UUID.randomUUID().toString().substring(0, 8));
    return new AgentIdentity(id, type, capabilities);
  }
}
