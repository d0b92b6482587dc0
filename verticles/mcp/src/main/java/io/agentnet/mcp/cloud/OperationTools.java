package io.agentnet.mcp.cloud;

import io.agentnet.runtime.mcp.Schemas;
import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolAnnotations;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.json.JsonObject;

/** get_operation, and the schema every mutating tool's result shares. */
final class OperationTools {

  /** The structured result of a mutating tool and of get_operation. */
  static final JsonObject OPERATION_SCHEMA = Schemas.object()
      .required("operation_id", Schemas.string("Id to pass to get_operation"))
      .required("kind", Schemas.string("The tool that started the operation"))
      .required("target", Schemas.string("What it acts on: bucket, bucket/key or namespace/deployment"))
      .required("status", Schemas.enumOf("running until finished", "running", "succeeded", "failed"))
      .required("started_at", Schemas.string("ISO-8601 instant"))
      .optional("finished_at", Schemas.string("ISO-8601 instant, once finished"))
      .optional("result", Schemas.anyObject("What the operation produced, once succeeded"))
      .optional("error", Schemas.string("Why it failed"))
      .additionalProperties(true)
      .build();

  private OperationTools() {
  }

  static Tool getOperation(OperationTracker tracker) {
    return Tool.builder("get_operation")
        .title("Get operation")
        .description("Returns the status of an operation started by a mutating tool (running, succeeded or "
            + "failed, with its result or error); poll it until the status is no longer running.")
        .input(Schemas.object()
            .required("operation_id", Schemas.string("The operation_id a mutating tool returned"))
            .build())
        .output(OPERATION_SCHEMA)
        .annotations(ToolAnnotations.readOnly(false))
        // Blocking: polling a running operation may ask the cluster how far it got.
        .blocking(call -> result(tracker.get(call.string("operation_id"))))
        .build();
  }

  static ToolResult result(Operation op) {
    JsonObject json = op.toJson();
    return ToolResult.structured(json);
  }
}
