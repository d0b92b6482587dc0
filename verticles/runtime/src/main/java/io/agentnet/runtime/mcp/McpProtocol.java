package io.agentnet.runtime.mcp;

import java.util.List;

/** The MCP revisions this server speaks, newest first. */
public final class McpProtocol {

  public static final String LATEST = "2025-11-25";
  /** What a Streamable HTTP server assumes when a client sends no MCP-Protocol-Version header. */
  public static final String HTTP_DEFAULT = "2025-03-26";
  public static final List<String> SUPPORTED = List.of(LATEST, "2025-06-18", "2025-03-26", "2024-11-05");

  private McpProtocol() {
  }

  public static boolean supports(String version) {
    return SUPPORTED.contains(version);
  }

  /** The version to answer initialize with: the client's when supported, else our newest. */
  public static String negotiate(String requested) {
    return supports(requested) ? requested : LATEST;
  }

  /**
   * From 2025-11-25 on, arguments that fail the input schema are a tool execution error (so a model
   * can correct itself); before, they were a JSON-RPC invalid-params error.
   */
  public static boolean argumentErrorsAreToolErrors(String version) {
    return version.compareTo(LATEST) >= 0;
  }
}
