package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of a tool: its arguments, already checked against the tool's input schema (so a
 * required argument is there and has its declared type), and a way to report progress.
 */
public final class ToolCall {

  /** Where progress goes: over HTTP a {@code notifications/progress} on the call's stream. */
  @FunctionalInterface
  public interface ProgressSink {
    void progress(double progress, Double total, String message);

    ProgressSink NONE = (progress, total, message) -> { };
  }

  private final String tool;
  private final JsonObject arguments;
  private final ProgressSink progress;

  public ToolCall(String tool, JsonObject arguments, ProgressSink progress) {
    this.tool = tool;
    this.arguments = arguments == null ? new JsonObject() : arguments;
    this.progress = progress == null ? ProgressSink.NONE : progress;
  }

  /** A call with no progress reporting (tests, internal callers). */
  public static ToolCall of(String tool, JsonObject arguments) {
    return new ToolCall(tool, arguments, ProgressSink.NONE);
  }

  public String tool() {
    return tool;
  }

  public JsonObject arguments() {
    return arguments;
  }

  public boolean has(String name) {
    return arguments.getValue(name) != null;
  }

  /** A required string argument (the schema has made sure it is there). */
  public String string(String name) {
    String value = arguments.getString(name);
    if (value == null) {
      throw new ToolException("argument " + name + " is required");
    }
    return value;
  }

  public String string(String name, String fallback) {
    return arguments.getString(name, fallback);
  }

  public Long longValue(String name) {
    Number n = (Number) arguments.getValue(name);
    return n == null ? null : n.longValue();
  }

  public long longValue(String name, long fallback) {
    Number n = (Number) arguments.getValue(name);
    return n == null ? fallback : n.longValue();
  }

  public Integer integer(String name) {
    Number n = (Number) arguments.getValue(name);
    return n == null ? null : n.intValue();
  }

  public int integer(String name, int fallback) {
    Number n = (Number) arguments.getValue(name);
    return n == null ? fallback : n.intValue();
  }

  public double number(String name, double fallback) {
    Number n = (Number) arguments.getValue(name);
    return n == null ? fallback : n.doubleValue();
  }

  public boolean bool(String name, boolean fallback) {
    Boolean b = arguments.getBoolean(name);
    return b == null ? fallback : b;
  }

  public JsonObject object(String name) {
    return arguments.getJsonObject(name);
  }

  public JsonArray array(String name) {
    return arguments.getJsonArray(name);
  }

  public List<String> strings(String name) {
    JsonArray array = arguments.getJsonArray(name);
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  /** Reports progress to the caller when it asked for it (a progressToken); otherwise does nothing. */
  public void progress(double done, Double total, String message) {
    progress.progress(done, total, message);
  }
}
