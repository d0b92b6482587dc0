package io.agentnet.bridge.message;

import java.util.Locale;

/** Where a workflow stands; JSON value is lowercase snake case, e.g. {@code "in_progress"}. */
public enum WorkflowStatus {
  PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED;

  /** The JSON value, e.g. {@code "in_progress"}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the workflow has finished, one way or another. */
  public boolean terminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /**
   * The status with this JSON value.
   *
   * @throws MessageFormatException naming the allowed values when there is none
   */
  public static WorkflowStatus fromJson(String value) {
    return JsonFields.parseEnum("WorkflowStatus", values(), WorkflowStatus::json, value);
  }
}
