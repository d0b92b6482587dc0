package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What arrived in one transport message: one JSON-RPC message, a batch of them, or something that
 * cannot be read at all ({@link #errorCode()}: not JSON, an empty batch, too large). Entries of a
 * batch that are not objects are kept as null, to be answered with invalid-request errors in place.
 */
public record Incoming(List<JsonObject> messages, boolean batch, int errorCode, String error) {

  public static Incoming of(List<JsonObject> messages, boolean batch) {
    return new Incoming(messages, batch, 0, null);
  }

  /** A whole message that gets one error answer (id null): parse error, invalid request. */
  public static Incoming refused(int code, String reason) {
    return new Incoming(List.of(), false, code, reason);
  }

  /** True when any message is a request (has a method and an id) and so needs a response. */
  public boolean hasRequests() {
    if (error != null) {
      return true;
    }
    for (JsonObject m : messages) {
      if (m == null || JsonRpc.isRequest(m) || (m.getValue("method") == null && !isResponse(m))) {
        return true;
      }
    }
    return false;
  }

  /** True for a single initialize request: it is what opens an HTTP session. */
  public boolean isInitialize() {
    return !batch && messages.size() == 1 && messages.get(0) != null
        && "initialize".equals(messages.get(0).getValue("method")) && messages.get(0).containsKey("id");
  }

  /** True when some request asked for progress notifications (a progressToken in _meta). */
  public boolean wantsProgress() {
    for (JsonObject m : messages) {
      if (m != null && m.getValue("params") instanceof JsonObject params
          && params.getValue("_meta") instanceof JsonObject meta && meta.getValue("progressToken") != null) {
        return true;
      }
    }
    return false;
  }

  private static boolean isResponse(JsonObject m) {
    return m.containsKey("id") && (m.containsKey("result") || m.containsKey("error"));
  }
}
