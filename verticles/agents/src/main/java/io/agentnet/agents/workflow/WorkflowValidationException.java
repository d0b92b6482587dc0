package io.agentnet.agents.workflow;

import java.util.List;

/**
 * A workflow definition or a workflow request that does not fit. The message is the whole
 * user-facing text (every problem, each naming the file or parameter and step it is about);
 * {@link #problems()} has the same lines one by one.
 */
public class WorkflowValidationException extends RuntimeException {

  private final List<String> problems;

  public WorkflowValidationException(String message) {
    this(message, List.of(message));
  }

  private WorkflowValidationException(String message, List<String> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  /** Several problems found in one pass, as one exception whose message lists them joined by {@code separator}. */
  public static WorkflowValidationException of(List<String> problems, String separator) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems to report");
    }
    return new WorkflowValidationException(String.join(separator, problems), problems);
  }

  public List<String> problems() {
    return problems;
  }
}
