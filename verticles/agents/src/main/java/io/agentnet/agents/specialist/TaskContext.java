package io.agentnet.agents.specialist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** What a {@link Skill} sees of the task it runs, and how it reaches MCP tools. */
public interface TaskContext {

  /** {@code <workflow_id>.<step_id>.<attempt>}. */
  String taskId();

  String workflowId();

  String stepId();

  int attempt();

  /** The step's resolved inputs (a copy). */
  JsonObject inputs();

  /**
   * The tool's structuredContent (or {"text": ...} when it has none); a tool error (isError) fails with a permanent
   * SkillException carrying the tool's message; transport failures (timeout, no handlers, circuit open) with a retryable one.
   */
  Future<JsonObject> callTool(String server, String tool, JsonObject arguments);

  /** Reported as task.progress. */
  void progress(String message);

  /** Whether the task was cancelled; skills check it between tool calls and stop with {@link SkillException#cancelled()}. */
  boolean cancelled();
}
