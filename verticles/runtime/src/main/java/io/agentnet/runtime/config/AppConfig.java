package io.agentnet.runtime.config;

import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The application config: conf/agentnet.json (the file named by AGENTNET_CONFIG, else
 * ./conf/agentnet.json, else the copy packaged in the jar), overridden by the environment. Loaded
 * once at start, before any event loop runs.
 */
public final class AppConfig {

  public static final String CLASSPATH_DEFAULT = "agentnet.json";

  private final JsonObject json;
  private final Environment env;
  private final String source;

  AppConfig(JsonObject json, Environment env, String source) {
    this.json = json;
    this.env = env;
    this.source = source;
  }

  public static AppConfig load(Environment env) {
    String explicit = env.get("AGENTNET_CONFIG");
    if (explicit != null) {
      return fromFile(Path.of(explicit), env);
    }
    Path local = Path.of("conf", "agentnet.json");
    if (Files.isRegularFile(local)) {
      return fromFile(local, env);
    }
    try (InputStream in = AppConfig.class.getClassLoader().getResourceAsStream(CLASSPATH_DEFAULT)) {
      if (in == null) {
        return new AppConfig(new JsonObject(), env, "built-in defaults");
      }
      return new AppConfig(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + CLASSPATH_DEFAULT),
          env, "classpath:" + CLASSPATH_DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the packaged " + CLASSPATH_DEFAULT, e);
    }
  }

  public static AppConfig fromFile(Path file, Environment env) {
    try {
      return new AppConfig(parse(Files.readString(file), file.toString()), env, file.toString());
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e.getClass().getSimpleName());
    }
  }

  public static AppConfig of(JsonObject json, Environment env) {
    return new AppConfig(json.copy(), env, "in-memory");
  }

  private static JsonObject parse(String text, String where) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ConfigException(where + " is not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Where the config came from, for the start-up log. */
  public String source() {
    return source;
  }

  public Environment env() {
    return env;
  }

  public JsonObject json() {
    return json.copy();
  }

  /** The bridge section with NATS_* overrides; disabled (local mode) unless NATS_URL or servers are set. */
  public BridgeOptions bridgeOptions() {
    return BridgeOptions.fromJson(json.getJsonObject("bridge")).applyEnvironment(env);
  }

  /** AGENT_HEARTBEAT_INTERVAL (seconds), else agent.heartbeatIntervalSeconds, else 30. */
  public Duration heartbeatInterval() {
    JsonObject agent = json.getJsonObject("agent", new JsonObject());
    Object configured = agent.getValue("heartbeatIntervalSeconds", 30);
    if (!(configured instanceof Number n) || n.doubleValue() <= 0) {
      throw new ConfigException("agent.heartbeatIntervalSeconds: expected a positive number, got " + configured);
    }
    int seconds = env.integer("AGENT_HEARTBEAT_INTERVAL", n.intValue());
    if (seconds <= 0) {
      throw new ConfigException("AGENT_HEARTBEAT_INTERVAL: must be a positive number of seconds, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }
}
