package io.agentnet.agents.monitor;

import io.agentnet.runtime.events.Events;

import io.agentnet.agents.monitor.AlertRules.Evaluation;
import io.agentnet.agents.monitor.Remediations.Pending;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.message.Event;
import io.agentnet.bridge.message.WorkflowRequest;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.health.ProcessHealth;
import io.agentnet.runtime.heartbeat.HeartbeatPublisher;
import io.agentnet.runtime.heartbeat.LoadReporter;
import io.agentnet.runtime.mcp.client.McpClient;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.registry.AgentDirectory;
import io.agentnet.runtime.registry.AgentRegistry;
import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.agentnet.runtime.registry.DirectoryOptions;
import io.agentnet.runtime.store.KeyValueStore;
import io.agentnet.runtime.store.Buckets;
import io.agentnet.runtime.store.KeyValueStores;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The monitor: watches the network and raises alerts. It keeps the agent directory that announces
 * {@code agent.online|offline|draining}, and every metrics interval it pings each MCP server the
 * registry knows, reads nodes and VMs from the proxmox MCP server, and takes each agent's load
 * from the registry. Every sample goes out as a MetricReport on {@code ai.metrics.<monitor id>}
 * and through the {@link AlertRules}; a breach is an {@code alert.raised} event on {@code
 * ai.events.alert.<severity>}, a recovery {@code alert.resolved}, and a rule with a workflow
 * submits it to the orchestrator, at most one at a time per alert (see {@link Remediations}).
 */
