package io.agentnet.bridge.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the fields of one message body and checks record invariants. Every failure is a {@link
 * MessageFormatException} naming the message type, the field path and what was wrong.
 *
 * <p>The instance methods read JSON ({@code require*} fail when the field is absent, {@code opt*}
 * return the default when it is absent or null); the static {@code check*} and {@code copy*}
 * methods are used by the records' constructors.
 */
final class JsonFields {

  private static final int MAX_QUOTED = 40;
  private static final Pattern LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");

  private final String type;
  private final JsonObject json;

  private JsonFields(String type, JsonObject json) {
    this.type = type;
    this.json = json;
  }

  /** A reader of the fields of {@code json}, a body of message type {@code type}. */
  static JsonFields of(String type, JsonObject json) {
    if (json == null) {
      throw new MessageFormatException(type, null, "expected an object, got null");
    }
    return new JsonFields(type, json);
  }

  // ---- whole bodies ----

  /** Parses a body that must be one JSON object. */
  static JsonObject parse(String type, Buffer body) {
    if (body == null || body.length() == 0) {
      throw new MessageFormatException(type, null, "body is empty");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      if (body.toString().isBlank()) {
        throw new MessageFormatException(type, null, "body is empty");
      }
      throw new MessageFormatException(type, null, "body is not valid JSON (" + parserReason(e) + ")", e);
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new MessageFormatException(type, null, "body must be a JSON object, got " + describe(value));
  }

  static JsonObject parse(String type, byte[] body) {
    return parse(type, body == null ? null : Buffer.buffer(body));
  }

  /** The parser's first line, shortened, plus where it stopped: "Unexpected end-of-input ... at line 1, column 6". */
  private static String parserReason(DecodeException e) {
    String message = e.getMessage() == null ? "unreadable" : e.getMessage();
    String reason = abbreviate(message.lines().findFirst().orElse(message).strip(), 80);
    Matcher at = LOCATION.matcher(message);
    return at.find() ? reason + " at line " + at.group(1) + ", column " + at.group(2) : reason;
  }

  // ---- fields ----

  String requireString(String field) {
    return checkText(type, field, asString(field, required(field)));
  }

  String optString(String field, String defaultValue) {
    Object value = json.getValue(field);
    return value == null ? defaultValue : asString(field, value);
  }

  int requireInt(String field) {
    return asInt(field, required(field));
  }

  int optInt(String field, int defaultValue) {
    Object value = json.getValue(field);
    return value == null ? defaultValue : asInt(field, value);
  }

  double requireDouble(String field) {
    return asDouble(field, required(field));
  }

  double optDouble(String field, double defaultValue) {
    Object value = json.getValue(field);
    return value == null ? defaultValue : asDouble(field, value);
  }

  JsonObject requireObject(String field) {
    return asObject(field, required(field));
  }

  JsonObject optObject(String field, JsonObject defaultValue) {
    Object value = json.getValue(field);
    return value == null ? defaultValue : asObject(field, value);
  }

  List<String> requireStringList(String field) {
    return asList(field, required(field));
  }

  /** The list, or an empty one when absent or null. */
  List<String> optStringList(String field) {
    Object value = json.getValue(field);
    return value == null ? List.of() : asList(field, value);
  }

  Map<String, Double> requireNumberMap(String field) {
    return asMap(field, required(field), this::asDouble);
  }

  /** The map, or an empty one when absent or null. */
  Map<String, String> optStringMap(String field) {
    Object value = json.getValue(field);
    return value == null ? Map.of() : asMap(field, value, this::asString);
  }

  Instant requireInstant(String field) {
    Object value = required(field);
    if (value instanceof Instant instant) { // a JsonObject built in-process may hold one
      return instant;
    }
    String text = asString(field, value);
    try {
      return parseInstant(text);
    } catch (DateTimeParseException e) {
      throw error(field, "expected an ISO-8601 timestamp such as 2024-05-01T12:00:00Z, got " + quote(text));
    }
  }

  /** A string field turned into an enum constant by {@code fromJson}, e.g. {@code AgentStatus::fromJson}. */
  <E> E requireEnum(String field, Function<String, E> fromJson) {
    String text = asString(field, required(field));
    try {
      return fromJson.apply(text);
    } catch (MessageFormatException e) {
      throw error(field, e.problem());
    }
  }

  private Object required(String field) {
    if (!json.containsKey(field)) {
      throw error(field, "required field is missing");
    }
    return json.getValue(field);
  }

  private MessageFormatException error(String path, String problem) {
    return new MessageFormatException(type, path, problem);
  }

  private MessageFormatException expected(String path, String what, Object value) {
    return error(path, "expected " + what + ", got " + describe(value));
  }

  private String asString(String path, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw expected(path, "a string", value);
  }

  private int asInt(String path, Object value) {
    if (!(value instanceof Number n) || !isIntegral(n)) {
      throw expected(path, "an integer", value);
    }
    double d = n.doubleValue(); // exact for every int, so the bounds check is exact too
    if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      throw error(path, "must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + n);
    }
    return n.intValue();
  }

  private double asDouble(String path, Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw expected(path, "a number", value);
  }

  private JsonObject asObject(String path, Object value) {
    if (value instanceof JsonObject object) {
      return object;
    }
    throw expected(path, "an object", value);
  }

  private List<String> asList(String path, Object value) {
    if (!(value instanceof JsonArray array)) {
      throw expected(path, "an array", value);
    }
    List<String> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      list.add(asString(path + "[" + i + "]", array.getValue(i)));
    }
    return list;
  }

