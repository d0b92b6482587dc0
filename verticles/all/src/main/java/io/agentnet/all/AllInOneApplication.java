package io.agentnet.all;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.agents.AgentRoles;
import io.agentnet.dashboard.DashboardRoles;
import io.agentnet.mcp.McpRoles;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeApplication;
import io.agentnet.runtime.launch.Role;

import java.util.ArrayList;
import java.util.List;

/**
 * The all-in-one jar: every role in one JVM (MCP servers, agents, the dashboard). With NATS_URL unset everything talks over the local
 * event bus (the embedded default); with it set, the bridge joins the network and the same roles
 * serve other processes too.
 */
public final class AllInOneApplication {

  private AllInOneApplication() {
  }

  public static void main(String[] args) {
    try {
      AppConfig config = NodeApplication.loadConfig();
      List<Role> roles = new ArrayList<>(McpRoles.roles(McpRoles.NAMES, config));
      roles.addAll(AgentRoles.allInOne(config));
      roles.add(DashboardRoles.dashboard(config));
      NodeApplication.launch("all-in-one", config, roles);
    } catch (ConfigException e) {
      System.err.println("agentnet-all: " + e.getMessage());
      System.exit(2);
    }
  }
}
