package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a server remembers about one client between messages: the negotiated protocol version,
 * whether it has initialized, its log level, and where server-to-client notifications go. Over
 * the bus each request is its own stateless session.
 */
public final class McpSession {

  /** RFC 5424 levels as MCP's logging uses them, least severe first. */
  public enum LogLevel {
    DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static LogLevel parse(String value) {
      for (LogLevel level : values()) {
        if (level.wireName().equals(value)) {
          return level;
        }
      }
      return null;
    }
  }

  private final String id;
  private final boolean stateless;
  private volatile String protocolVersion;
  private volatile boolean initialized;
  private volatile JsonObject clientInfo = new JsonObject();
  private volatile LogLevel logLevel;
  private volatile Consumer<JsonObject> notificationChannel;
  private volatile long lastUsedNanos = System.nanoTime();

  private McpSession(String id, boolean stateless, String protocolVersion) {
    this.id = id;
    this.stateless = stateless;
    this.protocolVersion = protocolVersion;
  }

  /** A session with a new unguessable id (HTTP, stdio). */
  public static McpSession create() {
    return new McpSession(UUID.randomUUID().toString(), false, McpProtocol.LATEST);
  }

  /** A one-request session for stateless transports (the bus, NATS): latest version, no initialize needed. */
  public static McpSession stateless() {
    return new McpSession(null, true, McpProtocol.LATEST);
  }

  public String id() {
    return id;
  }

  public boolean isStateless() {
    return stateless;
  }

  public String protocolVersion() {
    return protocolVersion;
  }

  public void protocolVersion(String version) {
    this.protocolVersion = version;
  }

  public boolean initialized() {
    return initialized;
  }

  public void markInitialized(JsonObject clientInfo) {
    this.initialized = true;
    this.clientInfo = clientInfo == null ? new JsonObject() : clientInfo;
  }

  public JsonObject clientInfo() {
    return clientInfo;
  }

  /** The level set by logging/setLevel, or null when the client never asked for log messages. */
  public LogLevel logLevel() {
    return logLevel;
  }

  public void logLevel(LogLevel level) {
    this.logLevel = level;
  }

  /** Where unsolicited notifications (log messages) go: the HTTP GET stream or stdout; null when none. */
  public void notificationChannel(Consumer<JsonObject> channel) {
    this.notificationChannel = channel;
  }

  public Consumer<JsonObject> notificationChannel() {
    return notificationChannel;
  }

  public void touch() {
    lastUsedNanos = System.nanoTime();
  }

  public long idleNanos() {
    return System.nanoTime() - lastUsedNanos;
  }
}
