package io.agentnet.agents.workflow;

import io.agentnet.runtime.mcp.SchemaMessages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A workflow type: its parameters (a JSON Schema object schema), its steps (a DAG through
 * {@code depends_on}) and its compensation steps. Built only by {@link WorkflowDefinitions} (or
 * {@link #fromJson}), which checked it, so the steps form a DAG and every template refers to a
 * declared parameter or to a step the referring step (transitively) depends on. Immutable.
 */
public final class WorkflowDefinition {

  private final String workflowType;
  private final String description;
  private final JsonObject parametersSchema;
  private final List<StepDefinition> steps;
  private final List<StepDefinition> compensation;
  private final Map<String, StepDefinition> byId = new LinkedHashMap<>();
  private final List<StepDefinition> topologicalOrder;
  private final SchemaMessages parameterCheck;

  WorkflowDefinition(String workflowType, String description, JsonObject parametersSchema, List<StepDefinition> steps,
      List<StepDefinition> compensation) {
    this.workflowType = workflowType;
    this.description = description;
    this.parametersSchema = parametersSchema.copy();
    this.steps = List.copyOf(steps);
    this.compensation = List.copyOf(compensation);
    for (StepDefinition step : this.steps) {
      byId.put(step.id(), step);
    }
    for (StepDefinition step : this.compensation) {
      byId.put(step.id(), step);
    }
    this.topologicalOrder = order(this.steps);
    String names = String.join(", ", this.parametersSchema.getJsonObject("properties", new JsonObject()).fieldNames());
    this.parameterCheck = SchemaMessages.of(this.parametersSchema, "parameter",
        names.isEmpty() ? " (" + workflowType + " takes no parameters)" : " (" + workflowType + " takes: " + names + ")");
  }

  /**
   * Checks one definition given as JSON (as in a definition file).
   *
   * @param knownActions the skills a specialist offers; every step's action must be one of them
   * @throws WorkflowValidationException listing every problem found, each naming the step
   */
  public static WorkflowDefinition fromJson(JsonObject json, Set<String> knownActions) {
    Object type = json.getValue("workflow_type");
    String where = type instanceof String s && !s.isBlank() ? s : "workflow definition";
    return DefinitionParser.parse(where, null, json, knownActions);
  }

  public String workflowType() {
    return workflowType;
  }

  /** The definition's description, or null. */
  public String description() {
    return description;
  }

  public JsonObject parametersSchema() {
    return parametersSchema.copy();
  }

  /** The steps in definition order. */
  public List<StepDefinition> steps() {
    return steps;
  }

  /** The compensation steps in definition order (they run in reverse: see {@link #compensationFor}). */
  public List<StepDefinition> compensation() {
    return compensation;
  }

  /** A step or compensation step by id (ids are unique across both). */
  public Optional<StepDefinition> step(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * The steps such that each comes after all it depends on; among steps that could go next, the
   * one defined first comes first, so the order is the same on every run.
   */
  public List<StepDefinition> topologicalOrder() {
    return topologicalOrder;
  }

  /** The steps with no dependencies: where a run starts. */
  public List<StepDefinition> roots() {
    return steps.stream().filter(s -> s.dependsOn().isEmpty()).toList();
  }

  /**
   * The steps whose every dependency is in {@code done} and that are not themselves in
   * {@code done} or {@code started}, in definition order.
   */
  public List<StepDefinition> ready(Collection<String> done, Collection<String> started) {
    Set<String> finished = Set.copyOf(done);
    Set<String> running = Set.copyOf(started);
    return steps.stream()
        .filter(s -> !finished.contains(s.id()) && !running.contains(s.id()) && finished.containsAll(s.dependsOn()))
        .toList();
  }

  /** Every step {@code stepId} depends on, directly or through others (empty for an unknown id). */
  public Set<String> transitiveDependencies(String stepId) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    StepDefinition start = byId.get(stepId);
    if (start == null) {
      return seen;
    }
    todo.addAll(start.dependsOn());
    while (!todo.isEmpty()) {
      String id = todo.pop();
      StepDefinition step = byId.get(id);
      if (seen.add(id) && step != null) {
        todo.addAll(step.dependsOn());
      }
    }
    return seen;
  }

  /**
   * The compensation steps to run after a step failed for good: those whose every
   * {@code if_succeeded} step is in {@code succeeded}, in reverse definition order.
   */
  public List<StepDefinition> compensationFor(Collection<String> succeeded) {
    Set<String> ok = Set.copyOf(succeeded);
    List<StepDefinition> out = new ArrayList<>();
    for (int i = compensation.size() - 1; i >= 0; i--) {
      StepDefinition step = compensation.get(i);
      if (ok.containsAll(step.ifSucceeded())) {
        out.add(step);
      }
    }
    return out;
  }

  /**
   * The request's parameters checked against the schema, with the schema's defaults filled in
   * (also inside given object parameters).
   *
   * @param parameters the request's parameters; null counts as none
   * @throws WorkflowValidationException whose message names each parameter and why, joined by "; ":
   *                                     {@code parameter 'cores': expected integer, got string},
   *                                     {@code missing required parameter 'name'},
   *                                     {@code unknown parameter 'color' (vm_deployment takes: ...)},
   *                                     {@code parameter 'cores': must be >= 1}
   */
  public JsonObject validateParameters(JsonObject parameters) {
    JsonObject given = parameters == null ? new JsonObject() : parameters.copy();
    List<String> problems = parameterCheck.problems(given);
    if (!problems.isEmpty()) {
      throw WorkflowValidationException.of(problems, "; ");
    }
    return withDefaults(given, parametersSchema);
  }

  static JsonObject withDefaults(JsonObject value, JsonObject schema) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (String name : properties.fieldNames()) {
      if (!(properties.getValue(name) instanceof JsonObject property)) {
        continue;
      }
      Object current = value.getValue(name);
      if (current == null && property.containsKey("default")) {
        Object def = property.getValue("default");
        value.put(name, def instanceof JsonObject o ? o.copy() : def instanceof JsonArray a ? a.copy() : def);
      } else if (current instanceof JsonObject nested && property.containsKey("properties")) {
        withDefaults(nested, property);
      }
    }
    return value;
  }

  /** The whole definition as in its file, every default filled in (for a submit form). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("workflow_type", workflowType);
    if (description != null) {
      json.put("description", description);
    }
    JsonArray stepsJson = new JsonArray();
    steps.forEach(s -> stepsJson.add(s.toJson()));
    JsonArray compensationJson = new JsonArray();
    compensation.forEach(s -> compensationJson.add(s.toJson()));
    return json.put("parameters", parametersSchema.copy()).put("steps", stepsJson).put("compensation", compensationJson);
  }

  @Override
  public String toString() {
    return "WorkflowDefinition[" + workflowType + ": " + String.join(" -> ", topologicalOrder.stream()
        .map(StepDefinition::id).toList()) + "]";
  }

  /** Kahn's algorithm, always taking the earliest-defined ready step. The loader already refused cycles. */
  private static List<StepDefinition> order(List<StepDefinition> steps) {
    List<StepDefinition> out = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    while (out.size() < steps.size()) {
      StepDefinition next = steps.stream()
          .filter(s -> !placed.contains(s.id()) && placed.containsAll(s.dependsOn()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("steps form a cycle"));
      placed.add(next.id());
      out.add(next);
    }
    return List.copyOf(out);
  }
}
