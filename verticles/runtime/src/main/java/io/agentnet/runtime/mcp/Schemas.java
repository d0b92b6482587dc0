package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * Small builders for the JSON Schemas of tool inputs and outputs, so each tool's schema reads
 * like its argument list.
 */
public final class Schemas {

  private Schemas() {
  }

  public static ObjectSchema object() {
    return new ObjectSchema();
  }

  public static JsonObject string(String description) {
    return typed("string", description);
  }

  public static JsonObject integer(String description) {
    return typed("integer", description);
  }

  public static JsonObject integer(String description, long minimum, long maximum) {
    return typed("integer", description).put("minimum", minimum).put("maximum", maximum);
  }

  public static JsonObject number(String description) {
    return typed("number", description);
  }

  public static JsonObject bool(String description) {
    return typed("boolean", description);
  }

  public static JsonObject enumOf(String description, String... values) {
    return typed("string", description).put("enum", new JsonArray(Arrays.asList((Object[]) values)));
  }

  public static JsonObject array(JsonObject items, String description) {
    return typed("array", description).put("items", items);
  }

  public static JsonObject stringArray(String description) {
    return array(new JsonObject().put("type", "string"), description);
  }

  /** Any JSON object (free-form maps such as labels or a VM's config). */
  public static JsonObject anyObject(String description) {
    return typed("object", description);
  }

  private static JsonObject typed(String type, String description) {
    JsonObject json = new JsonObject().put("type", type);
    if (description != null) {
      json.put("description", description);
    }
    return json;
  }

  /** An object schema: properties in the order given, some required; no others allowed by default. */
  public static final class ObjectSchema {
    private final JsonObject properties = new JsonObject();
    private final JsonArray required = new JsonArray();
    private boolean additional;
    private String description;

    public ObjectSchema required(String name, JsonObject schema) {
      properties.put(name, schema);
      required.add(name);
      return this;
    }

    public ObjectSchema optional(String name, JsonObject schema) {
      properties.put(name, schema);
      return this;
    }

    /** Allow properties not listed (off by default: a misspelt argument is an error, not ignored). */
    public ObjectSchema additionalProperties(boolean allowed) {
      this.additional = allowed;
      return this;
    }

    public ObjectSchema description(String text) {
      this.description = text;
      return this;
    }

    public JsonObject build() {
      JsonObject json = new JsonObject().put("type", "object").put("properties", properties.copy());
      if (!required.isEmpty()) {
        json.put("required", required.copy());
      }
      json.put("additionalProperties", additional);
      if (description != null) {
        json.put("description", description);
      }
      return json;
    }
  }
}
