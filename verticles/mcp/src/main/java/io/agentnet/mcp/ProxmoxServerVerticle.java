package io.agentnet.mcp;

import io.agentnet.bridge.config.Environment;
import io.agentnet.mcp.proxmox.ProxmoxToolProvider;
import io.agentnet.mcp.proxmox.client.ProxmoxOptions;
import io.agentnet.mcp.proxmox.simulator.ProxmoxSimulator;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpServerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The proxmox MCP server, in front of the Proxmox VE named by PROXMOX_HOST; without one, in front
 * of the built-in simulator of the Proxmox API, started here and said so in the log, so the
 * all-in-one jar works with nothing installed.
 */
final class ProxmoxServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProxmoxServerVerticle.class);

  private final JsonObject section;
  private final Environment env;
  private final McpServerOptions options;
  private final String agentId;
  private final Duration heartbeatInterval;
  private ProxmoxSimulator simulator;

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
    ProxmoxOptions configured = ProxmoxOptions.fromConfig(section, env);
    Future<ProxmoxOptions> target;
    if (configured.host() == null || configured.host().isBlank()) {
      target = ProxmoxSimulator.start(vertx, new SimulatorOptions()).map(sim -> {
        simulator = sim;
        LOG.warn("PROXMOX_HOST is not set: the proxmox MCP server uses the built-in Proxmox VE API SIMULATOR "
            + "(in-memory nodes pve1-pve3, not a real cluster) at https://127.0.0.1:{}/api2/json", sim.port());
        return sim.clientOptions();
      });
    } else {
      target = Future.succeededFuture(configured);
    }
    return target.compose(o -> vertx.deployVerticle(
        new McpServerVerticle(new ProxmoxToolProvider(o), options, agentId, heartbeatInterval)));
  }

  @Override
  public Future<?> stop() {
    return simulator == null ? Future.succeededFuture() : simulator.close();
  }
}
