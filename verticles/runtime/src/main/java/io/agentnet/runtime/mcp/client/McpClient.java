package io.agentnet.runtime.mcp.client;

import io.agentnet.runtime.mcp.JsonRpc;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.mcp.transport.McpBusTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How agents call MCP tools: JSON-RPC over the event bus to {@code ai.mcp.<server>}, which reaches
 * a server in this process or, through the bridge, one anywhere on NATS. A JSON-RPC error fails
 * the future with {@link McpException}; a tool's own failure is a result with {@code isError}.
 */
public final class McpClient {

  private final Messenger messenger;
  private final AtomicLong ids = new AtomicLong();

  private McpClient(Vertx vertx) {
    this.messenger = Messenger.create(vertx);
  }

  public static McpClient create(Vertx vertx) {
    return new McpClient(vertx);
  }

  /** Every tool of a server, following pagination cursors. */
  public Future<JsonArray> listTools(String server, Duration timeout) {
    return listPage(server, null, new JsonArray(), timeout);
  }

  private Future<JsonArray> listPage(String server, String cursor, JsonArray acc, Duration timeout) {
    JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
    return request(server, "tools/list", params, timeout).compose(result -> {
      result.getJsonArray("tools", new JsonArray()).forEach(acc::add);
      String next = result.getString("nextCursor");
      return next == null ? Future.succeededFuture(acc) : listPage(server, next, acc, timeout);
    });
  }

  /** The CallToolResult (content, structuredContent, isError) of one call. */
  public Future<JsonObject> callTool(String server, String tool, JsonObject arguments, Duration timeout) {
    return request(server, "tools/call", new JsonObject().put("name", tool).put("arguments", arguments), timeout);
  }

  public Future<JsonObject> ping(String server, Duration timeout) {
    return request(server, "ping", new JsonObject(), timeout);
  }

  /** One JSON-RPC request; the future holds its result object. */
  public Future<JsonObject> request(String server, String method, JsonObject params, Duration timeout) {
    JsonObject message = JsonRpc.request(ids.incrementAndGet(), method, params);
    return messenger.<Object>request(McpBusTransport.address(server), message, timeout)
        .map(reply -> {
          JsonObject response = Messenger.jsonBody(reply.body());
          JsonObject error = response.getJsonObject("error");
          if (error != null) {
            throw new McpException(error.getInteger("code", JsonRpc.INTERNAL_ERROR), error.getString("message"));
          }
          return response.getJsonObject("result", new JsonObject());
        });
  }

  /** The text blocks of a tool result, joined: what a person would read. */
  public static String text(JsonObject callResult) {
    List<String> parts = new ArrayList<>();
    callResult.getJsonArray("content", new JsonArray()).forEach(block -> {
      if (block instanceof JsonObject b && "text".equals(b.getString("type"))) {
        parts.add(b.getString("text"));
      }
    });
    return String.join("\n", parts);
  }
}
