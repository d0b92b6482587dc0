package io.agentnet.bridge.config;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A JetStream KV bucket the bridge makes sure exists and serves on the event bus (see
 * {@link BridgeOptions#getKvAddress()}). As with streams, creation is idempotent and an existing
 * bucket with another config is reported, never changed.
 *
 * <p>{@code ttl} is the bucket's max age: an entry disappears that long after its last write
 * ({@link Duration#ZERO}: never). nats-server 2.9 has no per-key TTL, so a bucket holds one TTL for
 * all its keys. {@code history} is how many values per key JetStream keeps (1 to 64).
 */
public record KvBucketSpec(String name, Duration ttl, int history, int maxValueSize, StreamSpec.Storage storage,
                           int replicas) {

  public static final int DEFAULT_HISTORY = 1;
  /** 1 MiB, the default max payload of a nats-server. */
  public static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;
  /** JetStream's limit on the history kept per key. */
  public static final int MAX_HISTORY = 64;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern KEY = Pattern.compile("[-/_=.a-zA-Z0-9]+");

  public KvBucketSpec {
    String problem = nameProblem(name);
    if (problem != null) {
      throw new ConfigException("kv bucket: " + problem);
    }
    ttl = ttl == null ? Duration.ZERO : ttl;
    if (ttl.isNegative()) {
      throw new ConfigException("kv bucket " + name + ": ttl must not be negative, got " + ttl);
    }
    if (history < 1 || history > MAX_HISTORY) {
      throw new ConfigException("kv bucket " + name + ": history must be between 1 and " + MAX_HISTORY
          + ", got " + history);
    }
    if (maxValueSize < 1) {
      throw new ConfigException("kv bucket " + name + ": maxValueSize must be at least 1 byte, got " + maxValueSize);
    }
    storage = storage == null ? StreamSpec.Storage.FILE : storage;
    if (replicas < 1 || replicas > 5) {
      throw new ConfigException("kv bucket " + name + ": replicas must be between 1 and 5, got " + replicas);
    }
  }

  /** A file bucket with one value per key, values up to 1 MiB, one replica. */
  public static KvBucketSpec of(String name, Duration ttl) {
    return new KvBucketSpec(name, ttl, DEFAULT_HISTORY, DEFAULT_MAX_VALUE_SIZE, StreamSpec.Storage.FILE, 1);
  }

  /**
   * The agents' buckets (docs/ARCHITECTURE.md, "Durable state"), provisioned by default. The runtime's
   * {@code Buckets} names them for the verticles and takes their TTLs from here.
   */
  public static List<KvBucketSpec> defaults() {
    return List.of(
        of("agentnet_workflows", Duration.ZERO),
        of("agentnet_tasks", Duration.ofHours(24)),
        of("agentnet_registry", Duration.ofHours(1)),
        of("agentnet_leases", Duration.ofSeconds(10)));
  }

  /** Null when {@code key} is a usable key (JetStream's rule: no wildcards, no dot at either end), else why not. */
  public static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "a key must not be empty";
    }
    if (!KEY.matcher(key).matches() || key.startsWith(".") || key.endsWith(".")) {
      return "key \"" + key + "\" may only use letters, digits and - / _ = . (not at either end)";
    }
    return null;
  }

  /** Null when {@code name} is a usable bucket name, else why not. */
  public static String nameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "a bucket name must not be empty";
    }
    if (!NAME.matcher(name).matches()) {
      return "bucket name \"" + name + "\" may only use letters, digits, - and _";
    }
    return null;
  }

  public KvBucketSpec withReplicas(int replicas) {
    return new KvBucketSpec(name, ttl, history, maxValueSize, storage, replicas);
  }

  static KvBucketSpec fromJson(JsonObject json, String path) {
    ConfigReader r = new ConfigReader(json, path);
    String name = r.requiredString("name");
    String problem = nameProblem(name);
    if (problem != null) {
      throw r.error("name", problem);
    }
    int history = r.integer("history", DEFAULT_HISTORY, 1);
    if (history > MAX_HISTORY) {
      throw r.error("history", "must be at most " + MAX_HISTORY + " (JetStream's limit), got " + history);
    }
    int replicas = r.integer("replicas", 1, 1);
    if (replicas > 5) {
      throw r.error("replicas", "must be at most 5, got " + replicas);
    }
    return new KvBucketSpec(name, r.millis("ttlMs", Duration.ZERO), history,
        r.integer("maxValueSize", DEFAULT_MAX_VALUE_SIZE, 1),
        r.enumValue("storage", StreamSpec.Storage.class, StreamSpec.Storage.FILE), replicas);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("ttlMs", ttl.toMillis()).put("history", history)
        .put("maxValueSize", maxValueSize).put("storage", storage.name().toLowerCase()).put("replicas", replicas);
  }
}
