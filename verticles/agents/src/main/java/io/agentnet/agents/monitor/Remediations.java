package io.agentnet.agents.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * At most one remediation workflow at a time per alert ({@link Alert#key}): a workflow is pending
 * from the moment it is submitted until an event says it ended (completed, failed, cancelled),
 * the submission definitely failed, or it is older than a safety bound (its end event may have
 * been lost, or the orchestrator lost it); only then may the same alert start another.
 *
 * <p>Plain Java, not thread-safe: the monitor uses it on its context.
 */
public final class Remediations {

  /** A workflow submitted for an alert. */
  public record Pending(String alertKey, String workflowId, Instant submittedAt) {
  }

  private final Duration maxAge;
  private final Map<String, Pending> byAlert = new HashMap<>();
  private final Map<String, String> alertByWorkflow = new HashMap<>();

  /** @param maxAge after this long without an end event a pending workflow no longer blocks a new one */
  public Remediations(Duration maxAge) {
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("the remediation safety bound must be positive, got " + maxAge);
    }
    this.maxAge = maxAge;
  }

  /** The workflow running for this alert, if any (one past the safety bound does not count). */
  public Optional<Pending> pending(String alertKey, Instant now) {
    Pending p = byAlert.get(alertKey);
    return p == null || expired(p, now) ? Optional.empty() : Optional.of(p);
  }

  /** Whether a new workflow may be submitted for this alert now. */
  public boolean mayStart(String alertKey, Instant now) {
    return pending(alertKey, now).isEmpty();
  }

  /** Records a workflow as submitted (before the orchestrator answers, so a second poll does not submit again). */
  public void started(String alertKey, String workflowId, Instant now) {
    Pending old = byAlert.put(alertKey, new Pending(alertKey, workflowId, now));
    if (old != null) {
      alertByWorkflow.remove(old.workflowId());
    }
    alertByWorkflow.put(workflowId, alertKey);
  }

  /** A workflow ended (its completed, failed or cancelled event); the alert it was for, if it is one of ours. */
  public Optional<String> finished(String workflowId) {
    String alertKey = alertByWorkflow.remove(workflowId);
    if (alertKey != null) {
      byAlert.remove(alertKey);
    }
    return Optional.ofNullable(alertKey);
  }

  /** The submission of this alert's workflow definitely failed (nobody took it): the next poll may try again. */
  public void abandon(String alertKey) {
    Pending p = byAlert.remove(alertKey);
    if (p != null) {
      alertByWorkflow.remove(p.workflowId());
    }
  }

  /** Removes and returns the pending workflows past the safety bound, so the caller can say so. */
  public List<Pending> expire(Instant now) {
    List<Pending> out = new ArrayList<>();
    for (Iterator<Pending> it = byAlert.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (expired(p, now)) {
        it.remove();
        alertByWorkflow.remove(p.workflowId());
        out.add(p);
      }
    }
    return out;
  }

  public Duration maxAge() {
    return maxAge;
  }

  private boolean expired(Pending p, Instant now) {
    return Duration.between(p.submittedAt(), now).compareTo(maxAge) >= 0;
  }
}
