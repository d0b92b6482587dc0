package io.agentnet.agents.monitor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemediationsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");
  private final Remediations remediations = new Remediations(Duration.ofMinutes(10));

  @Test
  void oneWorkflowPerAlertUntilItEnds() {
    assertThat(remediations.mayStart("node_memory/pve1", T0)).isTrue();
    remediations.started("node_memory/pve1", "hc-1", T0);
    assertThat(remediations.mayStart("node_memory/pve1", T0.plusSeconds(60))).isFalse();
    assertThat(remediations.pending("node_memory/pve1", T0.plusSeconds(60)))
        .hasValueSatisfying(p -> assertThat(p.workflowId()).isEqualTo("hc-1"));
    assertThat(remediations.mayStart("node_cpu/pve1", T0)).as("another alert is independent").isTrue();

    assertThat(remediations.finished("someone-elses")).isEmpty();
    assertThat(remediations.mayStart("node_memory/pve1", T0.plusSeconds(61))).isFalse();
    assertThat(remediations.finished("hc-1")).contains("node_memory/pve1");
    assertThat(remediations.mayStart("node_memory/pve1", T0.plusSeconds(62))).isTrue();
    assertThat(remediations.finished("hc-1")).as("ended once").isEmpty();
  }

  @Test
  void theSafetyBoundFreesAnAlertWhoseWorkflowNeverEnded() {
    remediations.started("vm_stopped/100", "hc-2", T0);
    assertThat(remediations.mayStart("vm_stopped/100", T0.plus(Duration.ofMinutes(10)).minusMillis(1))).isFalse();
    assertThat(remediations.expire(T0.plus(Duration.ofMinutes(9)))).isEmpty();
    assertThat(remediations.mayStart("vm_stopped/100", T0.plus(Duration.ofMinutes(10)))).isTrue();
    assertThat(remediations.expire(T0.plus(Duration.ofMinutes(10)))).singleElement()
        .satisfies(p -> assertThat(p.workflowId()).isEqualTo("hc-2"));
    assertThat(remediations.finished("hc-2")).as("forgotten with its expiry").isEmpty();
  }

  @Test
  void anAbandonedSubmissionMayBeRetriedAndANewOneReplacesTheOld() {
    remediations.started("a/1", "hc-3", T0);
    remediations.abandon("a/1");
    assertThat(remediations.mayStart("a/1", T0)).isTrue();
    assertThat(remediations.finished("hc-3")).isEmpty();

    remediations.started("a/1", "hc-4", T0);
    remediations.started("a/1", "hc-5", T0);
    assertThat(remediations.finished("hc-4")).as("replaced").isEmpty();
    assertThat(remediations.finished("hc-5")).contains("a/1");
  }

  @Test
  void theBoundMustBePositive() {
    assertThatThrownBy(() -> new Remediations(Duration.ZERO)).hasMessageContaining("must be positive");
  }
}
