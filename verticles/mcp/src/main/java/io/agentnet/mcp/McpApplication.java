package io.agentnet.mcp;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.mcp.filesystem.FilesystemOptions;
import io.agentnet.mcp.filesystem.FilesystemToolProvider;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeApplication;
import io.agentnet.runtime.mcp.McpServer;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.ToolProvider;
import io.agentnet.runtime.mcp.transport.McpStdioTransport;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MCP jar: {@code java -jar agentnet-mcp.jar [filesystem] [proxmox] [cloud]} runs those servers
 * on the network (all three when none is named, or MCP_ROLES); {@code java -jar agentnet-mcp.jar
 * filesystem --stdio /path/to/root ...} runs one server over stdio for a desktop MCP client, with
 * nothing but MCP on stdout (logs go to stderr).
 */
public final class McpApplication {

  private McpApplication() {
  }

  public static void main(String[] args) {
    try {
      List<String> argList = Arrays.asList(args);
      AppConfig config = NodeApplication.loadConfig();
      if (argList.contains("--stdio")) {
        runStdio(argList, config);
        return;
      }
      List<String> names = new ArrayList<>(argList);
      if (names.isEmpty()) {
        String configured = config.env().get("MCP_ROLES");
        names.addAll(configured == null ? McpRoles.NAMES : Arrays.stream(configured.split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList());
      }
      NodeApplication.launch("mcp", config, McpRoles.roles(names, config));
    } catch (ConfigException e) {
      System.err.println("agentnet-mcp: " + e.getMessage());
      System.err.println("usage: java -jar agentnet-mcp.jar [filesystem] [proxmox] [cloud]");
      System.err.println("       java -jar agentnet-mcp.jar filesystem --stdio ROOT [ROOT...]");
      System.exit(2);
    }
  }

  private static void runStdio(List<String> args, AppConfig config) {
    List<String> rest = args.stream().filter(a -> !a.equals("--stdio")).toList();
    if (rest.isEmpty()) {
      throw new ConfigException("--stdio needs the server to run first, e.g. filesystem --stdio /path/to/root");
    }
    String name = rest.get(0);
    List<String> roots = rest.subList(1, rest.size());
    ToolProvider provider;
    if ("filesystem".equals(name)) {
      provider = new FilesystemToolProvider(roots.isEmpty()
          ? FilesystemOptions.fromConfig(McpRoles.section(config, name), config.env())
          : FilesystemOptions.fromConfig(McpRoles.section(config, name), config.env())
              .withRoots(roots.stream().map(java.nio.file.Path::of).toList()));
    } else if ("cloud".equals(name)) {
      provider = McpRoles.provider(name, config);
    } else {
      throw new ConfigException("--stdio runs filesystem or cloud, not \"" + name + "\"");
    }
    Vertx vertx = Vertx.vertx();
    McpServer server = McpServer.create(vertx, provider, new McpServerOptions());
    vertx.runOnContext(v -> new McpStdioTransport(server, System.in, System.out).serve(vertx)
        .onComplete(ar -> {
          server.close();
          vertx.close().onComplete(c -> System.exit(0));
        }));
  }
}
