package io.agentnet.runtime.mcp;

import java.util.List;

/**
 * A set of tools that makes one MCP server (filesystem, proxmox, cloud): what the server is
 * called and what it offers. The protocol and the transports are the same for all of them.
 */
public interface ToolProvider {

  /** The server's short name: ai.mcp.&lt;name&gt;, micro service mcp-&lt;name&gt;. */
  String serverName();

  /** Human-readable version of what is behind the tools, for serverInfo. */
  default String version() {
    return "0.1.0";
  }

  /** What a client should know before using these tools (MCP initialize instructions), or null. */
  default String instructions() {
    return null;
  }

  List<Tool> tools();

  /** Frees clients, threads and files; called once when the server stops. */
  default void close() {
  }
}
