package io.agentnet.runtime.mcp.impl;

import io.vertx.core.json.JsonObject;
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

/** A compiled JSON Schema (draft 2020-12) that explains, per argument, why a value does not fit. */
final class SchemaCheck {

  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
  private static final Pattern TYPE = Pattern.compile("Instance type (\\w+) is invalid\\. Expected (\\w+)");

  private final Validator validator;

  private SchemaCheck(Validator validator) {
    this.validator = validator;
  }

  static SchemaCheck of(JsonObject schema) {
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("urn:agentnet:mcp").setOutputFormat(OutputFormat.Basic);
    return new SchemaCheck(Validator.create(JsonSchema.of(schema.copy()), options));
  }

  /** Empty when the value fits; otherwise one line per problem, naming the argument and why. */
  List<String> problems(Object value) {
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
    return keyword.endsWith("/properties") || keyword.endsWith("/additionalProperties");
  }

  private static String describe(OutputUnit unit) {
    String path = String.valueOf(unit.getInstanceLocation());
    path = path.startsWith("#") ? path.substring(1) : path;
    path = path.startsWith("/") ? path.substring(1) : path;
    path = path.replace('/', '.');
    String error = String.valueOf(unit.getError());
    Matcher required = REQUIRED.matcher(error);
    if (required.find()) {
      return "missing required argument '" + (path.isEmpty() ? "" : path + ".") + required.group(1) + "'";
    }
    if (String.valueOf(unit.getKeywordLocation()).endsWith("/additionalProperties")) {
      return "unknown argument '" + path + "' (not in the tool's input schema)";
    }
    Matcher type = TYPE.matcher(error);
    if (type.find()) {
      error = "expected " + type.group(2) + ", got " + type.group(1);
    }
    return path.isEmpty() ? error : "argument '" + path + "': " + error;
  }
}
