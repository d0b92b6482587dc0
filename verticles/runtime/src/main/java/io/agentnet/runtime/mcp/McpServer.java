package io.agentnet.runtime.mcp;

import io.agentnet.runtime.mcp.impl.McpServerImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.Consumer;

import io.vertx.core.json.JsonObject;

/**
 * One MCP server: the JSON-RPC protocol (initialize, ping, tools/list, tools/call, logging) over a
 * {@link ToolProvider}'s tools, independent of transport. The bus, HTTP and stdio transports all
 * hand it raw messages and send back what it answers.
 */
public interface McpServer {

  static McpServer create(Vertx vertx, ToolProvider provider, McpServerOptions options) {
    return new McpServerImpl(vertx, provider, options);
  }

  /** The provider's server name (filesystem, proxmox, cloud). */
  String name();

  List<Tool> tools();

  McpServerOptions options();

  /** Parses a message or batch; a parse failure is kept in the result to be answered, not thrown. */
  Incoming parse(Buffer raw);

  /**
   * Handles parsed messages for a session. The future holds the response (a JsonObject, or a
   * JsonArray for a batch), or null when nothing needs an answer (only notifications and
   * responses). {@code streamed} receives notifications tied to these requests (progress), or
   * is null when the transport cannot carry them.
   */
  Future<Object> handle(Incoming incoming, McpSession session, Consumer<JsonObject> streamed);

  /** Parse and handle in one step (bus and stdio). */
  default Future<Object> handle(Buffer raw, McpSession session, Consumer<JsonObject> streamed) {
    return handle(parse(raw), session, streamed);
  }

  /** Frees what the provider holds. */
  void close();
}
