package io.agentnet.agents.workflow;

import io.agentnet.agents.workflow.Templates.Reference;
import io.agentnet.runtime.mcp.SchemaMessages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks one definition's JSON and builds it. Collects every problem it can find in one pass
 * (each prefixed with the file and naming the step) instead of stopping at the first; checks that
 * need a sound structure (cycles, template scopes) run only once the structure is sound.
 */
final class DefinitionParser {

  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern CAPABILITY = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern MCP_TOOL = Pattern.compile("[a-z][a-z0-9_-]*/[a-z][a-z0-9_]*");
  private static final Set<String> TOP_FIELDS = orderedSet("workflow_type", "description", "parameters", "steps",
      "compensation");
  private static final Set<String> STEP_FIELDS = orderedSet("id", "action", "capability", "description", "mcp_tools",
      "inputs", "depends_on", "timeout_seconds", "retry");
  private static final Set<String> COMPENSATION_FIELDS = orderedSet("id", "action", "capability", "description",
      "mcp_tools", "inputs", "if_succeeded", "timeout_seconds", "retry");
  private static final Set<String> RETRY_FIELDS = orderedSet("max_attempts", "initial_backoff_ms", "max_backoff_ms",
      "multiplier", "jitter");
  private static final Set<String> JSON_TYPES = Set.of("object", "array", "string", "number", "integer", "boolean",
      "null");

  private final String where;
  private final Set<String> knownActions;
  private final List<String> problems = new ArrayList<>();

  private DefinitionParser(String where, Set<String> knownActions) {
    this.where = where;
    this.knownActions = Set.copyOf(knownActions);
  }

  /**
   * @param where        how messages name the definition (the file name)
   * @param expectedType the workflow_type the file name demands, or null
   */
  static WorkflowDefinition parse(String where, String expectedType, JsonObject json, Set<String> knownActions) {
    return new DefinitionParser(where, knownActions).parse(expectedType, json);
  }

  private void problem(String text) {
    problems.add(where + ": " + text);
  }

  /** A raw step as read, before the cross-step checks. */
  private static final class Raw {
    final String label;
    final boolean compensation;
    String id;
    String action;
    String capability;
    String description;
    List<String> mcpTools = List.of();
    JsonObject inputs = new JsonObject();
    List<String> dependsOn = List.of();
    List<String> ifSucceeded = List.of();
    Duration timeout = StepDefinition.DEFAULT_TIMEOUT;
    RetryPolicy retry = RetryPolicy.DEFAULT;

    Raw(String label, boolean compensation) {
      this.label = label;
      this.compensation = compensation;
    }
  }

  private WorkflowDefinition parse(String expectedType, JsonObject json) {
    unknownFields(json, TOP_FIELDS, "");
    String type = text(json, "workflow_type", "", true);
    if (type != null && expectedType != null && !type.equals(expectedType)) {
      problem("workflow_type '" + type + "' does not match the file name (expected '" + expectedType
          + "': a definition lives in <workflow_type>.json)");
    } else if (type != null && !ID.matcher(type).matches()) {
      problem("workflow_type '" + type + "' must match [a-z][a-z0-9_]*");
    }
    String description = text(json, "description", "", false);
    JsonObject parameters = parametersSchema(json.getValue("parameters"));
    Set<String> parameterNames = parameters == null ? Set.of()
        : parameters.getJsonObject("properties", new JsonObject()).fieldNames();

    List<Raw> steps = steps(json.getValue("steps"), false);
    List<Raw> compensation = json.containsKey("compensation") ? steps(json.getValue("compensation"), true) : List.of();
    if (json.containsKey("steps") && json.getValue("steps") instanceof JsonArray array && array.isEmpty()) {
      problem("steps: a workflow needs at least one step");
    }

    Map<String, Raw> byId = new LinkedHashMap<>();
    boolean graphSound = steps.stream().allMatch(s -> s.id != null);
    for (Raw step : concat(steps, compensation)) {
      if (step.id != null && byId.putIfAbsent(step.id, step) != null) {
        graphSound = false; // which of the two would a dependency mean? check the graph once the ids are fixed
        problem(step.label + ": duplicate step id '" + step.id + "' (ids must be unique across steps and compensation)");
      }
    }
    Set<String> regularIds = new LinkedHashSet<>();
    steps.stream().filter(s -> s.id != null).forEach(s -> regularIds.add(s.id));

    for (Raw step : steps) {
      for (String dep : step.dependsOn) {
        if (!regularIds.contains(dep)) {
          graphSound = false;
          problem(step.label + ": depends_on names unknown step '" + dep + "'" + among(regularIds));
        }
      }
    }
    for (Raw step : compensation) {
      for (String dep : step.ifSucceeded) {
        if (!regularIds.contains(dep)) {
          graphSound = false;
          problem(step.label + ": if_succeeded names unknown step '" + dep + "'" + among(regularIds));
        }
      }
    }
    Map<String, Set<String>> ancestors = null;
    if (graphSound) {
      List<String> cycle = findCycle(steps);
      if (cycle != null) {
        problem("steps form a cycle: " + String.join(" -> ", cycle));
      } else {
        ancestors = ancestors(steps);
      }
    }
    for (Raw step : concat(steps, compensation)) {
      checkTemplates(step, parameters == null ? null : parameterNames, regularIds, ancestors);
    }

    if (!problems.isEmpty()) {
      throw WorkflowValidationException.of(problems, "\n");
    }
    return new WorkflowDefinition(type, description, parameters, steps.stream().map(DefinitionParser::build).toList(),
        compensation.stream().map(DefinitionParser::build).toList());
  }

