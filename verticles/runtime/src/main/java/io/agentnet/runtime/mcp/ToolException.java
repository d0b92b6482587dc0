package io.agentnet.runtime.mcp;

/**
 * A tool's own failure (file not found, VM already running, bucket not empty): it becomes a tool
 * result with {@code isError: true} and this message, which should tell a person what to do next.
 * Protocol failures (unknown tool, bad arguments) are JSON-RPC errors instead and never use this.
 */
public class ToolException extends RuntimeException {

  public ToolException(String message) {
    super(message, null, false, false);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
