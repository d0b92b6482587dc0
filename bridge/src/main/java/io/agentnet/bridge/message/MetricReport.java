package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * Measurements one agent took at one time, on {@code ai.metrics.<agent_id>}: named finite numbers
 * ({@code metrics}) and optional string {@code tags} (default none). Both maps keep their order.
 */
public record MetricReport(String agentId, Instant timestamp, Map<String, Double> metrics, Map<String, String> tags) {

  public static final String TYPE = "MetricReport";

  /** @throws MessageFormatException when a field is missing or a metric is not a finite number */
  public MetricReport {
    JsonFields.checkText(TYPE, "agent_id", agentId);
    JsonFields.checkPresent(TYPE, "timestamp", timestamp);
    metrics = JsonFields.copyNumbers(TYPE, "metrics", metrics);
    tags = JsonFields.copyStrings(TYPE, "tags", tags == null ? Map.of() : tags);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("agent_id", agentId)
        .put("timestamp", timestamp.toString())
        .put("metrics", JsonFields.toObject(metrics))
        .put("tags", JsonFields.toObject(tags));
  }

  /** @throws MessageFormatException naming the first field that breaks the contract */
  public static MetricReport fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(TYPE, json);
    return new MetricReport(
        in.requireString("agent_id"),
        in.requireInstant("timestamp"),
        in.requireNumberMap("metrics"),
        in.optStringMap("tags"));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static MetricReport decode(Buffer body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static MetricReport decode(byte[] body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }
}
