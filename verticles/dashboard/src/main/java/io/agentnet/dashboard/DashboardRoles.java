package io.agentnet.dashboard;

import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.Role;
import io.vertx.core.json.JsonObject;

/** The dashboard role, configured from {@code dashboard.*} and the environment (see {@link DashboardOptions}). */
public final class DashboardRoles {

  private DashboardRoles() {
  }

  public static Role dashboard(AppConfig config) {
    DashboardOptions options = DashboardOptions.fromConfig(config.json().getJsonObject("dashboard", new JsonObject()),
        config.env(), config.heartbeatInterval());
    return Role.of("dashboard", () -> new DashboardVerticle(options));
  }
}
