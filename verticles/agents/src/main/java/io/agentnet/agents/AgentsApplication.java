package io.agentnet.agents;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeApplication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The agents jar: {@code java -jar agentnet-agents.jar [orchestrator] [specialist] [monitor]} runs
 * those agents (all three when none is named, or AGENT_ROLES). A specialist's type comes from
 * AGENT_TYPE (general, machine_learning, or one declared in config).
 */
public final class AgentsApplication {

  private AgentsApplication() {
  }

  public static void main(String[] args) {
    try {
      AppConfig config = NodeApplication.loadConfig();
      List<String> names = new ArrayList<>(Arrays.asList(args));
      if (names.isEmpty()) {
        String configured = config.env().get("AGENT_ROLES");
        names.addAll(configured == null ? AgentRoles.NAMES : Arrays.stream(configured.split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList());
      }
      NodeApplication.launch("agents", config, AgentRoles.roles(names, config));
    } catch (ConfigException e) {
      System.err.println("agentnet-agents: " + e.getMessage());
      System.err.println("usage: java -jar agentnet-agents.jar [orchestrator] [specialist] [monitor]");
      System.exit(2);
    }
  }
}
