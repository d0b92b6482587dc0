package io.agentnet.mcp;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.agentnet.mcp.cloud.CloudOptions;
import io.agentnet.mcp.cloud.CloudToolProvider;
import io.agentnet.mcp.filesystem.FilesystemOptions;
import io.agentnet.mcp.filesystem.FilesystemToolProvider;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.Role;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpServerVerticle;
import io.agentnet.runtime.mcp.ToolProvider;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The MCP server roles a process can run (filesystem, proxmox, cloud), each configured from the
 * {@code mcp.<name>} section of the app config (its {@code http} object for the MCP endpoint, the
 * rest for the server's own settings) and the environment.
 */
public final class McpRoles {

  public static final List<String> NAMES = List.of("filesystem", "proxmox", "cloud");

  private McpRoles() {
  }

  /** The seed's ports: proxmox 8001, filesystem 8002, cloud 8003. */
  public static int defaultPort(String name) {
    return switch (name) {
      case "proxmox" -> 8001;
      case "filesystem" -> 8002;
      case "cloud" -> 8003;
      default -> throw unknown(name);
    };
  }

  public static List<Role> roles(List<String> names, AppConfig config) {
    List<Role> roles = new ArrayList<>();
    for (String name : names) {
      roles.add(role(name, config, names.size() == 1));
    }
    return roles;
  }

  /** One server as a role; {@code onlyServer}: MCP_PORT and AGENT_ID apply to it. */
  public static Role role(String name, AppConfig config, boolean onlyServer) {
    JsonObject section = section(config, name);
    Environment env = config.env();
    McpServerOptions options = McpServerOptions.fromConfig(name, section.getJsonObject("http"), env, defaultPort(name),
        onlyServer);
    String agentId = AgentIdentity.forRole(env, "mcp-" + name, "mcp-server", onlyServer, List.of()).agentId();
    if ("proxmox".equals(name)) {
      return Role.of(name, () -> new ProxmoxServerVerticle(section, env, options, agentId, config.heartbeatInterval()),
          McpServerVerticle.serviceMapping(name, options.getToolTimeout()));
    }
    return Role.of(name, () -> new McpServerVerticle(provider(name, config), options, agentId, config.heartbeatInterval()),
        McpServerVerticle.serviceMapping(name, options.getToolTimeout()));
  }

  /** The tools of a server that needs nothing started first (filesystem, cloud). */
  public static ToolProvider provider(String name, AppConfig config) {
    JsonObject section = section(config, name);
    return switch (name) {
      case "filesystem" -> new FilesystemToolProvider(FilesystemOptions.fromConfig(section, config.env()));
      case "cloud" -> CloudToolProvider.create(CloudOptions.fromConfig(section, config.env()));
      default -> throw unknown(name);
    };
  }

  public static JsonObject section(AppConfig config, String name) {
    return config.json().getJsonObject("mcp", new JsonObject()).getJsonObject(name, new JsonObject());
  }

  static ConfigException unknown(String name) {
    return new ConfigException("unknown MCP server \"" + name + "\": choose from " + String.join(", ", NAMES));
  }
}