  private <V> Map<String, V> asMap(String path, Object value, BiFunction<String, Object, V> entry) {
    JsonObject object = asObject(path, value);
    Map<String, V> map = new LinkedHashMap<>();
    for (String key : object.fieldNames()) {
      map.put(key, entry.apply(path + "." + key, object.getValue(key)));
    }
    return map;
  }

  // ---- invariants, for the records' constructors ----

  /** {@code value}, which must be present and not blank. */
  static String checkText(String type, String field, String value) {
    if (checkPresent(type, field, value).isBlank()) {
      throw new MessageFormatException(type, field, "must not be blank");
    }
    return value;
  }

  /** {@code value}, which must be present. */
  static <T> T checkPresent(String type, String field, T value) {
    if (value == null) {
      throw new MessageFormatException(type, field, "required field is missing");
    }
    return value;
  }

  /** {@code value}, which must lie in [min, max]; {@code range} describes the bounds, e.g. "1 (highest) and 10 (lowest)". */
  static int checkRange(String type, String field, int value, int min, int max, String range) {
    if (value < min || value > max) {
      throw new MessageFormatException(type, field, "must be between " + range + ", got " + value);
    }
    return value;
  }

  /** {@code value}, which must lie in [0.0, 1.0]. */
  static double checkFraction(String type, String field, double value) {
    if (!(value >= 0.0 && value <= 1.0)) { // also rejects NaN
      throw new MessageFormatException(type, field, "must be between 0.0 and 1.0, got " + value);
    }
    return value;
  }

  /** An immutable copy of a list of non-blank strings; elements are named {@code field[i]}. */
  static List<String> copyTexts(String type, String field, List<String> list) {
    checkPresent(type, field, list);
    for (int i = 0; i < list.size(); i++) {
      checkText(type, field + "[" + i + "]", list.get(i));
    }
    return List.copyOf(list);
  }

  /** An immutable, order-preserving copy of a map of finite numbers; entries are named {@code field.key}. */
  static Map<String, Double> copyNumbers(String type, String field, Map<String, Double> map) {
    return copyMap(type, field, map, (path, value) -> {
      if (!Double.isFinite(checkPresent(type, path, value))) {
        throw new MessageFormatException(type, path, "must be a finite number, got " + value);
      }
    });
  }

  /** An immutable, order-preserving copy of a map of strings; entries are named {@code field.key}. */
  static Map<String, String> copyStrings(String type, String field, Map<String, String> map) {
    return copyMap(type, field, map, (path, value) -> checkPresent(type, path, value));
  }

  private interface EntryCheck<V> {
    void check(String path, V value);
  }

  private static <V> Map<String, V> copyMap(String type, String field, Map<String, V> map, EntryCheck<V> check) {
    checkPresent(type, field, map);
    Map<String, V> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (key == null || key.isBlank()) {
        throw new MessageFormatException(type, field, "keys must not be blank");
      }
      check.check(field + "." + key, value);
      copy.put(key, value);
    });
    return Collections.unmodifiableMap(copy);
  }

  // ---- encoding ----

  /** A fresh JSON array of {@code list}, which the caller may change. */
  static JsonArray toArray(List<String> list) {
    return new JsonArray(new ArrayList<Object>(list));
  }

  /** A fresh JSON object of {@code map}, in the map's order, which the caller may change. */
  static JsonObject toObject(Map<String, ?> map) {
    return new JsonObject(new LinkedHashMap<String, Object>(map));
  }

  // ---- values ----

  /**
   * An ISO-8601 date-time with {@code Z} or an offset, or without a zone (read as UTC, as the
   * seed's Python {@code datetime.utcnow().isoformat()} writes it).
   */
  static Instant parseInstant(String text) {
    TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
    return parsed.isSupported(ChronoField.INSTANT_SECONDS) // had an offset
        ? Instant.from(parsed)
        : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
  }

  /** The constant of {@code values} whose JSON value is {@code text}. */
  static <E> E parseEnum(String enumType, E[] values, Function<E, String> json, String text) {
    for (E value : values) {
      if (json.apply(value).equals(text)) {
        return value;
      }
    }
    String allowed = Stream.of(values).map(json).collect(Collectors.joining(", "));
    throw new MessageFormatException(enumType, null,
        "expected one of " + allowed + ", got " + (text == null ? "null" : quote(text)));
  }

  /** The JSON type of {@code value}, with a short rendering of scalars: {@code a string ("high")}. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String s) {
      return "a string (" + quote(s) + ")";
    } else if (value instanceof Boolean b) {
      return "a boolean (" + b + ")";
    } else if (value instanceof Number n) {
      return (isIntegral(n) ? "an integer (" : "a number (") + abbreviate(n.toString(), MAX_QUOTED) + ")";
    } else if (value instanceof JsonObject || value instanceof Map) {
      return "an object";
    } else if (value instanceof JsonArray || value instanceof List) {
      return "an array";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
      return true;
    }
    double d = n.doubleValue();
    return Double.isFinite(d) && d == Math.rint(d);
  }

  /** {@code text} in double quotes, shortened and with control characters escaped so it stays on one line. */
  static String quote(String text) {
    String shortened = abbreviate(text, MAX_QUOTED);
    StringBuilder quoted = new StringBuilder(shortened.length() + 2).append('"');
    for (char c : shortened.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  private static String abbreviate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "...";
  }
}
