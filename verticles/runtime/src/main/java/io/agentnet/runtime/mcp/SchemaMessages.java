package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A compiled JSON Schema (draft 2020-12) that explains, per field, why a value does not fit, in
 * words a user can act on: {@code argument 'a': expected integer, got string}, {@code missing
 * required argument 'b'}, {@code parameter 'cores': must be >= 1}. The noun ("argument" for tool
 * inputs, "parameter" for workflow parameters) is the caller's. No Vertx instance is needed.
 */
public final class SchemaMessages {

  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
  private static final Pattern TYPE = Pattern.compile("Instance type (\\w+) is invalid\\. Expected (\\w+)");

  private final JsonObject schema;
  private final Validator validator;
  private final String noun;
  private final String unknownSuffix;

  private SchemaMessages(JsonObject schema, String noun, String unknownSuffix) {
    this.schema = schema;
    this.noun = noun;
    this.unknownSuffix = unknownSuffix;
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("urn:agentnet:schema").setOutputFormat(OutputFormat.Basic);
    this.validator = Validator.create(JsonSchema.of(schema.copy()), options);
  }

  /** Messages about tool arguments ("argument 'x': ..."; unknown ones are "not in the tool's input schema"). */
  public static SchemaMessages of(JsonObject schema) {
    return of(schema, "argument", " (not in the tool's input schema)");
  }

  /**
   * @param noun          what the top-level fields are called in messages ("argument", "parameter", "field")
   * @param unknownSuffix appended to "unknown &lt;noun&gt; 'x'" (a hint such as the accepted names), may be empty
   */
  public static SchemaMessages of(JsonObject schema, String noun, String unknownSuffix) {
    return new SchemaMessages(schema.copy(), noun, unknownSuffix == null ? "" : unknownSuffix);
  }

  /** Empty when the value fits; otherwise one line per problem, naming the field and why. */
  public List<String> problems(Object value) {
    OutputUnit result = validator.validate(value);
    List<String> problems = new ArrayList<>();
    if (Boolean.TRUE.equals(result.getValid())) {
      return problems;
    }
    List<OutputUnit> errors = result.getErrors() == null || result.getErrors().isEmpty()
        ? List.of(result) : result.getErrors();
    // The validator also reports each failing property at its parent ("does not match schema") and,
    // for closed objects, against additionalProperties; keep the specific reason when there is one.
    Map<String, List<OutputUnit>> byLocation = new LinkedHashMap<>();
    for (OutputUnit error : errors) {
      byLocation.computeIfAbsent(String.valueOf(error.getInstanceLocation()), k -> new ArrayList<>()).add(error);
    }
    for (List<OutputUnit> atLocation : byLocation.values()) {
      List<OutputUnit> specific = atLocation.stream().filter(e -> !isSummary(e)).toList();
      for (OutputUnit error : specific.isEmpty() ? atLocation : specific) {
        String line = describe(error);
        if (!problems.contains(line)) {
          problems.add(line);
        }
      }
    }
    return problems;
  }

  private static boolean isSummary(OutputUnit error) {
    String keyword = String.valueOf(error.getKeywordLocation());
    return keyword.endsWith("/properties") || keyword.endsWith("/additionalProperties") || keyword.endsWith("/items");
  }

  private String describe(OutputUnit unit) {
    String path = String.valueOf(unit.getInstanceLocation());
    path = path.startsWith("#") ? path.substring(1) : path;
    path = path.startsWith("/") ? path.substring(1) : path;
    path = path.replace('/', '.');
    String keywordLocation = String.valueOf(unit.getKeywordLocation());
    String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
    String error = String.valueOf(unit.getError());
    Matcher required = REQUIRED.matcher(error);
    if (required.find()) {
      return "missing required " + noun + " '" + (path.isEmpty() ? "" : path + ".") + required.group(1) + "'";
    }
    if (keyword.equals("additionalProperties")) {
      return "unknown " + noun + " '" + path + "'" + unknownSuffix;
    }
    Matcher type = TYPE.matcher(error);
    if (type.find()) {
      error = "expected " + type.group(2) + ", got " + type.group(1);
    } else {
      String reason = reason(keyword, schemaValue(keywordLocation));
      error = reason == null ? error : reason;
    }
    return path.isEmpty() ? error : noun + " '" + path + "': " + error;
  }

  /** The keyword's value in the schema (e.g. the minimum), or null when the location goes through a $ref. */
  private Object schemaValue(String keywordLocation) {
    try {
      String pointer = keywordLocation.startsWith("#") ? keywordLocation.substring(1) : keywordLocation;
      return JsonPointer.from(pointer).queryJson(schema);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The validator's own texts ("0 is less than 1") say what is wrong, not what is expected: restate the rule. */
  private static String reason(String keyword, Object value) {
    if (value == null) {
      return null;
    }
    return switch (keyword) {
      case "minimum" -> "must be >= " + value;
      case "maximum" -> "must be <= " + value;
      case "exclusiveMinimum" -> "must be > " + value;
      case "exclusiveMaximum" -> "must be < " + value;
      case "multipleOf" -> "must be a multiple of " + value;
      case "minLength" -> "must be at least " + value + " characters long";
      case "maxLength" -> "must be at most " + value + " characters long";
      case "pattern" -> "must match the pattern " + value;
      case "minItems" -> "must have at least " + value + " items";
      case "maxItems" -> "must have at most " + value + " items";
      case "uniqueItems" -> "must not repeat items";
      case "minProperties" -> "must have at least " + value + " fields";
      case "maxProperties" -> "must have at most " + value + " fields";
      case "enum" -> value instanceof JsonArray values ? "must be one of " + values.stream()
          .map(SchemaMessages::show).collect(Collectors.joining(", ")) : null;
      case "const" -> "must be " + show(value);
      default -> null;
    };
  }

  private static String show(Object value) {
    return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
  }
}
