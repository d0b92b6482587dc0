package io.agentnet.runtime.mcp;

/**
 * A tool that blocks (file I/O, synchronous SDK clients): the server runs it on a worker thread,
 * never on an event loop. Throwing {@link ToolException} reports a tool error.
 */
@FunctionalInterface
public interface BlockingToolHandler {
  ToolResult call(ToolCall call) throws Exception;
}