  private static StepDefinition build(Raw raw) {
    return new StepDefinition(raw.id, raw.action, raw.capability, raw.description, raw.mcpTools, raw.inputs,
        raw.dependsOn, raw.timeout, raw.retry, raw.ifSucceeded, raw.compensation);
  }

  // ---- parameters

  /** The parameters schema, with additionalProperties false filled in; null when it is unusable. */
  private JsonObject parametersSchema(Object value) {
    if (value == null) {
      return new JsonObject().put("type", "object").put("properties", new JsonObject())
          .put("additionalProperties", false);
    }
    if (!(value instanceof JsonObject schema)) {
      problem("parameters: expected a JSON Schema object schema ({\"type\": \"object\", \"properties\": {...}}), got "
          + describe(value));
      return null;
    }
    int before = problems.size();
    schema = schema.copy();
    if (!"object".equals(schema.getValue("type"))) {
      problem("parameters: \"type\" must be \"object\", got " + describe(schema.getValue("type")));
    }
    Object props = schema.getValue("properties", new JsonObject());
    if (!(props instanceof JsonObject properties)) {
      problem("parameters: \"properties\" must be an object, got " + describe(props));
      return null;
    }
    for (String name : properties.fieldNames()) {
      checkParameter(name, properties.getValue(name));
    }
    Object required = schema.getValue("required", new JsonArray());
    if (!(required instanceof JsonArray names) || !names.stream().allMatch(n -> n instanceof String)) {
      problem("parameters: \"required\" must be an array of parameter names, got " + describe(required));
    } else {
      for (Object name : names) {
        if (!properties.containsKey((String) name)) {
          problem("parameters: required parameter '" + name + "' is not among the properties"
              + among(properties.fieldNames()));
        }
      }
    }
    Object additional = schema.getValue("additionalProperties");
    if (additional == null) {
      schema.put("additionalProperties", false); // unknown parameters are always refused
    } else if (!Boolean.FALSE.equals(additional)) {
      problem("parameters: \"additionalProperties\" must be false (a request with an unknown parameter is refused), got "
          + describe(additional));
    }
    if (problems.size() > before) {
      return null;
    }
    try {
      SchemaMessages.of(schema, "parameter", "").problems(new JsonObject());
    } catch (RuntimeException e) {
      problem("parameters: not a usable JSON Schema: " + e.getMessage());
      return null;
    }
    return schema;
  }

