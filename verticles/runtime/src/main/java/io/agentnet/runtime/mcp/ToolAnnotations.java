package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonObject;

/**
 * The MCP tool annotations: hints a client uses to decide whether to ask a person before a call.
 * Null means "not said" (the spec's defaults then apply: not read-only, destructive, not
 * idempotent, open world).
 */
public record ToolAnnotations(Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
                              Boolean openWorldHint) {

  /** Reads only; calling it twice is the same as once. */
  public static ToolAnnotations readOnly(boolean openWorld) {
    return new ToolAnnotations(true, false, true, openWorld);
  }

  /** Changes state; {@code destructive} when it may delete or overwrite what was there. */
  public static ToolAnnotations mutating(boolean destructive, boolean idempotent, boolean openWorld) {
    return new ToolAnnotations(false, destructive, idempotent, openWorld);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (readOnlyHint != null) {
      json.put("readOnlyHint", readOnlyHint);
    }
    if (destructiveHint != null) {
      json.put("destructiveHint", destructiveHint);
    }
    if (idempotentHint != null) {
      json.put("idempotentHint", idempotentHint);
    }
    if (openWorldHint != null) {
      json.put("openWorldHint", openWorldHint);
    }
    return json;
  }
}
