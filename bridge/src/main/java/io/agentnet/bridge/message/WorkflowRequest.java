package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A request to run a workflow: submitted on {@code ai.orchestrator.submit} (or {@code POST
 * /api/workflows}) and queued on {@code ai.workflows.>}. Priority runs from 1 (highest) to 10
 * (lowest), default 5; timeout is in seconds, default 300. {@link #parameters()} returns a copy.
 */
public record WorkflowRequest(
    String workflowId, String workflowType, JsonObject parameters, String requesterId, int priority, int timeout) {

  public static final String TYPE = "WorkflowRequest";
  public static final int HIGHEST_PRIORITY = 1;
  public static final int LOWEST_PRIORITY = 10;
  public static final int DEFAULT_PRIORITY = 5;
  public static final int DEFAULT_TIMEOUT = 300;

  /** @throws MessageFormatException when a field is missing, blank or out of range */
  public WorkflowRequest {
    JsonFields.checkText(TYPE, "workflow_id", workflowId);
    JsonFields.checkText(TYPE, "workflow_type", workflowType);
    parameters = JsonFields.checkPresent(TYPE, "parameters", parameters).copy();
    JsonFields.checkText(TYPE, "requester_id", requesterId);
    JsonFields.checkRange(TYPE, "priority", priority, HIGHEST_PRIORITY, LOWEST_PRIORITY, "1 (highest) and 10 (lowest)");
    if (timeout <= 0) {
      throw new MessageFormatException(TYPE, "timeout", "must be a positive number of seconds, got " + timeout);
    }
  }

  /** A request with a random UUID as workflow id, the default priority and the default timeout. */
  public static WorkflowRequest create(String workflowType, JsonObject parameters, String requesterId) {
    return new WorkflowRequest(
        UUID.randomUUID().toString(), workflowType, parameters, requesterId, DEFAULT_PRIORITY, DEFAULT_TIMEOUT);
  }

  @Override
  public JsonObject parameters() {
    return parameters.copy();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("workflow_id", workflowId)
        .put("workflow_type", workflowType)
        .put("parameters", parameters.copy())
        .put("requester_id", requesterId)
        .put("priority", priority)
        .put("timeout", timeout);
  }

  /** @throws MessageFormatException naming the first field that breaks the contract */
  public static WorkflowRequest fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(TYPE, json);
    return new WorkflowRequest(
        in.requireString("workflow_id"),
        in.requireString("workflow_type"),
        in.requireObject("parameters"),
        in.requireString("requester_id"),
        in.optInt("priority", DEFAULT_PRIORITY),
        in.optInt("timeout", DEFAULT_TIMEOUT));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static WorkflowRequest decode(Buffer body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static WorkflowRequest decode(byte[] body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }
}
