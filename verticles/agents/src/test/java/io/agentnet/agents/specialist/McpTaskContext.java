package io.agentnet.agents.specialist;

import io.agentnet.runtime.mcp.client.McpClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TaskContext for tests, as the specialist's would behave: tools through {@link McpClient} on the
 * event bus, a tool error as a permanent SkillException with the tool's text, anything on the way
 * (timeout, no handler, a JSON-RPC error) as a retryable one. Records progress and tool calls.
 */
final class McpTaskContext implements TaskContext {

  private final McpClient client;
  private final JsonObject inputs;
  private final String stepId;
  final List<String> progress = new CopyOnWriteArrayList<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final AtomicBoolean cancelled = new AtomicBoolean();
  /** Cancel after this many tool calls (-1: never). */
  final AtomicInteger cancelAfterCalls = new AtomicInteger(-1);

  McpTaskContext(McpClient client, String stepId, JsonObject inputs) {
    this.client = client;
    this.stepId = stepId;
    this.inputs = inputs;
  }

  @Override
  public String taskId() {
    return workflowId() + "." + stepId + "." + attempt();
  }

  @Override
  public String workflowId() {
    return "wf-test";
  }

  @Override
  public String stepId() {
    return stepId;
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public JsonObject inputs() {
    return inputs.copy();
  }

  @Override
  public Future<JsonObject> callTool(String server, String tool, JsonObject arguments) {
    calls.add(server + "/" + tool + " " + arguments.encode());
    if (cancelAfterCalls.get() >= 0 && calls.size() >= cancelAfterCalls.get()) {
      cancelled.set(true);
    }
    return client.callTool(server, tool, arguments, Duration.ofSeconds(30))
        .recover(e -> Future.failedFuture(SkillException.retryable(server + "/" + tool + " could not be reached: "
            + e.getMessage())))
        .compose(result -> {
          if (Boolean.TRUE.equals(result.getBoolean("isError"))) {
            return Future.failedFuture(SkillException.permanent(McpClient.text(result)));
          }
          JsonObject structured = result.getJsonObject("structuredContent");
          return Future.succeededFuture(structured != null ? structured
              : new JsonObject().put("text", McpClient.text(result)));
        });
  }

  @Override
  public void progress(String message) {
    progress.add(message);
  }

  @Override
  public boolean cancelled() {
    return cancelled.get();
  }

  /** The tools called, without their arguments. */
  List<String> tools() {
    return calls.stream().map(c -> c.substring(0, c.indexOf(' '))).toList();
  }
}
