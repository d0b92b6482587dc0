package io.agentnet.runtime.launch;

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

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The entry point every agentnet jar shares: the config is read before Vert.x starts (a bad config
 * fails here, naming the key), Micrometer metrics go to a Prometheus registry, and a
 * {@link NodeVerticle} runs the roles. The Vert.x launcher closes Vert.x on SIGTERM; before that,
 * the roles stop in order and the bridge last.
 */
public final class NodeApplication implements VertxApplicationHooks {

  private final AppConfig config;
  private final String processName;
  private final List<Role> roles;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile NodeVerticle main;

  public NodeApplication(AppConfig config, String processName, List<Role> roles) {
    this.config = config;
    this.processName = processName;
    this.roles = roles;
  }

  /** Runs until SIGTERM; exits the JVM with the launcher's code when it fails to start. */
  public static void launch(String processName, AppConfig config, List<Role> roles) {
    int code = new VertxApplication(new String[0], new NodeApplication(config, processName, roles)).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  public static AppConfig loadConfig() {
    return AppConfig.load(Environment.system());
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    return VertxApplicationHooks.super.createVertxBuilder(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> {
      main = new NodeVerticle(config, processName, roles);
      return main;
    };
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    if (main != null) {
      LoggerFactory.getLogger(NodeApplication.class).info("agentnet stopping: roles first, the bridge last");
      try {
        // specialists drain first (20 s by default): leave them the time
        main.shutdownInOrder().await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LoggerFactory.getLogger(NodeApplication.class).warn("orderly shutdown did not finish: {}", e.toString());
      }
    }
  }
}
