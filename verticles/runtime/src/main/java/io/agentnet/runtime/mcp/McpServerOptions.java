package io.agentnet.runtime.mcp;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one MCP server is served: its HTTP port and bind address, the origins a browser may call it
 * from, size and time limits. Read from the {@code mcp.<server>} section of the app config, then
 * the environment ({@code MCP_PORT} when the process runs one server, {@code MCP_<SERVER>_PORT}
 * always).
 */
public final class McpServerOptions {

  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of(
      "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*",
      "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*");

  private int httpPort = -1;
  private String httpHost = "127.0.0.1";
  private List<String> allowedOrigins = new ArrayList<>(DEFAULT_ALLOWED_ORIGINS);
  private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
  private int toolsPageSize = 50;
  private Duration toolTimeout = Duration.ofMinutes(10);
  private Duration sessionIdleTimeout = Duration.ofMinutes(30);
  private int maxSessions = 1000;
  private boolean validateOutput;

  public McpServerOptions() {
  }

  /**
   * The options for server {@code name}: config object {@code mcp.<name>.http} ({@code port}, {@code host},
   * {@code allowedOrigins}, {@code maxRequestBytes}, {@code toolsPageSize}, {@code toolTimeoutSeconds}),
   * then MCP_&lt;NAME&gt;_PORT, MCP_PORT (only when {@code onlyServer}), MCP_HOST, MCP_ALLOWED_ORIGINS,
   * MCP_MAX_REQUEST_BYTES.
   */
  public static McpServerOptions fromConfig(String name, JsonObject section, Environment env, int defaultPort,
                                            boolean onlyServer) {
    JsonObject s = section == null ? new JsonObject() : section;
    McpServerOptions o = new McpServerOptions();
    String where = "mcp." + name + ".http";
    o.httpPort = intValue(s, "port", defaultPort, where);
    o.httpHost = s.getString("host", o.httpHost);
    JsonArray origins = s.getJsonArray("allowedOrigins");
    if (origins != null) {
      o.allowedOrigins = new ArrayList<>();
      origins.forEach(v -> o.allowedOrigins.add(String.valueOf(v)));
    }
    o.maxRequestBytes = intValue(s, "maxRequestBytes", o.maxRequestBytes, where);
    o.toolsPageSize = intValue(s, "toolsPageSize", o.toolsPageSize, where);
    o.toolTimeout = Duration.ofSeconds(intValue(s, "toolTimeoutSeconds", (int) o.toolTimeout.toSeconds(), where));

    String envName = "MCP_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
    if (onlyServer) {
      o.httpPort = env.integer("MCP_PORT", o.httpPort);
    }
    o.httpPort = env.integer(envName, o.httpPort);
    o.httpHost = env.get("MCP_HOST", o.httpHost);
    String originList = env.get("MCP_ALLOWED_ORIGINS");
    if (originList != null) {
      o.allowedOrigins = new ArrayList<>();
      for (String origin : originList.split(",")) {
        if (!origin.isBlank()) {
          o.allowedOrigins.add(origin.trim());
        }
      }
    }
    o.maxRequestBytes = env.integer("MCP_MAX_REQUEST_BYTES", o.maxRequestBytes);
    o.check(where);
    return o;
  }

  private static int intValue(JsonObject s, String key, int fallback, String where) {
    Object v = s.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(where + "." + key + ": expected an integer, got " + v);
    }
    return n.intValue();
  }

  private void check(String where) {
    if (httpPort < -1 || httpPort > 65535) {
      throw new ConfigException(where + ": HTTP port " + httpPort + " is not 0-65535 (or -1 for no HTTP)");
    }
    if (maxRequestBytes < 1024) {
      throw new ConfigException(where + ": maxRequestBytes " + maxRequestBytes + " is below 1024");
    }
    if (toolsPageSize < 1) {
      throw new ConfigException(where + ": toolsPageSize must be at least 1");
    }
  }

  /** -1: no HTTP endpoint; 0: any free port. */
  public int getHttpPort() { return httpPort; }
  public McpServerOptions setHttpPort(int port) { this.httpPort = port; return this; }
  public String getHttpHost() { return httpHost; }
  public McpServerOptions setHttpHost(String host) { this.httpHost = host; return this; }
  /** Origins allowed to call over HTTP; an entry ending in ":*" allows any port. */
  public List<String> getAllowedOrigins() { return allowedOrigins; }
  public McpServerOptions setAllowedOrigins(List<String> origins) { this.allowedOrigins = new ArrayList<>(origins); return this; }
  public int getMaxRequestBytes() { return maxRequestBytes; }
  public McpServerOptions setMaxRequestBytes(int bytes) { this.maxRequestBytes = bytes; return this; }
  public int getToolsPageSize() { return toolsPageSize; }
  public McpServerOptions setToolsPageSize(int size) { this.toolsPageSize = size; return this; }
  public Duration getToolTimeout() { return toolTimeout; }
  public McpServerOptions setToolTimeout(Duration timeout) { this.toolTimeout = timeout; return this; }
  public Duration getSessionIdleTimeout() { return sessionIdleTimeout; }
  public McpServerOptions setSessionIdleTimeout(Duration timeout) { this.sessionIdleTimeout = timeout; return this; }
  public int getMaxSessions() { return maxSessions; }
  public McpServerOptions setMaxSessions(int max) { this.maxSessions = max; return this; }
  /** Check each structured result against the tool's output schema (tests turn this on). */
  public boolean isValidateOutput() { return validateOutput; }
  public McpServerOptions setValidateOutput(boolean validate) { this.validateOutput = validate; return this; }

  public JsonObject toJson() {
    return new JsonObject().put("port", httpPort).put("host", httpHost)
        .put("allowedOrigins", new JsonArray(new ArrayList<>(allowedOrigins))).put("maxRequestBytes", maxRequestBytes)
        .put("toolsPageSize", toolsPageSize).put("toolTimeoutSeconds", toolTimeout.toSeconds());
  }
}
