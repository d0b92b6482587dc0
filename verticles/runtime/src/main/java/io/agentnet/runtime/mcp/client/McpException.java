package io.agentnet.runtime.mcp.client;

/** A JSON-RPC error answered by an MCP server (unknown tool, invalid params...), with its code. */
public class McpException extends RuntimeException {

  private final int code;

  public McpException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
