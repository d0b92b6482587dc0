package io.agentnet.runtime.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The health checks and the meter registry of one process (one Vert.x instance), shared by its
 * roles: each registers its own procedure ({@code bridge}, {@code orchestrator/<id>}, ...), and the
 * dashboard serves them all on {@code /health}. Names are unique per process.
 */
public final class ProcessHealth {

  private static final Map<Vertx, HealthChecks> CHECKS = new WeakHashMap<>();

  private ProcessHealth() {
  }

  public static synchronized HealthChecks of(Vertx vertx) {
    return CHECKS.computeIfAbsent(vertx, HealthChecks::create);
  }

  /**
   * The registry Vert.x reports to (a Prometheus one in the jars); the global one when Vert.x
   * has no metrics (unit tests), so meters can always be registered.
   */
  public static MeterRegistry meters() {
    MeterRegistry vertxDefault = BackendRegistries.getDefaultNow();
    return vertxDefault != null ? vertxDefault : Metrics.globalRegistry;
  }
}
