package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonObject;

/** JSON-RPC 2.0 message shapes and the error codes MCP uses. */
public final class JsonRpc {

  public static final String VERSION = "2.0";
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;

  private JsonRpc() {
  }

  /** An error response; {@code id} is null when the request's id could not be read. */
  public static JsonObject error(Object id, int code, String message) {
    return new JsonObject().put("jsonrpc", VERSION).put("id", id)
        .put("error", new JsonObject().put("code", code).put("message", message));
  }

  public static JsonObject result(Object id, JsonObject result) {
    return new JsonObject().put("jsonrpc", VERSION).put("id", id).put("result", result);
  }

  public static JsonObject notification(String method, JsonObject params) {
    JsonObject json = new JsonObject().put("jsonrpc", VERSION).put("method", method);
    if (params != null) {
      json.put("params", params);
    }
    return json;
  }

  public static JsonObject request(Object id, String method, JsonObject params) {
    return notification(method, params).put("id", id);
  }

  /** A request carries a method and an id; a notification a method and no id. */
  public static boolean isRequest(JsonObject message) {
    return message.getValue("method") != null && message.containsKey("id");
  }
}
