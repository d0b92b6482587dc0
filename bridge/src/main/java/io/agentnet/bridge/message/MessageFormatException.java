package io.agentnet.bridge.message;

/**
 * A message body that does not follow the contract: not JSON, not an object, a required field
 * missing, a field of the wrong JSON type, or a value out of range. The message names the message
 * type, the field and what was wrong, e.g.
 * {@code WorkflowRequest.priority: expected an integer, got a string ("high")}.
 */
public final class MessageFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String type;
  private final String field;
  private final String problem;

  /**
   * @param type the message type, e.g. {@code "WorkflowRequest"}
   * @param field the dotted JSON path of the offending field, e.g. {@code "metrics.cpu"}, or null
   *     when the whole body is wrong
   * @param problem what was wrong, e.g. {@code "required field is missing"}
   */
  public MessageFormatException(String type, String field, String problem) {
    this(type, field, problem, null);
  }

  public MessageFormatException(String type, String field, String problem, Throwable cause) {
    super(type + (field == null ? "" : "." + field) + ": " + problem, cause);
    this.type = type;
    this.field = field;
    this.problem = problem;
  }

  /** The message type, e.g. {@code "Heartbeat"}. */
  public String type() {
    return type;
  }

  /** The dotted JSON path of the offending field ({@code "capabilities[2]"}), or null for the whole body. */
  public String field() {
    return field;
  }

  /** What was wrong, without the type and field prefix. */
  public String problem() {
    return problem;
  }
}
