package io.agentnet.agents.orchestrator;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One vertx-circuit-breaker per specialist and per MCP server, fed with the outcomes the
 * orchestrator sees (hand-outs, deadlines, tasks failing because a server was unreachable). An
 * open circuit takes its agent or server out of scheduling; after the reset timeout it is half
 * open, the next hand-out tries it again, and its outcome closes or reopens it.
 */
final class Breakers {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Breakers.class);

  private final Vertx vertx;
  private final CircuitBreakerOptions options;
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();

  Breakers(Vertx vertx, int maxFailures, Duration resetTimeout) {
    this.vertx = vertx;
    this.options = new CircuitBreakerOptions().setMaxFailures(maxFailures).setResetTimeout(resetTimeout.toMillis())
        .setTimeout(-1).setFallbackOnFailure(false);
  }

  boolean open(String name) {
    CircuitBreaker b = breakers.get(name);
    return b != null && b.state() == CircuitBreakerState.OPEN;
  }

  void success(String name) {
    CircuitBreaker b = breakers.get(name);
    if (b != null && b.state() != CircuitBreakerState.CLOSED) {
      b.<Void>execute(p -> p.complete());
    }
  }

  void failure(String name, String reason) {
    breaker(name).<Void>execute(p -> p.fail(reason)).recover(e -> Future.succeededFuture());
  }

  private CircuitBreaker breaker(String name) {
    return breakers.computeIfAbsent(name, n -> {
      CircuitBreaker b = CircuitBreaker.create(n, vertx, options);
      b.openHandler(v -> LOG.warn("circuit for {} opened after {} failures: passed over for {} s",
          n, options.getMaxFailures(), options.getResetTimeout() / 1000));
      b.halfOpenHandler(v -> LOG.info("circuit for {} half open: trying it again", n));
      b.closeHandler(v -> LOG.info("circuit for {} closed", n));
      return b;
    });
  }

  void close() {
    breakers.values().forEach(CircuitBreaker::close);
  }
}
