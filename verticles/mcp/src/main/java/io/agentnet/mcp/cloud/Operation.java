package io.agentnet.mcp.cloud;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * What a mutating call did or is doing, as get_operation reports it: {@code running} until it
 * finishes, then {@code succeeded} with a result or {@code failed} with an error. Immutable: the
 * tracker replaces it when the state changes.
 *
 * @param kind the tool that started it (create_bucket, scale_deployment...)
 * @param target what it acts on: a bucket, bucket/key or namespace/deployment
 * @param finishedAt null while running
 * @param result what the call produced once succeeded, else null
 * @param error why it failed, else null
 */
public record Operation(String id, String kind, String target, Status status, Instant startedAt,
                        Instant finishedAt, JsonObject result, String error) {

  /** Where an operation stands. */
  public enum Status {
    RUNNING, SUCCEEDED, FAILED;

    public String wireName() {
      return name().toLowerCase();
    }
  }

  public boolean finished() {
    return status != Status.RUNNING;
  }

  Operation succeeded(Instant at, JsonObject value) {
    return new Operation(id, kind, target, Status.SUCCEEDED, startedAt, at, value, null);
  }

  Operation failed(Instant at, String message) {
    return new Operation(id, kind, target, Status.FAILED, startedAt, at, null, message);
  }

  /** The operation in the tools' snake_case shape. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("operation_id", id)
        .put("kind", kind)
        .put("target", target)
        .put("status", status.wireName())
        .put("started_at", startedAt.toString());
    if (finishedAt != null) {
      json.put("finished_at", finishedAt.toString());
    }
    if (result != null) {
      json.put("result", result.copy());
    }
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }
}
