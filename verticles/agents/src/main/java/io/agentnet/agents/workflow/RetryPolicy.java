package io.agentnet.agents.workflow;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often a step is tried and how long to wait between tries: exponential backoff, capped,
 * with jitter. {@code maxAttempts} counts every try (1 = never retried).
 *
 * <p>Jitter takes a random share of up to {@code jitter} off the delay: with jitter 0.5 the wait
 * after a failure is between half and all of the exponential delay. It only ever shortens, so
 * {@code maxBackoff} is a true maximum, and retries that have reached the cap stay spread out
 * instead of all landing on the cap together.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofMillis(500), Duration.ofMillis(10_000), 2.0, 0.5);

  /** @throws IllegalArgumentException naming the number that is out of range */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max_attempts must be >= 1 (1 = no retry), got " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initial_backoff_ms must be >= 0, got " + millis(initialBackoff));
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("max_backoff_ms must be >= initial_backoff_ms (" + initialBackoff.toMillis()
          + "), got " + millis(maxBackoff));
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1.0, got " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0.0 and 1.0, got " + jitter);
    }
  }

  private static String millis(Duration d) {
    return d == null ? "nothing" : String.valueOf(d.toMillis());
  }

  /** True when a step whose attempt number {@code attemptJustFailed} (1-based) failed may be tried again. */
  public boolean canRetry(int attemptJustFailed) {
    return attemptJustFailed < maxAttempts;
  }

  /**
   * The wait before the next try after attempt {@code attemptJustFailed} (1-based) failed:
   * {@code initialBackoff * multiplier^(attempt-1)}, capped at {@code maxBackoff}, minus a random
   * share of up to {@code jitter} of it.
   *
   * @param random values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}; fixed in tests
   */
  public Duration backoff(int attemptJustFailed, DoubleSupplier random) {
    if (attemptJustFailed < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attemptJustFailed);
    }
    double cap = maxBackoff.toMillis();
    // Math.pow overflows to infinity for long runs; min() keeps that at the cap.
    double exponential = Math.min(cap, initialBackoff.toMillis() * Math.pow(multiplier, attemptJustFailed - 1));
    double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
    return Duration.ofMillis(Math.round(exponential * (1.0 - jitter * r)));
  }

  /** The wire form, as in a definition's {@code retry} object. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("max_attempts", maxAttempts)
        .put("initial_backoff_ms", initialBackoff.toMillis())
        .put("max_backoff_ms", maxBackoff.toMillis())
        .put("multiplier", multiplier)
        .put("jitter", jitter);
  }
}
