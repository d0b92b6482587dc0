package io.agentnet.bridge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * A JetStream stream the bridge makes sure exists. Creation is idempotent; an existing stream with
 * another config is reported, never deleted or recreated (that would lose data).
 */
public record StreamSpec(String name, List<String> subjects, Retention retention, Duration maxAge,
                         Storage storage, int replicas, Duration duplicateWindow) {

  public enum Retention { LIMITS, WORK_QUEUE, INTEREST }

  public enum Storage { FILE, MEMORY }

  public StreamSpec {
    if (name == null || name.isBlank() || name.contains(".") || name.contains(" ")) {
      throw new ConfigException("stream name \"" + name + "\" must be non-empty, without dots or spaces");
    }
    if (subjects == null || subjects.isEmpty()) {
      throw new ConfigException("stream " + name + ": at least one subject is required");
    }
    subjects = List.copyOf(subjects);
    maxAge = maxAge == null ? Duration.ZERO : maxAge;
    duplicateWindow = duplicateWindow == null ? Duration.ofMinutes(2) : duplicateWindow;
  }

  /** The seed's streams, plus the dead-letter stream the bridge's consumers write to. */
  public static List<StreamSpec> defaults() {
    return List.of(
        new StreamSpec("AI_EVENTS", List.of("ai.events.>"), Retention.LIMITS, Duration.ofHours(24),
            Storage.FILE, 1, null),
        new StreamSpec("AI_WORKFLOWS", List.of("ai.workflows.>"), Retention.WORK_QUEUE, Duration.ZERO,
            Storage.FILE, 1, null),
        new StreamSpec("AI_METRICS", List.of("ai.metrics.>"), Retention.LIMITS, Duration.ofDays(7),
            Storage.FILE, 1, null),
        new StreamSpec("AI_DLQ", List.of("ai.dlq.>"), Retention.LIMITS, Duration.ofDays(7),
            Storage.FILE, 1, null));
  }

  static StreamSpec fromJson(JsonObject json, String path) {
    ConfigReader r = new ConfigReader(json, path);
    return new StreamSpec(r.requiredString("name"), r.strings("subjects"),
        r.enumValue("retention", Retention.class, Retention.LIMITS), r.millis("maxAgeMs", Duration.ZERO),
        r.enumValue("storage", Storage.class, Storage.FILE), r.integer("replicas", 1, 1),
        r.millis("duplicateWindowMs", Duration.ofMinutes(2)));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("subjects", new JsonArray(subjects))
        .put("retention", retention.name().toLowerCase()).put("maxAgeMs", maxAge.toMillis())
        .put("storage", storage.name().toLowerCase()).put("replicas", replicas)
        .put("duplicateWindowMs", duplicateWindow.toMillis());
  }
}