  private void checkParameter(String name, Object value) {
    String label = "parameters: parameter '" + name + "'";
    if (!ID.matcher(name).matches()) {
      problem(label + ": names must match [a-z][a-z0-9_]* (they are used in ${parameters.<name>})");
    }
    if (!(value instanceof JsonObject property)) {
      problem(label + ": expected a schema object such as {\"type\": \"integer\"}, got " + describe(value));
      return;
    }
    Object type = property.getValue("type");
    if (type == null && !property.containsKey("enum") && !property.containsKey("const")) {
      problem(label + ": needs a \"type\" (one of " + String.join(", ", new TreeSet<>(JSON_TYPES)) + ")");
    } else if (type != null && !validType(type)) {
      problem(label + ": unknown type " + describe(type) + " (one of " + String.join(", ", new TreeSet<>(JSON_TYPES))
          + ")");
    }
    if (property.getValue("pattern") instanceof String pattern) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        problem(label + ": pattern " + pattern + " is not a regular expression: " + e.getDescription());
        return;
      }
    }
    if (property.containsKey("default") && (type == null || validType(type))) {
      try {
        List<String> wrong = SchemaMessages.of(property, "field", "").problems(property.getValue("default"));
        if (!wrong.isEmpty()) {
          problem(label + ": default " + describe(property.getValue("default")) + " does not fit its own schema: "
              + String.join("; ", wrong));
        }
      } catch (RuntimeException e) {
        problem(label + ": not a usable JSON Schema: " + e.getMessage());
      }
    }
  }

  private static boolean validType(Object type) {
    if (type instanceof String s) {
      return JSON_TYPES.contains(s);
    }
    return type instanceof JsonArray types && !types.isEmpty()
        && types.stream().allMatch(t -> t instanceof String s && JSON_TYPES.contains(s));
  }

  // ---- steps

  private List<Raw> steps(Object value, boolean compensation) {
    String field = compensation ? "compensation" : "steps";
    if (value == null) {
      problem("missing required field '" + field + "' (an array of steps)");
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      problem(field + ": expected an array of steps, got " + describe(value));
      return List.of();
    }
    List<Raw> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object element = array.getValue(i);
      String position = field + "[" + i + "]";
      if (!(element instanceof JsonObject json)) {
        problem(position + ": expected a step object, got " + describe(element));
        continue;
      }
      out.add(step(json, position, compensation));
    }
    return out;
  }

  private Raw step(JsonObject json, String position, boolean compensation) {
    Object id = json.getValue("id");
    String prefix = compensation ? "compensation step " : "step ";
    boolean goodId = id instanceof String s && ID.matcher(s).matches();
    Raw raw = new Raw(goodId ? prefix + id : position + (id instanceof String s ? " ('" + s + "')" : ""), compensation);
    if (id == null) {
      problem(raw.label + ": missing required field 'id'");
    } else if (!goodId) {
      problem(raw.label + ": id " + describe(id) + " must match [a-z][a-z0-9_]* (lower case, digits, _)");
    } else {
      raw.id = (String) id;
    }
    if (compensation && json.containsKey("depends_on")) {
      problem(raw.label + ": compensation steps have no depends_on; they run in reverse definition order, each only "
          + "if all its if_succeeded steps succeeded");
    }
    if (!compensation && json.containsKey("if_succeeded")) {
      problem(raw.label + ": if_succeeded belongs to compensation steps; a step orders itself with depends_on");
    }
    Set<String> allowed = compensation ? COMPENSATION_FIELDS : STEP_FIELDS;
    JsonObject rest = json.copy();
    rest.remove(compensation ? "depends_on" : "if_succeeded");
    unknownFields(rest, allowed, raw.label + ": ");

    raw.action = text(json, "action", raw.label + ": ", true);
    if (raw.action != null && !knownActions.contains(raw.action)) {
      problem(raw.label + ": unknown action '" + raw.action + "' (known actions: "
          + String.join(", ", new TreeSet<>(knownActions)) + ")");
    }
    raw.capability = text(json, "capability", raw.label + ": ", true);
    if (raw.capability != null && !CAPABILITY.matcher(raw.capability).matches()) {
      problem(raw.label + ": capability '" + raw.capability + "' must match [a-z][a-z0-9_]*");
    }
    raw.description = text(json, "description", raw.label + ": ", false);
    raw.mcpTools = names(json, "mcp_tools", raw.label, MCP_TOOL, "server/tool, e.g. proxmox/list_nodes");
    Object inputs = json.getValue("inputs");
    if (inputs instanceof JsonObject object) {
      raw.inputs = object;
    } else if (inputs != null) {
      problem(raw.label + ": inputs must be an object of templates, got " + describe(inputs));
    }
    if (compensation) {
      raw.ifSucceeded = names(json, "if_succeeded", raw.label, ID, "step ids");
    } else {
      raw.dependsOn = names(json, "depends_on", raw.label, ID, "step ids");
    }
    Object timeout = json.getValue("timeout_seconds");
    if (timeout != null) {
      if (isWhole(timeout) && ((Number) timeout).longValue() > 0) {
        raw.timeout = Duration.ofSeconds(((Number) timeout).longValue());
      } else {
        problem(raw.label + ": timeout_seconds must be a positive whole number of seconds, got " + describe(timeout));
      }
    }
    if (json.containsKey("retry")) {
      raw.retry = retry(json.getValue("retry"), raw.label);
    }
    return raw;
  }

  private List<String> names(JsonObject json, String field, String label, Pattern pattern, String what) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      problem(label + ": " + field + " must be an array of " + what + ", got " + describe(value));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object element : array) {
      if (!(element instanceof String s) || !pattern.matcher(s).matches()) {
        problem(label + ": " + field + " entry " + describe(element) + " is not valid (expected " + what + ")");
      } else if (out.contains(s)) {
        problem(label + ": " + field + " names '" + s + "' twice");
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private RetryPolicy retry(Object value, String label) {
    if (!(value instanceof JsonObject json)) {
      problem(label + ": retry must be an object like {\"max_attempts\": 3, \"initial_backoff_ms\": 500}, got "
          + describe(value));
      return RetryPolicy.DEFAULT;
    }
    int before = problems.size();
    unknownFields(json, RETRY_FIELDS, label + ": retry: ");
    RetryPolicy d = RetryPolicy.DEFAULT;
    Long attempts = whole(json, "max_attempts", label, d.maxAttempts());
    Long initial = whole(json, "initial_backoff_ms", label, d.initialBackoff().toMillis());
    Long max = whole(json, "max_backoff_ms", label, Math.max(d.maxBackoff().toMillis(),
        initial == null ? 0 : initial));
    Double multiplier = number(json, "multiplier", label, d.multiplier());
    Double jitter = number(json, "jitter", label, d.jitter());
    if (problems.size() > before) {
      return RetryPolicy.DEFAULT;
    }
    if (attempts > Integer.MAX_VALUE) {
      problem(label + ": retry: max_attempts " + attempts + " is too large");
      return RetryPolicy.DEFAULT;
    }
    try {
      return new RetryPolicy(attempts.intValue(), Duration.ofMillis(initial), Duration.ofMillis(max), multiplier, jitter);
    } catch (IllegalArgumentException e) {
      problem(label + ": retry: " + e.getMessage());
      return RetryPolicy.DEFAULT;
    }
  }

  private Long whole(JsonObject json, String field, String label, long def) {
    Object value = json.getValue(field);
    if (value == null) {
      return def;
    }
    if (!isWhole(value)) {
      problem(label + ": retry: " + field + " must be a whole number, got " + describe(value));
      return null;
    }
    return ((Number) value).longValue();
  }

  private Double number(JsonObject json, String field, String label, double def) {
    Object value = json.getValue(field);
    if (value == null) {
      return def;
    }
    if (!(value instanceof Number n)) {
      problem(label + ": retry: " + field + " must be a number, got " + describe(value));
      return null;
    }
    return n.doubleValue();
  }

  private static boolean isWhole(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return true;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 9.0e15; // 60.0 is fine, 60.5 and NaN are not
    }
    return false;
  }

  // ---- graph

  /** The first cycle found following depends_on from each step in definition order, as a closed path. */
  private static List<String> findCycle(List<Raw> steps) {
    Map<String, Raw> byId = new HashMap<>();
    steps.forEach(s -> byId.put(s.id, s));
    Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the current path, 2: done
    for (Raw step : steps) {
      List<String> path = new ArrayList<>();
      List<String> cycle = visit(step.id, byId, state, path);
      if (cycle != null) {
        return cycle;
      }
    }
    return null;
  }

  private static List<String> visit(String id, Map<String, Raw> byId, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(id);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      cycle.add(id);
      return cycle;
    }
    state.put(id, 1);
    path.add(id);
    for (String dep : byId.get(id).dependsOn) {
      List<String> cycle = visit(dep, byId, state, path);
      if (cycle != null) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    state.put(id, 2);
    return null;
  }

  /** Each step's transitive dependencies (the graph is known to be acyclic). */
  private static Map<String, Set<String>> ancestors(List<Raw> steps) {
    Map<String, Raw> byId = new HashMap<>();
    steps.forEach(s -> byId.put(s.id, s));
    Map<String, Set<String>> out = new HashMap<>();
    for (Raw step : steps) {
      ancestorsOf(step.id, byId, out);
    }
    return out;
  }

  private static Set<String> ancestorsOf(String id, Map<String, Raw> byId, Map<String, Set<String>> memo) {
    Set<String> known = memo.get(id);
    if (known != null) {
      return known;
    }
    Set<String> all = new LinkedHashSet<>();
    for (String dep : byId.get(id).dependsOn) {
      all.add(dep);
      all.addAll(ancestorsOf(dep, byId, memo));
    }
    memo.put(id, all);
    return all;
  }

  // ---- templates

  /**
   * @param parameterNames null when the parameters schema is unusable (then parameter references are not checked)
   * @param ancestors      null when the graph is unsound (then step references are not checked)
   */
  private void checkTemplates(Raw step, Set<String> parameterNames, Set<String> regularIds,
      Map<String, Set<String>> ancestors) {
    List<Reference> refs;
    try {
      refs = Templates.references(step.inputs);
    } catch (WorkflowValidationException e) {
      problem(step.label + ": inputs: " + e.getMessage());
      return;
    }
    String who = step.label;
    for (Reference ref : refs) {
      switch (ref.root()) {
        case Templates.PARAMETERS -> {
          if (ref.name() == null) {
            problem(step.label + ": incomplete reference " + ref.text() + " (expected ${parameters.<name>})");
          } else if (parameterNames != null && !parameterNames.contains(ref.name())) {
            problem(who + " uses " + ref.text() + " but the workflow declares no parameter '" + ref.name() + "'"
                + among(parameterNames));
          }
        }
        case Templates.STEPS -> {
          if (ref.name() == null) {
            problem(step.label + ": incomplete reference " + ref.text() + " (expected ${steps.<step_id>.<path>})");
          } else if (!regularIds.contains(ref.name())) {
            problem(who + " uses " + ref.text() + " but there is no step '" + ref.name() + "'" + among(regularIds));
          } else if (ancestors != null && step.id != null) {
            checkStepScope(step, who, ref, ancestors);
          }
        }
        case Templates.WORKFLOW -> {
          if (ref.name() == null || !Templates.WORKFLOW_FIELDS.contains(ref.name())) {
            problem(step.label + ": unknown workflow field in " + ref.text() + " (known: "
                + String.join(", ", new TreeSet<>(Templates.WORKFLOW_FIELDS)) + ")");
          }
        }
        default -> problem(step.label + ": unknown reference " + ref.text() + " ('" + ref.root()
            + "' is not one of parameters, steps, workflow)");
      }
    }
  }

  private void checkStepScope(Raw step, String who, Reference ref, Map<String, Set<String>> ancestors) {
    String target = ref.name();
    if (!step.compensation) {
      if (!ancestors.get(step.id).contains(target)) {
        problem(who + " uses " + ref.text() + " but does not depend on " + target);
      }
      return;
    }
    // A compensation step may read the steps it requires to have succeeded, and everything those depend on.
    Set<String> visible = new LinkedHashSet<>(step.ifSucceeded);
    step.ifSucceeded.forEach(s -> visible.addAll(ancestors.get(s)));
    if (!visible.contains(target)) {
      problem(who + " uses " + ref.text() + " but " + target + " is not among its if_succeeded steps (or what they "
          + "depend on), so it may not have run");
    }
  }

  // ---- small helpers

  private void unknownFields(JsonObject json, Set<String> allowed, String prefix) {
    for (String field : json.fieldNames()) {
      if (!allowed.contains(field)) {
        problem(prefix + "unknown field '" + field + "' (expected " + String.join(", ", allowed) + ")");
      }
    }
  }

  private String text(JsonObject json, String field, String prefix, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        problem(prefix + "missing required field '" + field + "'");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      problem(prefix + field + " must be a non-empty string, got " + describe(value));
      return null;
    }
    return s;
  }

  private static String among(Set<String> names) {
    return names.isEmpty() ? " (there are none)" : " (known: " + String.join(", ", names) + ")";
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    String text = value instanceof JsonObject o ? o.encode() : value instanceof JsonArray a ? a.encode()
        : String.valueOf(value);
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  private static Set<String> orderedSet(String... names) {
    return new LinkedHashSet<>(List.of(names));
  }

  private static List<Raw> concat(List<Raw> a, List<Raw> b) {
    List<Raw> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
