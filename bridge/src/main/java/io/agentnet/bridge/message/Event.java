package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * The envelope of everything on {@code ai.events.>} (workflow, task, agent and alert events):
 * {@code event_type} such as {@code "workflow.started"} or {@code "agent.offline"}, the agent that
 * emitted it ({@code source}), when, and a free-form {@code data} object (default {}). {@link
 * #data()} returns a copy.
 */
public record Event(String eventId, String eventType, String source, Instant timestamp, JsonObject data) {

  public static final String TYPE = "Event";

  /** @throws MessageFormatException when a field is missing or blank */
  public Event {
    JsonFields.checkText(TYPE, "event_id", eventId);
    JsonFields.checkText(TYPE, "event_type", eventType);
    JsonFields.checkText(TYPE, "source", source);
    JsonFields.checkPresent(TYPE, "timestamp", timestamp);
    data = data == null ? new JsonObject() : data.copy();
  }

  /** An event with a random UUID as id, stamped now. */
  public static Event of(String eventType, String source, JsonObject data) {
    return new Event(UUID.randomUUID().toString(), eventType, source, Instant.now(), data);
  }

  @Override
  public JsonObject data() {
    return data.copy();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("event_id", eventId)
        .put("event_type", eventType)
        .put("source", source)
        .put("timestamp", timestamp.toString())
        .put("data", data.copy());
  }

  /** @throws MessageFormatException naming the first field that breaks the contract */
  public static Event fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(TYPE, json);
    return new Event(
        in.requireString("event_id"),
        in.requireString("event_type"),
        in.requireString("source"),
        in.requireInstant("timestamp"),
        in.optObject("data", null));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static Event decode(Buffer body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static Event decode(byte[] body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }
}
