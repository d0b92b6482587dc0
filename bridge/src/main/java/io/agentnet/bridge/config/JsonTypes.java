package io.agentnet.bridge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How a JSON value's type is named in an error a person reads: "a string", "an array", ... */
public final class JsonTypes {

  private JsonTypes() {
  }

  public static String name(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Number) {
      return "a number";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof JsonArray) {
      return "an array";
    } else if (v instanceof JsonObject) {
      return "an object";
    }
    return v.getClass().getSimpleName();
  }
}
