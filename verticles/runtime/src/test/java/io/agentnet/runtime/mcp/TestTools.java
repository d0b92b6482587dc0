package io.agentnet.runtime.mcp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A small tool set that exercises every path of the protocol layer. */
final class TestTools implements ToolProvider {

  private final Vertx vertx;

  TestTools(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public String serverName() {
    return "test";
  }

  @Override
  public String instructions() {
    return "Tools for testing the MCP protocol layer.";
  }

  @Override
  public List<Tool> tools() {
    return List.of(
        Tool.builder("add").title("Add").description("Adds two integers.")
            .input(Schemas.object().required("a", Schemas.integer("first")).required("b", Schemas.integer("second")).build())
            .output(Schemas.object().required("sum", Schemas.integer("a + b")).build())
            .annotations(ToolAnnotations.readOnly(false))
            .handler(call -> Future.succeededFuture(ToolResult.structured(
                new JsonObject().put("sum", call.longValue("a") + call.longValue("b")))))
            .build(),
        Tool.builder("echo").description("Returns the text it is given, from a worker thread.")
            .input(Schemas.object().required("text", Schemas.string("what to echo")).build())
            .annotations(ToolAnnotations.readOnly(false))
            .blocking(call -> ToolResult.text(call.string("text") + " from " + Thread.currentThread().getName()))
            .build(),
        Tool.builder("refuse").description("Always fails as a tool, with a message for people.")
            .annotations(ToolAnnotations.readOnly(false))
            .blocking(call -> {
              throw new ToolException("bucket photos is not empty: delete its 3 objects first");
            })
            .build(),
        Tool.builder("crash").description("Throws an unexpected exception.")
            .annotations(ToolAnnotations.mutating(true, false, false))
            .handler(call -> {
              throw new IllegalStateException("wires crossed");
            })
            .build(),
        Tool.builder("countdown").description("Counts down with progress, one step per 10 ms.")
            .input(Schemas.object().required("steps", Schemas.integer("how many", 1, 100)).build())
            .output(Schemas.object().required("counted", Schemas.integer("steps done")).build())
            .annotations(ToolAnnotations.readOnly(false))
            .handler(call -> countdown(call, 0, call.integer("steps")))
            .build(),
        Tool.builder("bad_output").description("Returns structure that breaks its own output schema.")
            .output(Schemas.object().required("n", Schemas.integer("a number")).build())
            .annotations(ToolAnnotations.readOnly(false))
            .handler(call -> Future.succeededFuture(ToolResult.structured(new JsonObject().put("n", "not a number"))))
            .build());
  }

  private Future<ToolResult> countdown(ToolCall call, int done, int steps) {
    if (done == steps) {
      return Future.succeededFuture(ToolResult.structured(new JsonObject().put("counted", steps)));
    }
    call.progress(done + 1, (double) steps, "step " + (done + 1));
    return vertx.timer(10).compose(v -> countdown(call, done + 1, steps));
  }
}
