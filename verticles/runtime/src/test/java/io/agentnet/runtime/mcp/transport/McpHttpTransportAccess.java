package io.agentnet.runtime.mcp.transport;

import java.util.List;

/** Opens the origin check to tests in other packages. */
public final class McpHttpTransportAccess {
  private McpHttpTransportAccess() {
  }

  public static boolean allowed(String origin, List<String> allowList) {
    return McpHttpTransport.originAllowed(origin, allowList);
  }
}
