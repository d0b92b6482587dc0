package io.agentnet.runtime.launch;

import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.health.ProcessHealth;
import io.agentnet.runtime.messaging.Messenger;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One agentnet process: the bridge first (in local mode it only says so), with the micro services
 * of the roles it runs, then each role in order. The roles talk over the event bus alone, so they
 * work the same in one JVM or across many.
 */
public final class NodeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NodeVerticle.class);
  private static final String ANNOUNCEMENTS = "agentnet.announcements";

  private final AppConfig config;
  private final String processName;
  private final List<Role> roles;
  private String bridgeDeployment;
  private final Deque<String> roleDeployments = new ArrayDeque<>();

  public NodeVerticle(AppConfig config, String processName, List<Role> roles) {
    this.config = config;
    this.processName = processName;
    this.roles = List.copyOf(roles);
  }

  @Override
  public Future<?> start() {
    BridgeOptions bridgeOptions = config.bridgeOptions();
    roles.forEach(r -> r.services().forEach(bridgeOptions::addService));
    Messenger.setNatsMode(vertx, bridgeOptions.isEnabled());
    if (bridgeOptions.isEnabled()) {
      bridgeOptions.addRequest(Messenger.remoteMapping());
    }
    // Each role announces itself with its own heartbeat; the process needs a name on NATS only.
    String connectionName = config.env().get("AGENT_ID", AgentIdentity.randomId(processName));
    bridgeOptions.setConnectionName(connectionName);
    NatsBridge bridge = NatsBridge.create(bridgeOptions);
    ProcessHealth.of(vertx).register("bridge", bridge.healthCheck());
    Future<?> chain = vertx.deployVerticle(bridge).onSuccess(id -> bridgeDeployment = id);
    for (Role role : roles) {
      // Built on a worker: making a role's parts may read files or set up clients (the MCP servers' sandbox,
      // S3, Kubernetes), which must not hold this event loop. The failure is logged by the role that failed,
      // not by every role after it.
      chain = chain.compose(v -> vertx.executeBlocking(() -> role.verticle().get())
          .compose(verticle -> vertx.deployVerticle(verticle))
          .onSuccess(roleDeployments::push)
          .onFailure(e -> LOG.error("role {} did not start: {}", role.name(), e.getMessage())));
    }
    return chain.onSuccess(v -> {
      LOG.info("agentnet {} is running as {} with {} ({} mode, config from {}); Ctrl+C stops it",
          processName, connectionName, roles.stream().map(Role::name).toList(),
          bridgeOptions.isEnabled() ? "NATS" : "local", config.source());
      // what a person needs next (the dashboard's URL) comes last, where they look
      announcements(vertx).forEach(line -> LOG.info("{}", line));
    });
  }

  /** The lines announced so far, in order (e.g. the dashboard's URL, with the port it bound). */
  public static List<String> announcements(Vertx vertx) {
    var lines = vertx.sharedData().<Integer, String>getLocalMap(ANNOUNCEMENTS);
    synchronized (lines) {
      return lines.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }
  }

  /** A line to log once the process has started, after the "is running" line (e.g. the URL to open). */
  public static void announce(Vertx vertx, String line) {
    var lines = vertx.sharedData().<Integer, String>getLocalMap(ANNOUNCEMENTS);
    synchronized (lines) {
      lines.put(lines.size(), line);
    }
  }

  /**
   * Stops the roles in reverse order of start, the bridge last, so what they send while stopping
   * (an offline heartbeat, handed-back work) still reaches NATS. Vert.x alone would undeploy
   * children all at once.
   */
  public Future<Void> shutdownInOrder() {
    if (roleDeployments.isEmpty()) {
      return bridgeDeployment == null ? Future.succeededFuture() : undeployBridge();
    }
    return vertx.undeploy(roleDeployments.pop()).recover(e -> Future.succeededFuture()).compose(v -> shutdownInOrder());
  }

  private Future<Void> undeployBridge() {
    String id = bridgeDeployment;
    bridgeDeployment = null;
    return vertx.undeploy(id);
  }
}
