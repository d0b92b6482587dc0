package io.agentnet.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives Micrometer itself into its warning, so a change in its wording shows up here. */
class VertxGaugeNoiseFilterTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger micrometer = context.getLogger(VertxGaugeNoiseFilter.MICROMETER_REGISTRY);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final VertxGaugeNoiseFilter filter = new VertxGaugeNoiseFilter();

  private Level levelBefore;

  @BeforeEach
  void listen() {
    // Micrometer warns once per JVM, then logs the same at DEBUG: listen at DEBUG so test order does not matter.
    levelBefore = micrometer.getLevel();
    micrometer.setLevel(Level.DEBUG);
    logged.start();
    micrometer.addAppender(logged);
    filter.start();
    context.addTurboFilter(filter);
  }

  @AfterEach
  void stopListening() {
    context.getTurboFilterList().remove(filter);
    micrometer.detachAppender(logged);
    micrometer.setLevel(levelBefore);
  }

  @Test
  void vertxGaugesRegisteredTwiceAreNotWarnedAbout() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong handlers = new AtomicLong();
    Gauge.builder("vertx.eventbus.handlers", handlers, AtomicLong::get).register(registry);
    Gauge.builder("vertx.eventbus.handlers", handlers, AtomicLong::get).register(registry);
    assertThat(logged.list).isEmpty();
  }

  @Test
  void ourOwnGaugesRegisteredTwiceStillAre() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong active = new AtomicLong();
    Gauge.builder("agentnet.workflows.active", active, AtomicLong::get).register(registry);
    Gauge.builder("agentnet.workflows.active", active, AtomicLong::get).register(registry);
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains("already registered").contains("agentnet.workflows.active"));
  }
}
