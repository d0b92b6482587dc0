package io.agentnet.agents.workflow;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

  private static final RetryPolicy POLICY = RetryPolicy.DEFAULT; // 3, 500 ms, 10 s, x2, jitter 0.5

  @Test
  void growsByTheMultiplierUpToTheCap() {
    assertThat(millis(1, 0.0)).isEqualTo(500);
    assertThat(millis(2, 0.0)).isEqualTo(1000);
    assertThat(millis(3, 0.0)).isEqualTo(2000);
    assertThat(millis(5, 0.0)).isEqualTo(8000);
    assertThat(millis(6, 0.0)).isEqualTo(10_000);
    assertThat(millis(60, 0.0)).isEqualTo(10_000);
    assertThat(millis(Integer.MAX_VALUE, 0.0)).isEqualTo(10_000);
  }

  @Test
  void jitterOnlyShortensAndStaysWithinItsShare() {
    assertThat(millis(2, 0.999_999)).isEqualTo(500); // 1000 less just under half
    assertThat(millis(2, 0.5)).isEqualTo(750);
    assertThat(millis(60, 1.0)).isEqualTo(5000);
    for (int attempt = 1; attempt <= 10; attempt++) {
      long full = millis(attempt, 0.0);
      for (double r = 0.0; r < 1.0; r += 0.05) {
        assertThat(millis(attempt, r)).isBetween(Math.round(full * 0.5), full);
      }
    }
    RetryPolicy steady = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(100), 1.0, 0.0);
    assertThat(steady.backoff(3, () -> 0.9)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void retriesUntilMaxAttempts() {
    assertThat(POLICY.canRetry(1)).isTrue();
    assertThat(POLICY.canRetry(2)).isTrue();
    assertThat(POLICY.canRetry(3)).isFalse();
    assertThat(new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0).canRetry(1)).isFalse();
  }

  @Test
  void badNumbersAreNamed() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1, 0))
        .hasMessage("max_attempts must be >= 1 (1 = no retry), got 0");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofMillis(-1), Duration.ZERO, 1, 0))
        .hasMessage("initial_backoff_ms must be >= 0, got -1");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Double.NaN, 0))
        .hasMessage("multiplier must be >= 1.0, got NaN");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1, -0.1))
        .hasMessage("jitter must be between 0.0 and 1.0, got -0.1");
    assertThatThrownBy(() -> POLICY.backoff(0, () -> 0)).hasMessage("attempts count from 1, got 0");
  }

  private static long millis(int attempt, double random) {
    return POLICY.backoff(attempt, () -> random).toMillis();
  }
}
