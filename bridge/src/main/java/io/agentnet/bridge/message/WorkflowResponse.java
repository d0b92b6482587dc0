package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Where a workflow stands and, once finished, its result or error: the answer to a {@link
 * WorkflowRequest}, carried on {@code ai.workflows.>} and in replies of the orchestrator service
 * ({@code ai.orchestrator.get}). {@code result} and {@code error} may be null and are then left out
 * of the JSON; {@code agent_id} (the agent that ran it) defaults to "". {@link #result()} returns a
 * copy.
 */
public record WorkflowResponse(
    String workflowId, WorkflowStatus status, JsonObject result, String error, String agentId) {

  public static final String TYPE = "WorkflowResponse";

  /** @throws MessageFormatException when the workflow id or status is missing */
  public WorkflowResponse {
    JsonFields.checkText(TYPE, "workflow_id", workflowId);
    JsonFields.checkPresent(TYPE, "status", status);
    result = result == null ? null : result.copy();
    agentId = agentId == null ? "" : agentId;
  }

  @Override
  public JsonObject result() {
    return result == null ? null : result.copy();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("workflow_id", workflowId).put("status", status.json());
    if (result != null) {
      json.put("result", result.copy());
    }
    if (error != null) {
      json.put("error", error);
    }
    return json.put("agent_id", agentId);
  }

  /** @throws MessageFormatException naming the first field that breaks the contract */
  public static WorkflowResponse fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(TYPE, json);
    return new WorkflowResponse(
        in.requireString("workflow_id"),
        in.requireEnum("status", WorkflowStatus::fromJson),
        in.optObject("result", null),
        in.optString("error", null),
        in.optString("agent_id", ""));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static WorkflowResponse decode(Buffer body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }

  /** @throws MessageFormatException when the body is not a JSON object or breaks the contract */
  public static WorkflowResponse decode(byte[] body) {
    return fromJson(JsonFields.parse(TYPE, body));
  }
}
