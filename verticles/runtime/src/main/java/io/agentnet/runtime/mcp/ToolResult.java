package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a tool call returns (MCP {@code CallToolResult}): content blocks for a model to read,
 * structured content for programs when the tool has an output schema, and {@code isError} when
 * the tool itself failed.
 */
public final class ToolResult {

  private final JsonArray content;
  private final JsonObject structured;
  private final boolean error;

  private ToolResult(JsonArray content, JsonObject structured, boolean error) {
    this.content = content;
    this.structured = structured;
    this.error = error;
  }

  public static ToolResult text(String text) {
    return new ToolResult(new JsonArray().add(textContent(text)), null, false);
  }

  /**
   * A structured result; the same JSON also goes out as a text block, as the spec asks, for
   * clients that only read content.
   */
  public static ToolResult structured(JsonObject data) {
    return new ToolResult(new JsonArray().add(textContent(data.encode())), data, false);
  }

  /** A structured result with a text block of its own (a diff, a listing) for people and models. */
  public static ToolResult structured(JsonObject data, String text) {
    return new ToolResult(new JsonArray().add(textContent(text)), data, false);
  }

  /** Any content blocks (images, audio, resources); see {@link #textContent} and friends. */
  public static ToolResult content(JsonArray blocks) {
    return new ToolResult(blocks.copy(), null, false);
  }

  /** The tool's own failure, with a message a person can act on. */
  public static ToolResult error(String message) {
    return new ToolResult(new JsonArray().add(textContent(message)), null, true);
  }

  public static JsonObject textContent(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  public static JsonObject imageContent(String base64, String mimeType) {
    return new JsonObject().put("type", "image").put("data", base64).put("mimeType", mimeType);
  }

  public static JsonObject audioContent(String base64, String mimeType) {
    return new JsonObject().put("type", "audio").put("data", base64).put("mimeType", mimeType);
  }

  /** An embedded binary resource (for media that is neither image nor audio). */
  public static JsonObject blobContent(String uri, String base64, String mimeType) {
    return new JsonObject().put("type", "resource").put("resource",
        new JsonObject().put("uri", uri).put("blob", base64).put("mimeType", mimeType));
  }

  public JsonArray content() {
    return content;
  }

  /** The structured content, or null. */
  public JsonObject structured() {
    return structured;
  }

  public boolean isError() {
    return error;
  }

  /** The first text block, or "" (handy in tests and logs). */
  public String firstText() {
    for (Object block : content) {
      if (block instanceof JsonObject b && "text".equals(b.getString("type"))) {
        return b.getString("text", "");
      }
    }
    return "";
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("content", content);
    if (structured != null) {
      json.put("structuredContent", structured);
    }
    if (error) {
      json.put("isError", true);
    }
    return json;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
