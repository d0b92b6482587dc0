package io.agentnet.mcp;

import io.agentnet.bridge.config.Environment;
import io.agentnet.mcp.proxmox.ProxmoxToolProvider;
import io.agentnet.mcp.proxmox.client.ProxmoxOptions;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpServerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The proxmox MCP server, in front of the Proxmox VE named by PROXMOX_HOST; without one, in front
 * of the built-in simulator of the Proxmox API, started here and said so in the log, so the
 * all-in-one jar works with nothing installed. PROXMOX_SIMULATOR_CONTROL=true turns on that
 * simulator's control API (chaos hooks for tests in other processes), PROXMOX_SIMULATOR_PORT fixes its port.
 */
final class ProxmoxServerVerticle extends VerticleBase {

  private final JsonObject section;
  private final Environment env;
  private final McpServerOptions options;
  private final String agentId;
  private final Duration heartbeatInterval;

  ProxmoxServerVerticle(JsonObject section, Environment env, McpServerOptions options, String agentId,
                        Duration heartbeatInterval) {
    this.section = section;
    this.env = env;
    this.options = options;
    this.agentId = agentId;
    this.heartbeatInterval = heartbeatInterval;
  }

  @Override
  public Future<?> start() {
    // Without PROXMOX_HOST the provider starts the simulator and says so in the log.
    return ProxmoxToolProvider.create(vertx, ProxmoxOptions.fromConfig(section, env), SimulatorOptions.fromEnv(env))
        .compose(provider -> vertx.deployVerticle(new McpServerVerticle(provider, options, agentId, heartbeatInterval)));
  }
}
