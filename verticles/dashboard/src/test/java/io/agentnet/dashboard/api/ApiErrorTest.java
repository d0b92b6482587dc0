package io.agentnet.dashboard.api;

import io.agentnet.runtime.mcp.client.McpException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorTest {

  @Test
  void noHandlersIs503NamingTheService() {
    ApiError e = ApiError.from(new ReplyException(ReplyFailure.NO_HANDLERS, -1, "No handlers for address x"),
        "the orchestrator");
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.message()).isEqualTo("the orchestrator is not running (nothing serves it)");
  }

  @Test
  void aTimeoutIs504() {
    ApiError e = ApiError.from(new ReplyException(ReplyFailure.TIMEOUT, -1, "Timed out"), "MCP server proxmox");
    assertThat(e.status()).isEqualTo(504);
    assertThat(e.message()).isEqualTo("MCP server proxmox did not answer in time");
  }

  @Test
  void aRecipientFailureWithAnHttpCodeKeepsItAndItsMessage() {
    ApiError conflict = ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409,
        "workflow w1 has already finished: completed"), "the orchestrator");
    assertThat(conflict).isEqualTo(new ApiError(409, "workflow w1 has already finished: completed"));
    assertThat(ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no workflow x"), "o").status())
        .isEqualTo(404);
    assertThat(ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, "bad"), "o").status())
        .isEqualTo(400);
    assertThat(ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 599, "x"), "o").status())
        .isEqualTo(599);
  }

  @Test
  void aRecipientFailureWithoutAnHttpCodeIs502() {
    ApiError e = ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, -1, "boom"), "the orchestrator");
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.message()).isEqualTo("the orchestrator failed: boom");
    assertThat(ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 399, "x"), "o").status()).isEqualTo(502);
    assertThat(ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 600, "x"), "o").status()).isEqualTo(502);
  }

  @Test
  void mcpErrorsTheCallerCausedAre400() {
    for (int code : new int[] {-32602, -32600, -32601, -32700}) {
      ApiError e = ApiError.from(new McpException(code, "Unknown tool: nope"), "MCP server proxmox");
      assertThat(e.status()).as("code %d", code).isEqualTo(400);
      assertThat(e.message()).isEqualTo("Unknown tool: nope");
    }
  }

  @Test
  void otherMcpErrorsAre502() {
    assertThat(ApiError.from(new McpException(-32603, "Internal error"), "MCP server proxmox"))
        .isEqualTo(new ApiError(502, "Internal error"));
    assertThat(ApiError.from(new McpException(-32000, "server error"), "s").status()).isEqualTo(502);
    assertThat(ApiError.from(new McpException(0, "?"), "s").status()).isEqualTo(502);
  }

  @Test
  void anythingElseIs500NamingTheService() {
    ApiError e = ApiError.from(new IllegalStateException("broken"), "the orchestrator");
    assertThat(e).isEqualTo(new ApiError(500, "the orchestrator failed: broken"));
  }

  @Test
  void itsJsonIsErrorAndStatus() {
    assertThat(new ApiError(404, "no workflow x").toJson())
        .isEqualTo(new JsonObject().put("error", "no workflow x").put("status", 404));
  }
}
