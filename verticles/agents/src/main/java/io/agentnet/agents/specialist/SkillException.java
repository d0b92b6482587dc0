package io.agentnet.agents.specialist;

/**
 * Why a skill failed, in words a person can act on, and whether trying again may help: a
 * retryable failure (a timeout, a VM not yet in the expected state) is retried under the step's
 * retry policy, a permanent one (bad input, a tool's refusal, a failed Proxmox task) fails the
 * step at once, and a cancellation ends it as cancelled.
 */
public final class SkillException extends RuntimeException {

  private final boolean retryable;
  private final boolean cancellation;

  private SkillException(String message, boolean retryable, boolean cancellation) {
    super(message, null, false, false);
    this.retryable = retryable;
    this.cancellation = cancellation;
  }

  /** Trying again will not help: the input, a refusal or a failed task must be looked at. */
  public static SkillException permanent(String message) {
    return new SkillException(message, false, false);
  }

  /** Trying again may help (a timeout, a transient failure, a state not reached yet). */
  public static SkillException retryable(String message) {
    return new SkillException(message, true, false);
  }

  /** The task was cancelled; the skill stopped between two tool calls. */
  public static SkillException cancelled() {
    return new SkillException("cancelled", false, true);
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean isCancellation() {
    return cancellation;
  }

  /** The same failure with {@code prefix} in front of its message (what the skill was doing). */
  public SkillException withContext(String prefix) {
    if (cancellation) {
      return this;
    }
    return new SkillException(prefix + ": " + getMessage(), retryable, false);
  }

  @Override
  public String toString() {
    return "SkillException{" + (cancellation ? "cancelled" : retryable ? "retryable" : "permanent") + ": "
        + getMessage() + "}";
  }
}
