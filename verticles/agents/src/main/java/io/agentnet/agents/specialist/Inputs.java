package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A step's inputs, read with errors that name the action and the input. Numbers may arrive as
 * numeric strings (a template such as {@code "${params.cores}"} resolves to text), so both are
 * accepted; a missing or malformed input is a permanent failure.
 */
final class Inputs {

  private final String action;
  private final JsonObject json;

  Inputs(String action, JsonObject json) {
    this.action = action;
    this.json = json == null ? new JsonObject() : json;
  }

  JsonObject json() {
    return json;
  }

  boolean has(String name) {
    return json.getValue(name) != null && !"".equals(json.getValue(name));
  }

  String string(String name) {
    String value = string(name, null);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  String string(String name, String fallback) {
    Object value = json.getValue(name);
    if (value == null || "".equals(value)) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    throw wrong(name, "a string", value);
  }

  long integer(String name) {
    if (!has(name)) {
      throw missing(name);
    }
    return integer(name, 0);
  }

  long integer(String name, long fallback) {
    Object value = json.getValue(name);
    if (value == null || "".equals(value)) {
      return fallback;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    if (value instanceof String s && s.trim().matches("-?\\d+")) {
      return Long.parseLong(s.trim());
    }
    throw wrong(name, "an integer", value);
  }

  Long optionalInteger(String name) {
    return has(name) ? integer(name) : null;
  }

  double decimal(String name, double fallback) {
    Object value = json.getValue(name);
    if (value == null || "".equals(value)) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // falls through to the error
      }
    }
    throw wrong(name, "a number", value);
  }

  boolean bool(String name, boolean fallback) {
    Object value = json.getValue(name);
    if (value == null || "".equals(value)) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw wrong(name, "true or false", value);
  }

  JsonObject object(String name) {
    JsonObject value = optionalObject(name);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  JsonObject optionalObject(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject o) {
      return o;
    }
    if (value instanceof String s && s.trim().startsWith("{")) {
      try {
        return new JsonObject(s);
      } catch (RuntimeException e) {
        // falls through to the error
      }
    }
    throw wrong(name, "an object", value);
  }

  JsonArray array(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      throw missing(name);
    }
    if (value instanceof JsonArray a) {
      return a;
    }
    if (value instanceof String s && s.trim().startsWith("[")) {
      try {
        return new JsonArray(s);
      } catch (RuntimeException e) {
        // falls through to the error
      }
    }
    throw wrong(name, "a list", value);
  }

  SkillException missing(String name) {
    return SkillException.permanent(action + " needs the input '" + name + "'; the step's inputs have "
        + (json.isEmpty() ? "none" : String.join(", ", json.fieldNames().stream().sorted().toList())));
  }

  SkillException wrong(String name, String expected, Object value) {
    String shown = String.valueOf(value);
    if (shown.length() > 80) {
      shown = shown.substring(0, 77) + "...";
    }
    return SkillException.permanent(action + ": input '" + name + "' must be " + expected + ", got " + shown);
  }
}
