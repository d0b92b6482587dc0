package io.agentnet.agents.workflow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step inputs as templates. A string that is exactly one {@code ${...}} yields the referenced
 * value with its JSON type (a number stays a number, an object an object); {@code ${...}} inside a
 * longer string is replaced by the value's text. References:
 * <ul>
 *   <li>{@code ${parameters.<name>}} (and deeper: {@code ${parameters.alert.severity}})</li>
 *   <li>{@code ${steps.<step_id>.<path>}}: a path into that step's result, dot separated; numeric
 *       segments index arrays; {@code ${steps.<step_id>}} is the whole result</li>
 *   <li>{@code ${workflow.<field>}}: one of {@link #WORKFLOW_FIELDS}</li>
 * </ul>
 * A template that resolves to nothing (an absent optional parameter, a missing path, a JSON null)
 * leaves its object key out of the result, or its element out of an array; a longer string with
 * such a reference resolves to nothing too, rather than to text with a hole in it. Objects and
 * arrays are resolved recursively; object keys are never templates. Plain Java, no Vert.x needed.
 */
public final class Templates {

  public static final String PARAMETERS = "parameters";
  public static final String STEPS = "steps";
  public static final String WORKFLOW = "workflow";
  /** The fields of the {@code workflow} object that templates may refer to. */
  public static final Set<String> WORKFLOW_FIELDS = Set.of("workflow_id", "workflow_type", "priority", "requester_id");

  private static final Object ABSENT = new Object();

  private Templates() {
  }

  /**
   * One {@code ${...}} in a template.
   *
   * @param text     the reference as written, e.g. {@code ${steps.create.vmid}}
   * @param root     the first segment: parameters, steps, workflow (or whatever was written)
   * @param segments the segments after the root: the parameter, step or workflow field name, then the path
   */
  public record Reference(String text, String root, List<String> segments) {

    public Reference {
      segments = List.copyOf(segments);
    }

    /** The parameter name, step id or workflow field; null for a bare root such as {@code ${steps}}. */
    public String name() {
      return segments.isEmpty() ? null : segments.get(0);
    }

    /** The path below the name (into a step's result or a parameter's value). */
    public List<String> path() {
      return segments.isEmpty() ? List.of() : segments.subList(1, segments.size());
    }
  }

  /**
   * The inputs with every template resolved.
   *
   * @param templates   a step's raw inputs
   * @param parameters  the workflow's parameters, defaults applied
   * @param stepResults results of the steps done so far, by step id
   * @param workflow    the workflow's own fields ({@code workflow_id}, {@code priority}, ...)
   * @throws WorkflowValidationException when a string holds a malformed {@code ${...}} (definitions
   *                                     loaded through {@link WorkflowDefinitions} never do)
   */
  public static JsonObject resolve(JsonObject templates, JsonObject parameters, Map<String, JsonObject> stepResults,
      JsonObject workflow) {
    Scope scope = new Scope(parameters == null ? new JsonObject() : parameters,
        stepResults == null ? Map.of() : stepResults, workflow == null ? new JsonObject() : workflow);
    return templates == null ? new JsonObject() : resolveObject(templates, scope);
  }

  /**
   * Every reference in a template (a string, or an object or array holding strings at any depth), in order.
   *
   * @throws WorkflowValidationException naming the malformed template (unterminated or empty {@code ${...}})
   */
  public static List<Reference> references(Object template) {
    List<Reference> out = new ArrayList<>();
    collect(template, out);
    return out;
  }

  private static void collect(Object template, List<Reference> out) {
    if (template instanceof String text) {
      for (Object part : parse(text)) {
        if (part instanceof Reference ref) {
          out.add(ref);
        }
      }
    } else if (template instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        collect(object.getValue(key), out);
      }
    } else if (template instanceof JsonArray array) {
      for (Object element : array) {
        collect(element, out);
      }
    }
  }

  /** The string split into literal text (String) and references, in order. */
  private static List<Object> parse(String text) {
    List<Object> parts = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf("${", at);
      if (open < 0) {
        parts.add(text.substring(at));
        break;
      }
      if (open > at) {
        parts.add(text.substring(at, open));
      }
      int close = text.indexOf('}', open + 2);
      if (close < 0) {
        throw new WorkflowValidationException("unterminated ${ in \"" + text + "\" (a reference ends with })");
      }
      String expression = text.substring(open + 2, close).trim();
      String written = text.substring(open, close + 1);
      if (expression.isEmpty() || expression.startsWith(".") || expression.endsWith(".") || expression.contains("..")) {
        throw new WorkflowValidationException("malformed reference " + written
            + " (expected parameters.<name>, steps.<step_id>.<path> or workflow.<field>)");
      }
      String[] segments = expression.split("\\.");
      parts.add(new Reference(written, segments[0], List.of(segments).subList(1, segments.length)));
      at = close + 1;
    }
    return parts;
  }

  private record Scope(JsonObject parameters, Map<String, JsonObject> steps, JsonObject workflow) {
  }

  private static JsonObject resolveObject(JsonObject templates, Scope scope) {
    JsonObject out = new JsonObject();
    for (String key : templates.fieldNames()) {
      Object value = resolveValue(templates.getValue(key), scope);
      if (value != ABSENT) {
        out.put(key, value);
      }
    }
    return out;
  }

  private static Object resolveValue(Object template, Scope scope) {
    if (template instanceof String text) {
      return resolveString(text, scope);
    }
    if (template instanceof JsonObject object) {
      return resolveObject(object, scope);
    }
    if (template instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      for (Object element : array) {
        Object value = resolveValue(element, scope);
        if (value != ABSENT) {
          out.add(value);
        }
      }
      return out;
    }
    return template; // numbers, booleans and literal nulls are taken as written
  }

  private static Object resolveString(String text, Scope scope) {
    List<Object> parts = parse(text);
    if (parts.size() == 1 && parts.get(0) instanceof Reference ref) {
      return lookup(ref, scope);
    }
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof Reference ref) {
        Object value = lookup(ref, scope);
        if (value == ABSENT) {
          return ABSENT;
        }
        out.append(text(value));
      } else {
        out.append(part);
      }
    }
    return out.toString();
  }

  private static Object lookup(Reference ref, Scope scope) {
    if (ref.name() == null) {
      return ABSENT;
    }
    Object start = switch (ref.root()) {
      case PARAMETERS -> scope.parameters().getValue(ref.name());
      case STEPS -> scope.steps().get(ref.name());
      case WORKFLOW -> scope.workflow().getValue(ref.name());
      default -> null;
    };
    Object value = walk(start, ref.path());
    if (value == null) {
      return ABSENT;
    }
    // A copy, so a later step cannot change an earlier step's result through its inputs.
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    return value instanceof JsonArray array ? array.copy() : value;
  }

  private static Object walk(Object value, List<String> path) {
    for (String segment : path) {
      if (value instanceof JsonObject object) {
        value = object.getValue(segment);
      } else if (value instanceof JsonArray array && isIndex(segment)) {
        int index = Integer.parseInt(segment);
        value = index < array.size() ? array.getValue(index) : null;
      } else {
        return null;
      }
    }
    return value;
  }

  private static boolean isIndex(String segment) {
    return !segment.isEmpty() && segment.length() <= 9 && segment.chars().allMatch(Character::isDigit);
  }

  private static String text(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // 2.0 read back from JSON interpolates as "2", the way a person wrote it
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.valueOf((long) d);
      }
    }
    if (value instanceof JsonObject object) {
      return object.encode();
    }
    return value instanceof JsonArray array ? array.encode() : String.valueOf(value);
  }
}
