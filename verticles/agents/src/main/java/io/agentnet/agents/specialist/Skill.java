package io.agentnet.agents.specialist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One action of the skills catalogue (docs/ARCHITECTURE.md, "Agents and workflows"): what a
 * workflow step names in its {@code action}, the capability a specialist needs to run it, and the
 * work itself, done through {@link TaskContext#callTool}.
 */
public interface Skill {

  /** The action a step names, e.g. {@code validate_placement}. */
  String action();

  /** The one capability this action needs, e.g. {@code validation}. */
  String capability();

  /**
   * Runs the task: succeeds with the step's result, or fails with a {@link SkillException}
   * (permanent, retryable or cancelled) whose message a person can act on.
   */
  Future<JsonObject> run(TaskContext task);
}