public final class MonitorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);
  /** Where workflow requests go (the orchestrator's micro service endpoint). */
  public static final String SUBMIT_ADDRESS = "ai.orchestrator.submit";
  /** Priority of remediation workflows (1 is the highest): ahead of routine work. */
  public static final int REMEDIATION_PRIORITY = 2;
  private static final Set<String> WORKFLOW_ENDS = Set.of("workflow.completed", "workflow.failed", "workflow.cancelled");

  private final AgentIdentity identity;
  private final MonitorOptions options;
  private AlertRules rules;
  private Remediations remediations;
  private McpClient mcp;
  private Messenger messenger;
  private AgentDirectory directory;
  private MessageConsumer<Object> events;
  private DeliveryOptions metricsDelivery;
  private long timer = -1;
  private boolean collecting;
  /** MCP servers ever announced and not yet forgotten by the registry: one that went silent is still pinged (and down). */
  private final Set<String> knownMcpServers = new TreeSet<>();
  // Log-once flags: one line when a problem starts, one when it ends.
  private boolean proxmoxMissing;
  private boolean proxmoxFailing;
  private boolean submitFailing;

  public MonitorVerticle(AgentIdentity identity, MonitorOptions options) {
    this.identity = identity;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    rules = new AlertRules(options.getRules());
    remediations = new Remediations(options.getRemediationTimeout());
    mcp = McpClient.create(vertx);
    messenger = Messenger.create(vertx);
    metricsDelivery = new DeliveryOptions().addHeader(BusHeaders.SUBJECT, Addresses.metricsSubject(identity.agentId()));
    KeyValueStore registryStore = registryStore();
    events = vertx.eventBus().consumer(Addresses.EVENTS, this::onEvent);
    return events.completion()
        .compose(v -> AgentDirectory.start(vertx, new DirectoryOptions()
            .setHeartbeatInterval(options.getHeartbeatInterval())
            .setRegistryStore(registryStore)
            .setPublishEvents(true)
            .setSourceAgentId(identity.agentId())))
        .compose(d -> {
          directory = d;
          return vertx.deployVerticle(new HeartbeatPublisher(identity, options.getHeartbeatInterval(), LoadReporter.idle(),
              registryStore));
        })
        .onSuccess(id -> {
          timer = vertx.setPeriodic(options.getMetricsInterval().toMillis(), t -> collect());
          LOG.info("monitor {}: metrics every {} ms on {}, {} alert rules ({}), proxmox server \"{}\"", identity.agentId(),
              options.getMetricsInterval().toMillis(), Addresses.metricsSubject(identity.agentId()), rules.rules().size(),
              String.join(", ", rules.rules().stream().map(AlertRule::name).toList()), options.getProxmoxServer());
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    Future<Void> directoryClosed = directory == null ? Future.succeededFuture() : directory.close();
    // The directory may just have published this monitor's own goodbye as an event; its delivery to the events
    // consumer is already queued on this context, so unregister in a task queued after it (or Vert.x warns that
    // it discarded a message).
    Promise<Void> eventsClosed = Promise.promise();
    context.runOnContext(v -> events.unregister().onComplete(eventsClosed));
    return Future.join(directoryClosed, eventsClosed.future());
  }

  /** The registry bucket: JetStream KV in NATS mode, the process-wide map otherwise. */
  private KeyValueStore registryStore() {
    return KeyValueStores.open(vertx, Buckets.REGISTRY);
  }

  /** The live view of agents (for tests and for whoever hosts the monitor). */
  public AgentRegistry registry() {
    return directory.registry();
  }

  // ---- one round of collection ----------------------------------------------------------------

  private void collect() {
    if (collecting) {
      LOG.debug("the previous metrics round is still running (tool timeout {} ms); this one is skipped",
          options.getToolTimeout().toMillis());
      return;
    }
    collecting = true;
    for (Pending p : remediations.expire(Instant.now())) {
      LOG.warn("workflow {} for alert {} has not ended after {} s (no end event); another may be submitted",
          p.workflowId(), p.alertKey(), remediations.maxAge().toSeconds());
    }
    Future<Void> pings = pingMcpServers();
    Future<Void> proxmox = collectProxmox();
    collectAgents();
    Future.join(pings, proxmox).onComplete(ar -> collecting = false);
  }

  private Future<Void> pingMcpServers() {
    AgentRegistry registry = directory.registry();
    knownMcpServers.addAll(registry.mcpServers().keySet());
    // A server stays known while the registry lists any agent announcing it (online or not).
    knownMcpServers.removeIf(server -> registry.agents().stream()
        .noneMatch(a -> a.capabilities().contains("mcp:" + server)));
    List<Future<Void>> pings = new ArrayList<>();
    for (String server : knownMcpServers) {
      long t0 = System.nanoTime();
      pings.add(mcp.ping(server, options.getToolTimeout()).transform(ar -> {
        double latencyMs = (System.nanoTime() - t0) / 1e6;
        if (ar.failed()) {
          LOG.debug("MCP server {} did not answer ping: {}", server, ar.cause().getMessage());
        }
        handle(Samples.mcp(server, ar.succeeded(), latencyMs));
        return Future.<Void>succeededFuture();
      }));
    }
    List<String> present = List.copyOf(knownMcpServers);
    return Future.join(pings).transform(ar -> {
      rules.retainTargets(Sample.MCP, present).forEach(this::resolved);
      return Future.succeededFuture();
    });
  }

  private Future<Void> collectProxmox() {
    String server = options.getProxmoxServer();
    if (!directory.registry().mcpServers().containsKey(server)) {
      if (!proxmoxMissing) {
        proxmoxMissing = true;
        LOG.info("no \"{}\" MCP server online: node and VM metrics are skipped until one announces itself", server);
      }
      return Future.succeededFuture();
    }
    if (proxmoxMissing) {
      proxmoxMissing = false;
      LOG.info("\"{}\" MCP server online: collecting node and VM metrics", server);
    }
    Future<JsonObject> nodes = mcp.callTool(server, "list_nodes", new JsonObject(), options.getToolTimeout());
    Future<JsonObject> vms = mcp.callTool(server, "list_vms", new JsonObject(), options.getToolTimeout());
    return Future.join(nodes, vms).transform(ar -> {
      String nodesProblem = take(nodes, "list_nodes", "nodes", Sample.NODE, Samples::nodes);
      String vmsProblem = take(vms, "list_vms", "vms", Sample.VM, Samples::vms);
      String problem = nodesProblem != null ? nodesProblem : vmsProblem;
      if (problem != null && !proxmoxFailing) {
        proxmoxFailing = true;
        LOG.warn("node and VM metrics from MCP server \"{}\" failed: {} (logged again when they work)", server, problem);
      } else if (problem == null && proxmoxFailing) {
        proxmoxFailing = false;
        LOG.info("node and VM metrics from MCP server \"{}\" work again", server);
      }
      return Future.succeededFuture();
    });
  }

  /** Publishes and evaluates the samples of one tool result; null when fine, else what went wrong. */
  private String take(AsyncResult<JsonObject> call, String tool, String field, String kind,
                      Function<JsonArray, List<Sample>> toSamples) {
    if (call.failed()) {
      return tool + ": " + call.cause().getMessage();
    }
    JsonObject result = call.result();
    if (result.getBoolean("isError", false)) {
      return tool + ": " + McpClient.text(result);
    }
    JsonObject structured = result.getJsonObject("structuredContent");
    JsonArray list = structured == null ? null : structured.getJsonArray(field);
    if (list == null) {
      return tool + ": the result has no structuredContent." + field + " list";
    }
    List<String> targets = new ArrayList<>();
    for (Sample sample : toSamples.apply(list)) {
      targets.add(sample.target());
      handle(sample);
    }
    // Only a successful listing may say a target is gone.
    rules.retainTargets(kind, targets).forEach(this::resolved);
    return null;
  }

  private void collectAgents() {
    List<String> ids = new ArrayList<>();
    for (AgentInfo agent : directory.registry().agents()) {
      ids.add(agent.agentId());
      handle(Samples.agent(agent));
    }
    rules.retainTargets(Sample.AGENT, ids).forEach(this::resolved);
  }

  // ---- samples, alerts and remediation --------------------------------------------------------

  private void handle(Sample sample) {
    Instant now = Instant.now();
    vertx.eventBus().publish(Addresses.METRICS, sample.toReport(identity.agentId(), now).toJson(), metricsDelivery);
    Evaluation evaluation = rules.evaluate(sample);
    evaluation.raised().forEach(alert -> raise(alert, false));
    for (Alert alert : evaluation.continuing()) {
      // Still breached: remediate again once the previous workflow ended.
      if (alert.rule().workflow() != null && remediations.mayStart(alert.key(), now)) {
        raise(alert, true);
      }
    }
    evaluation.resolved().forEach(this::resolved);
  }

  /** Publishes the alert, after submitting its workflow when the rule has one and none runs for it. */
  private void raise(Alert alert, boolean recurring) {
    String workflowType = alert.rule().workflow();
    Instant now = Instant.now();
    if (workflowType == null) {
      publishAlert(alert, null, false, null);
      return;
    }
    Optional<Pending> running = remediations.pending(alert.key(), now);
    if (running.isPresent()) {
      // Raised again (it had recovered) while its last remediation still runs: that one covers it.
      publishAlert(alert, running.get().workflowId(), recurring, null);
      return;
    }
    String workflowId = workflowId(workflowType);
    remediations.started(alert.key(), workflowId, now);
    WorkflowRequest request = new WorkflowRequest(workflowId, workflowType, parameters(alert), identity.agentId(),
        REMEDIATION_PRIORITY, WorkflowRequest.DEFAULT_TIMEOUT);
    messenger.<Object>request(SUBMIT_ADDRESS, request.toJson(), options.getSubmitTimeout()).onComplete(ar -> {
      if (ar.succeeded()) {
        String accepted = ar.result().body() instanceof JsonObject reply ? reply.getString("workflow_id", workflowId) : workflowId;
        if (!accepted.equals(workflowId)) {
          remediations.started(alert.key(), accepted, now);
        }
        if (submitFailing) {
          submitFailing = false;
          LOG.info("workflows are accepted on {} again", SUBMIT_ADDRESS);
        }
        LOG.info("alert {}: submitted {} workflow {}", alert.key(), workflowType, accepted);
        publishAlert(alert, accepted, recurring, null);
        return;
      }
      // No reply in time: the orchestrator may have it, so it stays pending (up to the safety bound) rather
      // than risk a second one. Any other failure means nobody took it: the next poll may try again.
      boolean mayHaveIt = ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT;
      if (!mayHaveIt) {
        remediations.abandon(alert.key());
      }
      String problem = workflowType + " workflow " + workflowId + " not submitted on " + SUBMIT_ADDRESS + ": "
          + ar.cause().getMessage() + (mayHaveIt ? " (no answer; not resubmitted for " + remediations.maxAge().toSeconds()
          + " s unless it ends)" : " (tried again at the next poll while the alert holds)");
      if (!submitFailing) {
        submitFailing = true;
        LOG.warn("alert {}: {}; logged again when submissions work", alert.key(), problem);
      }
      if (!recurring) {
        // The alert itself is news; a repeated failed retry is not.
        publishAlert(alert, mayHaveIt ? workflowId : null, false, problem);
      }
    });
  }

  private void publishAlert(Alert alert, String workflowId, boolean recurring, String workflowError) {
    JsonObject data = alert.toJson(workflowId);
    if (recurring) {
      data.put("recurring", true);
    }
    if (workflowError != null) {
      data.put("workflow_error", workflowError);
    }
    publishEvent("alert.raised", alert, data);
    LOG.warn("alert {} ({}): {}{}", alert.key(), alert.severity().json(), alert.message(),
        workflowId == null ? "" : "; remediation " + workflowId);
  }

  private void resolved(Alert alert) {
    publishEvent("alert.resolved", alert, alert.toJson(null));
    LOG.info("alert {} resolved: {}", alert.key(), alert.message());
  }

  private void publishEvent(String type, Alert alert, JsonObject data) {
    ProcessHealth.meters().counter("agentnet.alerts", "rule", alert.rule().name(), "severity", alert.severity().json(),
        "event", type).increment();
    Events.publish(vertx, "alert", alert.severity().json(), Event.of(type, identity.agentId(), data));
  }

  /** {@code ai.events.alert.<severity>}. */
  public static String alertSubject(AlertRule.Severity severity) {
    return Events.subject("alert", severity.json());
  }

  /** The parameters of a remediation workflow: the node and VMID concerned, and the alert. */
  static JsonObject parameters(Alert alert) {
    JsonObject params = new JsonObject();
    String node = alert.kind().equals(Sample.NODE) ? alert.target() : alert.tags().get("node");
    if (node != null) {
      params.put("node", node);
    }
    if (alert.kind().equals(Sample.VM)) {
      try {
        params.put("vmid", Long.parseLong(alert.target()));
      } catch (NumberFormatException e) {
        params.put("vmid", alert.target());
      }
    }
    return params.put("alert", alert.toJson(null));
  }

  /** {@code hc-<12 hex>} for health_check: the workflow type's initials and a short random part. */
  static String workflowId(String workflowType) {
    StringBuilder prefix = new StringBuilder();
    for (String word : workflowType.split("[^A-Za-z0-9]+")) {
      if (!word.isEmpty()) {
        prefix.append(Character.toLowerCase(word.charAt(0)));
      }
    }
    String random = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return (prefix.length() == 0 ? "wf" : prefix.toString()) + "-" + random;
  }

  // ---- workflow events ------------------------------------------------------------------------

  private void onEvent(Message<Object> message) {
    if (!(message.body() instanceof JsonObject event) || !WORKFLOW_ENDS.contains(event.getValue("event_type"))) {
      return;
    }
    Object data = event.getValue("data");
    String workflowId = data instanceof JsonObject d && d.getValue("workflow_id") instanceof String id ? id : null;
    if (workflowId == null) {
      return;
    }
    remediations.finished(workflowId).ifPresent(alertKey -> LOG.info(
        "workflow {} for alert {} ended ({}); a new one is submitted if the alert still holds at a later poll",
        workflowId, alertKey, event.getString("event_type").substring("workflow.".length()).toLowerCase(Locale.ROOT)));
  }
}
