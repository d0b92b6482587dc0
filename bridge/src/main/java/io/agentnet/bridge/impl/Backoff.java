package io.agentnet.bridge.impl;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff: {@code base * 2^(attempt-1)}, capped at {@code max}, with optional jitter
 * that spreads retries of many clients over the upper half of the delay.
 */
public record Backoff(Duration base, Duration max, boolean jitter) {

  public Duration delay(long attempt) {
    long baseMs = Math.max(1, base.toMillis());
    int shift = (int) Math.min(Math.max(0, attempt - 1), 30);
    long ms = Math.min(max.toMillis(), baseMs << shift);
    if (jitter && ms > 1) {
      ms = ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
    }
    return Duration.ofMillis(ms);
  }
}
