package io.agentnet.runtime.mcp.transport;

import io.agentnet.runtime.mcp.Incoming;
import io.agentnet.runtime.mcp.JsonRpc;
import io.agentnet.runtime.mcp.McpServer;
import io.agentnet.runtime.mcp.McpSession;
import io.agentnet.runtime.messaging.Messenger;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * MCP over the event bus (and so over NATS through the bridge's {@code mcp-<server>} micro service):
 * each request message is one stateless exchange, answered with the JSON-RPC response.
 */
public final class McpBusTransport {

  private McpBusTransport() {
  }

  /** The event bus address, and NATS subject, of a server: ai.mcp.&lt;server&gt;. */
  public static String address(String server) {
    return "ai.mcp." + server;
  }

  public static MessageConsumer<Object> register(Vertx vertx, McpServer server) {
    // declared as served here, so this process's own agents reach it on the local bus, not NATS
    return Messenger.serve(vertx, vertx.eventBus().consumer(address(server.name()), (Message<Object> message) -> {
      Incoming incoming = incoming(server, message.body());
      server.handle(incoming, McpSession.stateless(), null).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else {
          message.reply(JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "Internal error: " + ar.cause().getMessage()));
        }
      });
    }));
  }

  /** JSON bodies from local senders are used as they are; bytes and text (from NATS) are parsed. */
  private static Incoming incoming(McpServer server, Object body) {
    if (body instanceof JsonObject message) {
      return Incoming.of(List.of(message), false);
    }
    if (body instanceof JsonArray batch) {
      if (batch.isEmpty()) {
        return Incoming.refused(JsonRpc.INVALID_REQUEST, "Invalid request: an empty batch");
      }
      List<JsonObject> messages = new ArrayList<>();
      batch.forEach(e -> messages.add(e instanceof JsonObject m ? m : null));
      return Incoming.of(messages, true);
    }
    if (body instanceof Buffer buffer) {
      return server.parse(buffer);
    }
    if (body instanceof String text) {
      return server.parse(Buffer.buffer(text));
    }
    if (body instanceof byte[] bytes) {
      return server.parse(Buffer.buffer(bytes));
    }
    return Incoming.refused(JsonRpc.INVALID_REQUEST, "Invalid request: expected a JSON-RPC message, got "
        + (body == null ? "an empty body" : body.getClass().getSimpleName()));
  }
}
