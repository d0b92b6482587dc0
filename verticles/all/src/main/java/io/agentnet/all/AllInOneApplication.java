package io.agentnet.all;

import io.agentnet.bridge.config.Environment;
import io.agentnet.runtime.config.AppConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The all-in-one jar's entry point: reads the config before Vert.x starts (a bad config fails here,
 * with the key that is wrong), turns on Micrometer metrics with a Prometheus registry, and deploys
 * {@link AllInOneVerticle}. The Vert.x launcher closes Vert.x on SIGTERM, which stops every verticle.
 */
public final class AllInOneApplication implements VertxApplicationHooks {

  private final AppConfig config;
  private volatile AllInOneVerticle main;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private AllInOneApplication(AppConfig config) {
    this.config = config;
  }

  public static void main(String[] args) {
    AppConfig config = AppConfig.load(Environment.system());
    int code = new VertxApplication(args, new AllInOneApplication(config)).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    return VertxApplicationHooks.super.createVertxBuilder(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> {
      main = new AllInOneVerticle(config);
      return main;
    };
  }

  /** On SIGTERM, before Vert.x closes: stop in order (this runs on the shutdown thread, not an event loop). */
  @Override
  public void beforeStoppingVertx(HookContext context) {
    if (main != null) {
      LoggerFactory.getLogger(AllInOneApplication.class).info("agentnet stopping: verticles first, the bridge last");
      try {
        main.shutdownInOrder().await(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        LoggerFactory.getLogger(AllInOneApplication.class).warn("orderly shutdown did not finish: {}", e.toString());
      }
    }
  }
}
