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
   * The identity of one role of a process: AGENT_ID when the process runs only this role, else
   * {@code prefix} plus a short random suffix, so replicas started from one config do not collide.
   */
  public static AgentIdentity forRole(Environment env, String prefix, String type, boolean onlyRole,
                                      List<String> capabilities) {
    String id = onlyRole && env.get("AGENT_ID") != null ? env.get("AGENT_ID") : randomId(prefix);
    return new AgentIdentity(id, type, capabilities);
  }

  /** {@code prefix-xxxxxxxx}: a name for one run of something. */
  public static String randomId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
