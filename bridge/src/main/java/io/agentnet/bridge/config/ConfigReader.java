package io.agentnet.bridge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Reads one config object and reports problems with the full path of the offending key
 * ({@code bridge.inbound[2].subject: expected a string, got a number}), so a wrong config file
 * fails at start with a message that says where to look.
 */
final class ConfigReader {

  private final JsonObject json;
  private final String path;

  ConfigReader(JsonObject json, String path) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(path(key) + ": " + problem);
  }

  private Object raw(String key) {
    return json.getValue(key);
  }

  String string(String key, String def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw error(key, "expected a string, got " + JsonTypes.name(v));
    }
    return s;
  }

  String requiredString(String key) {
    String s = string(key, null);
    if (s == null || s.isBlank()) {
      throw error(key, "required");
    }
    return s;
  }

  int integer(String key, int def, int min) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw error(key, "expected an integer, got " + JsonTypes.name(v));
    }
    if (n.longValue() < min || n.longValue() > Integer.MAX_VALUE) {
      throw error(key, "must be at least " + min + ", got " + n);
    }
    return n.intValue();
  }

  long longValue(String key, long def, long min) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw error(key, "expected an integer, got " + JsonTypes.name(v));
    }
    if (n.longValue() < min) {
      throw error(key, "must be at least " + min + ", got " + n);
    }
    return n.longValue();
  }

  boolean bool(String key, boolean def) {
    Object v = raw(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean b)) {
      throw error(key, "expected a boolean, got " + JsonTypes.name(v));
    }
    return b;
  }

  /** Durations are written in milliseconds under a key ending in {@code Ms}. */
  Duration millis(String key, Duration def) {
    long ms = longValue(key, def == null ? -1 : def.toMillis(), 0);
    return ms < 0 ? null : Duration.ofMillis(ms);
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
    String s = string(key, null);
    if (s == null) {
      return def;
    }
    try {
      return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        allowed.add(c.name().toLowerCase(Locale.ROOT));
      }
      throw error(key, "expected one of " + String.join(", ", allowed) + ", got \"" + s + "\"");
    }
  }

  List<String> strings(String key) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray array)) {
      throw error(key, "expected an array, got " + JsonTypes.name(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s)) {
        throw error(key + "[" + i + "]", "expected a string, got " + JsonTypes.name(array.getValue(i)));
      }
      out.add(s);
    }
    return out;
  }

  /** A list of config objects, each parsed with its own path ({@code key[i]}). */
  <T> List<T> objects(String key, BiFunction<JsonObject, String, T> parser) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray array)) {
      throw error(key, "expected an array, got " + JsonTypes.name(v));
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw error(key + "[" + i + "]", "expected an object, got " + JsonTypes.name(array.getValue(i)));
      }
      out.add(parser.apply(o, path(key + "[" + i + "]")));
    }
    return out;
  }

}
