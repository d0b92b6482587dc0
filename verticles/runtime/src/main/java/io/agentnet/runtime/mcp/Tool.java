package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One MCP tool: its name, what it does, the JSON Schema of its arguments (and of its result when
 * structured), hints for clients, and the code that runs it. Build with {@link #builder(String)}.
 */
public final class Tool {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final String name;
  private final String title;
  private final String description;
  private final JsonObject inputSchema;
  private final JsonObject outputSchema;
  private final ToolAnnotations annotations;
  private final ToolHandler handler;
  private final BlockingToolHandler blockingHandler;

  private Tool(Builder b) {
    if (b.name == null || !NAME.matcher(b.name).matches()) {
      throw new IllegalArgumentException("tool name \"" + b.name + "\" must be 1-128 letters, digits, _ . or -");
    }
    if ((b.handler == null) == (b.blockingHandler == null)) {
      throw new IllegalArgumentException("tool " + b.name + " needs exactly one handler (async or blocking)");
    }
    this.name = b.name;
    this.title = b.title;
    this.description = Objects.requireNonNull(b.description, "description of tool " + b.name);
    this.inputSchema = b.inputSchema == null ? Schemas.object().build() : b.inputSchema;
    if (!"object".equals(inputSchema.getString("type"))) {
      throw new IllegalArgumentException("tool " + b.name + ": inputSchema must have type object");
    }
    this.outputSchema = b.outputSchema;
    this.annotations = Objects.requireNonNull(b.annotations, "annotations of tool " + b.name);
    this.handler = b.handler;
    this.blockingHandler = b.blockingHandler;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public JsonObject inputSchema() {
    return inputSchema;
  }

  /** The schema of structuredContent, or null when the tool returns only content blocks. */
  public JsonObject outputSchema() {
    return outputSchema;
  }

  public ToolAnnotations annotations() {
    return annotations;
  }

  /** The async handler, or null when the tool blocks. */
  public ToolHandler handler() {
    return handler;
  }

  /** The blocking handler, or null when the tool is async. */
  public BlockingToolHandler blockingHandler() {
    return blockingHandler;
  }

  /** The tool as tools/list shows it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name);
    if (title != null) {
      json.put("title", title);
    }
    json.put("description", description).put("inputSchema", inputSchema);
    if (outputSchema != null) {
      json.put("outputSchema", outputSchema);
    }
    JsonObject hints = annotations.toJson();
    if (title != null) {
      hints.put("title", title);
    }
    json.put("annotations", hints);
    return json;
  }

  public static final class Builder {
    private final String name;
    private String title;
    private String description;
    private JsonObject inputSchema;
    private JsonObject outputSchema;
    private ToolAnnotations annotations;
    private ToolHandler handler;
    private BlockingToolHandler blockingHandler;

    private Builder(String name) {
      this.name = name;
    }

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder input(JsonObject schema) {
      this.inputSchema = schema;
      return this;
    }

    public Builder output(JsonObject schema) {
      this.outputSchema = schema;
      return this;
    }

    public Builder annotations(ToolAnnotations annotations) {
      this.annotations = annotations;
      return this;
    }

    public Builder handler(ToolHandler handler) {
      this.handler = handler;
      return this;
    }

    public Builder blocking(BlockingToolHandler handler) {
      this.blockingHandler = handler;
      return this;
    }

    public Tool build() {
      return new Tool(this);
    }
  }
}
