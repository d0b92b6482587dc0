package io.agentnet.dashboard;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The dashboard's settings: {@code dashboard.*} in the app config, then the environment
 * (DASHBOARD_PORT, DASHBOARD_HOST, DASHBOARD_TOKEN or DASHBOARD_TOKEN_FILE).
 */
public final class DashboardOptions {

  public static final int DEFAULT_PORT = 8080;

  private int port = DEFAULT_PORT;
  private String host = "0.0.0.0";
  private String token;
  private Duration heartbeatInterval = Duration.ofSeconds(30);
  private Duration streamFlush = Duration.ofMillis(250);
  private Duration requestTimeout = Duration.ofSeconds(30);
  private Duration toolTimeout = Duration.ofSeconds(60);
  private Duration healthTimeout = Duration.ofSeconds(3);
  private long maxBodyBytes = 1024 * 1024;
  private int maxItemsPerFlush = 2000;

  public static DashboardOptions fromConfig(JsonObject section, Environment env, Duration heartbeatInterval) {
    DashboardOptions o = new DashboardOptions().setHeartbeatInterval(heartbeatInterval);
    o.port = env.integer("DASHBOARD_PORT", section.getInteger("port", DEFAULT_PORT));
    if (o.port < 0 || o.port > 65535) {
      throw new ConfigException("DASHBOARD_PORT must be a port number (0-65535), got " + o.port);
    }
    o.host = env.get("DASHBOARD_HOST", section.getString("host", o.host));
    o.token = env.secret("DASHBOARD_TOKEN");
    o.streamFlush = Duration.ofMillis(section.getLong("streamFlushMs", o.streamFlush.toMillis()));
    o.requestTimeout = Duration.ofSeconds(section.getLong("requestTimeoutSeconds", o.requestTimeout.toSeconds()));
    o.toolTimeout = Duration.ofSeconds(section.getLong("toolTimeoutSeconds", o.toolTimeout.toSeconds()));
    o.maxBodyBytes = section.getLong("maxBodyBytes", o.maxBodyBytes);
    o.maxItemsPerFlush = section.getInteger("maxItemsPerFlush", o.maxItemsPerFlush);
    if (o.streamFlush.toMillis() < 10) {
      throw new ConfigException("dashboard.streamFlushMs must be at least 10, got " + o.streamFlush.toMillis());
    }
    return o;
  }

  public int getPort() { return port; }
  public DashboardOptions setPort(int port) { this.port = port; return this; }
  public String getHost() { return host; }
  public DashboardOptions setHost(String host) { this.host = host; return this; }
  /** The token mutating calls need; null until set (the verticle then generates one). */
  public String getToken() { return token; }
  public DashboardOptions setToken(String token) { this.token = token; return this; }
  public Duration getHeartbeatInterval() { return heartbeatInterval; }
  public DashboardOptions setHeartbeatInterval(Duration d) { this.heartbeatInterval = d; return this; }
  public Duration getStreamFlush() { return streamFlush; }
  public DashboardOptions setStreamFlush(Duration d) { this.streamFlush = d; return this; }
  public Duration getRequestTimeout() { return requestTimeout; }
  public DashboardOptions setRequestTimeout(Duration d) { this.requestTimeout = d; return this; }
  public Duration getToolTimeout() { return toolTimeout; }
  public DashboardOptions setToolTimeout(Duration d) { this.toolTimeout = d; return this; }
  public Duration getHealthTimeout() { return healthTimeout; }
  public DashboardOptions setHealthTimeout(Duration d) { this.healthTimeout = d; return this; }
  public long getMaxBodyBytes() { return maxBodyBytes; }
  public DashboardOptions setMaxBodyBytes(long n) { this.maxBodyBytes = n; return this; }
  public int getMaxItemsPerFlush() { return maxItemsPerFlush; }
  public DashboardOptions setMaxItemsPerFlush(int n) { this.maxItemsPerFlush = n; return this; }
}
