package io.agentnet.dashboard.api;

import io.agentnet.runtime.mcp.client.McpException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/** An HTTP error with a message a person can act on: the body of every failed API call. */
public record ApiError(int status, String message) {

  // JSON-RPC codes that mean the caller asked wrongly (parse error, invalid request, unknown method, invalid params)
  private static final int PARSE_ERROR = -32700;
  private static final int INVALID_PARAMS = -32602;
  private static final int INVALID_REQUEST = -32600;
  private static final int METHOD_NOT_FOUND = -32601;

  public JsonObject toJson() {
    return new JsonObject().put("error", message).put("status", status);
  }

  /**
   * What a failed request behind the API means over HTTP. {@code what} names the service, e.g.
   * "the orchestrator" or "MCP server proxmox", for when it does not answer.
   */
  public static ApiError from(Throwable failure, String what) {
    if (failure instanceof McpException mcp) {
      int code = mcp.code();
      boolean callersFault = code == INVALID_PARAMS || code == INVALID_REQUEST || code == METHOD_NOT_FOUND
          || code == PARSE_ERROR;
      return new ApiError(callersFault ? 400 : 502, mcp.getMessage());
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return new ApiError(503, what + " is not running (nothing serves it)");
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new ApiError(504, what + " did not answer in time");
      }
      int code = reply.failureCode();
      if (code >= 400 && code <= 599) {
        return new ApiError(code, reply.getMessage());
      }
      return new ApiError(502, what + " failed: " + reply.getMessage());
    }
    return new ApiError(500, what + " failed: " + failure.getMessage());
  }
}
