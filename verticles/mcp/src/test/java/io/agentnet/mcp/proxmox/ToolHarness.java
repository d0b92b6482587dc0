package io.agentnet.mcp.proxmox;

import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolCall;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolProvider;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls tools the way the MCP server does: arguments checked against the input schema, the async
 * handler run on an event loop, a ToolException turned into an error result, and a structured
 * result checked against the output schema.
 */
final class ToolHarness {

  /** One progress notification. */
  record Progress(double progress, Double total, String message, boolean onEventLoop) {
  }

  private static final JsonSchemaOptions SCHEMA_OPTIONS = new JsonSchemaOptions()
      .setDraft(Draft.DRAFT202012).setBaseUri("https://agentnet.io/schemas/");

  private final Vertx vertx;
  private final ToolProvider provider;
  final List<Progress> progress = new CopyOnWriteArrayList<>();

  ToolHarness(Vertx vertx, ToolProvider provider) {
    this.vertx = vertx;
    this.provider = provider;
  }

  Tool tool(String name) {
    return provider.tools().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no tool " + name));
  }

  static OutputUnit validate(JsonObject schema, Object value) {
    return Validator.create(JsonSchema.of(schema), SCHEMA_OPTIONS).validate(value);
  }

  ToolResult call(String name, JsonObject arguments) throws Exception {
    Tool tool = tool(name);
    OutputUnit input = validate(tool.inputSchema(), arguments);
    assertThat(input.getValid()).as("arguments %s valid for %s: %s", arguments, name, input.getErrors()).isTrue();
    CompletableFuture<ToolResult> result = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      ToolCall call = new ToolCall(name, arguments, (done, total, message) -> progress.add(new Progress(done, total, message,
          Context.isOnEventLoopThread())));
      tool.handler().call(call).onComplete(ar -> {
        if (!Context.isOnEventLoopThread()) {
          result.completeExceptionally(new AssertionError(name + " completed off the event loop"));
        } else if (ar.succeeded()) {
          result.complete(ar.result());
        } else if (ar.cause() instanceof ToolException e) {
          result.complete(ToolResult.error(e.getMessage()));
        } else {
          result.completeExceptionally(ar.cause());
        }
      });
    });
    ToolResult r = result.get(45, TimeUnit.SECONDS);
    if (!r.isError() && tool.outputSchema() != null) {
      assertThat(r.structured()).as("%s returns structured content", name).isNotNull();
      OutputUnit output = validate(tool.outputSchema(), r.structured());
      assertThat(output.getValid()).as("%s result %s valid: %s", name, r.structured(), output.getErrors()).isTrue();
    }
    return r;
  }

  JsonObject ok(String name, JsonObject arguments) throws Exception {
    ToolResult r = call(name, arguments);
    assertThat(r.isError()).as("%s failed: %s", name, r.firstText()).isFalse();
    return r.structured();
  }

  String error(String name, JsonObject arguments) throws Exception {
    ToolResult r = call(name, arguments);
    assertThat(r.isError()).as("%s should fail but returned %s", name, r).isTrue();
    return r.firstText();
  }
}
