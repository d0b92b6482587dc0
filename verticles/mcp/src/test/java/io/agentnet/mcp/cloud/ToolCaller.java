package io.agentnet.mcp.cloud;

import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolCall;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolProvider;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Calls a provider's tools the way the MCP server does: arguments checked against the input schema
 * first, ToolException turned into an isError result, and structured content checked against the
 * output schema, so a schema that does not fit its tool fails the test.
 */
public final class ToolCaller {

  private final ToolProvider provider;

  public ToolCaller(ToolProvider provider) {
    this.provider = provider;
  }

  public Tool tool(String name) {
    return provider.tools().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no tool " + name));
  }

  /** Calls a tool; fails the test when the arguments do not fit its input schema. */
  public ToolResult call(String name, JsonObject arguments) {
    Tool tool = tool(name);
    OutputUnit input = validator(tool.inputSchema()).validate(arguments);
    if (!input.getValid()) {
      fail("arguments " + arguments.encode() + " do not fit the input schema of " + name + ": " + input.getErrors());
    }
    ToolResult result;
    try {
      result = tool.blockingHandler().call(ToolCall.of(name, arguments));
    } catch (ToolException e) {
      result = ToolResult.error(e.getMessage());
    } catch (Exception e) {
      throw new AssertionError("tool " + name + " threw " + e, e);
    }
    if (!result.isError() && tool.outputSchema() != null) {
      assertThat(result.structured()).as("structured content of " + name).isNotNull();
      OutputUnit output = validator(tool.outputSchema()).validate(result.structured());
      if (!output.getValid()) {
        fail("result of " + name + " " + result.structured().encode() + " does not fit its output schema: "
            + output.getErrors());
      }
    }
    return result;
  }

  /** Calls a tool that must succeed; returns its structured content. */
  public JsonObject ok(String name, JsonObject arguments) {
    ToolResult result = call(name, arguments);
    assertThat(result.isError()).as(name + " failed: " + result.firstText()).isFalse();
    return result.structured();
  }

  /** Calls a tool that must fail; returns its error message. */
  public String error(String name, JsonObject arguments) {
    ToolResult result = call(name, arguments);
    assertThat(result.isError()).as(name + " should have failed but returned " + result).isTrue();
    return result.firstText();
  }

  /** Whether these arguments pass the input schema (what the server checks before the call). */
  public boolean acceptsArguments(String name, JsonObject arguments) {
    return validator(tool(name).inputSchema()).validate(arguments).getValid();
  }

  static Validator validator(JsonObject schema) {
    return Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://agentnet.invalid/schema"));
  }
}
