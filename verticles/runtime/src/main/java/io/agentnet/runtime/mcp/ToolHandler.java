package io.agentnet.runtime.mcp;

import io.vertx.core.Future;

/**
 * A tool that does not block: it returns at once with a future (HTTP clients, timers). It runs on
 * the server's event loop; a failed future with a {@link ToolException} is a tool error.
 */
@FunctionalInterface
public interface ToolHandler {
  Future<ToolResult> call(ToolCall call);
}
