package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One step of a workflow handed to an agent, on {@code ai.workflows.>}: run {@code task_type} with
 * {@code parameters} before {@code deadline}, once the tasks in {@code dependencies} (default none)
 * are done. {@link #parameters()} returns a copy.
 */
public record TaskAssignment(
    String taskId, String taskType, String assignedTo, JsonObject parameters, Instant deadline, List<String> dependencies) {

  public static final String TYPE = "TaskAssignment";

  /** @throws MessageFormatException when a field is missing or blank */
  public TaskAssignment {
    JsonFields.checkText(TYPE, "task_id", taskId);
    JsonFields.checkText(TYPE, "task_type", taskType);
    JsonFields.checkText(TYPE, "assigned_to", assignedTo);
    parameters = JsonFields.checkPresent(TYPE, "parameters", parameters).copy();
    JsonFields.checkPresent(TYPE, "deadline", deadline);
    dependencies = JsonFields.copyTexts(TYPE, "dependencies", dependencies == null ? List.of() : dependencies);
  }

  @Override
  public JsonObject parameters() {
    return parameters.copy();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("task_id", taskId)
        .put("task_type", taskType)
        .put("assigned_to", assignedTo)
        .put("parameters", parameters.copy())
        .put("deadline", deadline.toString())
        .put("dependencies", JsonFields.toArray(dependencies));
  }

  /** @throws MessageFormatException naming the first field that breaks the contract */
  public static TaskAssignment fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(TYPE, json);
    return new TaskAssignment(
        in.requireString("task_id"),
        in.requireString("task_type"),
        in.requireString("assigned_to"),
        in.requireObject("parameters"),
        in.requireInstant("deadline"),
        in.optStringList("dependencies"));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static TaskAssignment decode(Buffer body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static TaskAssignment decode(byte[] body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }
}
