package io.agentnet.dashboard;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeApplication;

import java.util.List;

/** The dashboard jar: {@code java -jar agentnet-dashboard.jar}; joins the network when NATS_URL is set. */
public final class DashboardApplication {

  private DashboardApplication() {
  }

  public static void main(String[] args) {
    try {
      AppConfig config = NodeApplication.loadConfig();
      NodeApplication.launch("dashboard", config, List.of(DashboardRoles.dashboard(config)));
    } catch (ConfigException e) {
      System.err.println("agentnet-dashboard: " + e.getMessage());
      System.exit(2);
    }
  }
}
