package io.agentnet.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Micrometer's "This Gauge has been already registered" warning for Vert.x's own gauges.
 *
 * <p>vertx-micrometer-metrics registers its gauges (vertx.eventbus.handlers first) again on every use and keeps
 * the value in a shared adder, which is how it means to work; Micrometer 1.14+ warns about the second
 * registration in every process. The same warning about one of our own meters would be a real bug, so it still
 * gets through.
 */
public final class VertxGaugeNoiseFilter extends TurboFilter {

  static final String MICROMETER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
  static final String WARNING = "This Gauge has been already registered (MeterId{name='vertx.";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // Micrometer formats the message itself, so the meter's id is in the text, not in params.
    boolean vertxGauge = format != null && format.startsWith(WARNING) && MICROMETER_REGISTRY.equals(logger.getName());
    return vertxGauge ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
