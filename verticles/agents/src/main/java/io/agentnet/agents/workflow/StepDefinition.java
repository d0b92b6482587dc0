package io.agentnet.agents.workflow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * One step of a workflow definition, or one compensation step. {@code action} names a specialist
 * skill and {@code capability} the agent capability it needs; {@code inputs} holds the raw
 * templates ({@code ${parameters.x}}, {@code ${steps.id.path}}, {@code ${workflow.workflow_id}})
 * that {@link Templates#resolve} turns into the task's inputs. A regular step has
 * {@code dependsOn} and no {@code ifSucceeded}; a compensation step the other way round (it runs
 * only if all its {@code ifSucceeded} steps succeeded). {@link #inputs()} returns a copy.
 */
public record StepDefinition(String id, String action, String capability, String description, List<String> mcpTools,
    JsonObject inputs, List<String> dependsOn, Duration timeout, RetryPolicy retry, List<String> ifSucceeded,
    boolean compensation) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  public StepDefinition {
    mcpTools = List.copyOf(mcpTools);
    inputs = inputs.copy();
    dependsOn = List.copyOf(dependsOn);
    ifSucceeded = List.copyOf(ifSucceeded);
    if (compensation && !dependsOn.isEmpty()) {
      throw new IllegalArgumentException("compensation step " + id + " cannot have depends_on");
    }
    if (!compensation && !ifSucceeded.isEmpty()) {
      throw new IllegalArgumentException("step " + id + " cannot have if_succeeded (only compensation steps do)");
    }
  }

  @Override
  public JsonObject inputs() {
    return inputs.copy();
  }

  /** The step as in its definition file, with every default filled in. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("action", action).put("capability", capability);
    if (description != null) {
      json.put("description", description);
    }
    json.put("mcp_tools", new JsonArray(mcpTools)).put("inputs", inputs.copy());
    if (compensation) {
      json.put("if_succeeded", new JsonArray(ifSucceeded));
    } else {
      json.put("depends_on", new JsonArray(dependsOn));
    }
    return json.put("timeout_seconds", timeout.toSeconds()).put("retry", retry.toJson());
  }
}
