package io.agentnet.all;

import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.heartbeat.HeartbeatPublisher;
import io.agentnet.runtime.heartbeat.LoadReporter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Every verticle in one JVM. The bridge comes first (in local mode it only says so), then the
 * rest, which talk over the event bus alone and so work the same either way.
 */
public final class AllInOneVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AllInOneVerticle.class);

  private final AppConfig config;
  private String bridgeDeployment;
  private final Deque<String> workerDeployments = new ArrayDeque<>();

  public AllInOneVerticle(AppConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    BridgeOptions bridgeOptions = config.bridgeOptions();
    AgentIdentity identity = AgentIdentity.fromEnvironment(config.env(), "all-in-one", List.of());
    bridgeOptions.setConnectionName(identity.agentId());
    return vertx.deployVerticle(NatsBridge.create(bridgeOptions))
        .compose(id -> {
          bridgeDeployment = id;
          return vertx.deployVerticle(new HeartbeatPublisher(identity, config.heartbeatInterval(), LoadReporter.idle()));
        })
        .onSuccess(workerDeployments::push)
        .onSuccess(id -> LOG.info("agentnet all-in-one is running as {} ({} mode, config from {}); Ctrl+C stops it",
            identity.agentId(), bridgeOptions.isEnabled() ? "NATS" : "local", config.source()));
  }

  /**
   * Stops the verticles in reverse order of start, the bridge last, so what they send while
   * stopping (an offline heartbeat, handed-back work) still reaches NATS. Vert.x alone would
   * undeploy children all at once.
   */
  public Future<Void> shutdownInOrder() {
    if (workerDeployments.isEmpty()) {
      return bridgeDeployment == null ? Future.succeededFuture() : undeployBridge();
    }
    return vertx.undeploy(workerDeployments.pop()).compose(v -> shutdownInOrder());
  }

  private Future<Void> undeployBridge() {
    String id = bridgeDeployment;
    bridgeDeployment = null;
    return vertx.undeploy(id);
  }
}
