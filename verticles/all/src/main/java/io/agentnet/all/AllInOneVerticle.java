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

import java.util.List;

/**
 * Every verticle in one JVM. The bridge comes first (in local mode it only says so), then the
 * rest, which talk over the event bus alone and so work the same either way.
 */
public final class AllInOneVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AllInOneVerticle.class);

  private final AppConfig config;

  public AllInOneVerticle(AppConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    BridgeOptions bridgeOptions = config.bridgeOptions();
    AgentIdentity identity = AgentIdentity.fromEnvironment(config.env(), "all-in-one", List.of());
    bridgeOptions.setConnectionName(identity.agentId());
    return vertx.deployVerticle(NatsBridge.create(bridgeOptions))
        .compose(id -> vertx.deployVerticle(new HeartbeatPublisher(identity, config.heartbeatInterval(),
            LoadReporter.idle())))
        .onSuccess(id -> LOG.info("agentnet all-in-one is running as {} ({} mode, config from {}); Ctrl+C stops it",
            identity.agentId(), bridgeOptions.isEnabled() ? "NATS" : "local", config.source()));
  }
}
