package io.agentnet.agents.monitor;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Event;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.bridge.message.MetricReport;
import io.agentnet.bridge.message.WorkflowRequest;
import io.agentnet.mcp.proxmox.ProxmoxToolProvider;
import io.agentnet.mcp.proxmox.simulator.ProxmoxSimulator;
import io.agentnet.mcp.proxmox.simulator.SimulatedCluster;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpServerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.threadchecker.BlockedThreadChecker;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor against the Proxmox VE simulator behind the real proxmox MCP server, on the local
 * event bus, with a test double of the orchestrator's submit endpoint that records requests.
 */
class MonitorVerticleTest {

  private static final long GIB = 1024L * 1024 * 1024;
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  private static final Duration METRICS = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(10);

  record Heard(Event event, String subject) {
    JsonObject data() {
      return event.data();
    }
  }

  record Metric(MetricReport report, String subject) {
  }

  private Vertx vertx;
  private ListAppender<ILoggingEvent> blockedThreads;
  private ListAppender<ILoggingEvent> monitorLog;
  private SimulatedCluster cluster;
  private String mcpDeployment;
  private MonitorVerticle monitor;
  private MessageConsumer<JsonObject> orchestrator;
  private final List<Heard> events = new CopyOnWriteArrayList<>();
  private final List<Metric> metrics = new CopyOnWriteArrayList<>();
  private final List<WorkflowRequest> submitted = new CopyOnWriteArrayList<>();

  /**
   * One throwaway run of the whole set-up up to a raised alert, so the classes are loaded before the
   * blocked-thread checker watches: on a machine shared by several builds, first-use class loading
   * (Jackson, Netty's headers, the MCP schema validator) takes hundreds of ms on whichever event
   * loop comes first, which is not what the check is about.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    Vertx warm = Vertx.vertx();
    try {
      CompletableFuture<Void> alerted = new CompletableFuture<>();
      warm.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
        if (Event.fromJson(m.body()).eventType().equals("alert.raised")) {
          alerted.complete(null);
        }
      }).completion().await(5, TimeUnit.SECONDS);
      warm.eventBus().<JsonObject>consumer(MonitorVerticle.SUBMIT_ADDRESS, m -> m.reply(new JsonObject()
          .put("workflow_id", WorkflowRequest.fromJson(m.body()).workflowId()).put("status", "pending")));
      ProxmoxSimulator simulator = ProxmoxSimulator.start(warm, new SimulatorOptions()).await(20, TimeUnit.SECONDS);
      simulator.cluster().setNodeUsage("pve1", 0.5, 62 * GIB);
      warm.deployVerticle(new McpServerVerticle(new ProxmoxToolProvider(simulator.clientOptions()), new McpServerOptions(),
          "mcp-warm-up", HEARTBEAT)).await(10, TimeUnit.SECONDS);
      warm.deployVerticle(new MonitorVerticle(new AgentIdentity("monitor-warm-up", "monitor", List.of()),
          new MonitorOptions().setMetricsInterval(METRICS).setHeartbeatInterval(HEARTBEAT))).await(10, TimeUnit.SECONDS);
      alerted.get(20, TimeUnit.SECONDS);
    } finally {
      warm.close().await(10, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void start() throws Exception {
    // An event loop held for over a second is reported, with its stack, and fails the test. Nothing here blocks
    // for less than a timeout of seconds; 200 ms tripped on a loop idle in epoll that the OS had descheduled.
    vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(1).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
    monitorLog = attach(MonitorVerticle.class.getName());
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m ->
        events.add(new Heard(Event.fromJson(m.body()), m.headers().get(BusHeaders.SUBJECT)))).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<JsonObject>consumer(Addresses.METRICS, m ->
        metrics.add(new Metric(MetricReport.fromJson(m.body()), m.headers().get(BusHeaders.SUBJECT)))).completion().await(5, TimeUnit.SECONDS);
    startOrchestrator();

    ProxmoxSimulator simulator = ProxmoxSimulator.start(vertx, new SimulatorOptions().taskDurationMs(200)).await(20, TimeUnit.SECONDS);
    cluster = simulator.cluster();
    mcpDeployment = vertx.deployVerticle(new McpServerVerticle(new ProxmoxToolProvider(simulator.clientOptions()),
        new McpServerOptions(), "mcp-proxmox-1", HEARTBEAT)).await(10, TimeUnit.SECONDS);

    MonitorOptions options = new MonitorOptions().setMetricsInterval(METRICS).setHeartbeatInterval(HEARTBEAT)
        .setToolTimeout(Duration.ofSeconds(5)).setSubmitTimeout(Duration.ofSeconds(2));
    monitor = new MonitorVerticle(new AgentIdentity("monitor-1", "monitor", List.of("monitoring")), options);
    blockedThreads = attach(BlockedThreadChecker.LOGGER_NAME);
    vertx.deployVerticle(monitor).await(10, TimeUnit.SECONDS);
  }

  /** The orchestrator's submit endpoint, as a test double: records the request, answers pending. */
  private void startOrchestrator() throws Exception {
    orchestrator = vertx.eventBus().consumer(MonitorVerticle.SUBMIT_ADDRESS, m -> {
      WorkflowRequest request = WorkflowRequest.fromJson(m.body());
      submitted.add(request);
      m.reply(new JsonObject().put("workflow_id", request.workflowId()).put("status", "pending"));
    });
    orchestrator.completion().await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    if (blockedThreads == null) {
      return;
    }
    detach(BlockedThreadChecker.LOGGER_NAME, blockedThreads);
    detach(MonitorVerticle.class.getName(), monitorLog);
    assertThat(blockedThreads.list).as("event loop blocked").isEmpty();
  }

  private static ListAppender<ILoggingEvent> attach(String logger) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(logger)).addAppender(appender);
    return appender;
  }

  private static void detach(String logger, ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(logger)).detachAppender(appender);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private Heard awaitEvent(String what, Predicate<Heard> match) throws InterruptedException {
    return awaitEvent(what, 0, match);
  }

  /** The first matching event among those heard from index {@code from} on. */
  private Heard awaitEvent(String what, int from, Predicate<Heard> match) throws InterruptedException {
    await(() -> events.stream().skip(from).anyMatch(match), what);
    return events.stream().skip(from).filter(match).findFirst().orElseThrow();
  }

  private static Predicate<Heard> alert(String type, String rule, String target) {
    return h -> h.event().eventType().equals(type) && rule.equals(h.data().getString("rule"))
        && target.equals(h.data().getString("target"));
  }

  private List<MetricReport> reports(String kind, String tag, String value) {
    return metrics.stream().map(Metric::report)
        .filter(r -> kind.equals(r.tags().get("kind")) && value.equals(r.tags().get(tag))).toList();
  }

  private MetricReport awaitReport(String what, String kind, String tag, String value, Predicate<MetricReport> match)
      throws InterruptedException {
    await(() -> reports(kind, tag, value).stream().anyMatch(match), what);
    return reports(kind, tag, value).stream().filter(match).findFirst().orElseThrow();
  }

  private void publishEvent(String type, JsonObject data, String subject) {
    vertx.eventBus().publish(Addresses.EVENTS, Event.of(type, "orchestrator-1", data).toJson(),
        new DeliveryOptions().addHeader(BusHeaders.SUBJECT, subject));
  }

  @Test
  void publishesMetricsPerNodeVmMcpServerAndAgent() throws Exception {
    for (String node : List.of("pve1", "pve2", "pve3")) {
      awaitReport("node " + node, "node", "node", node, r -> true);
    }
    for (String vmid : List.of("100", "101", "102")) {
      awaitReport("vm " + vmid, "vm", "vmid", vmid, r -> true);
    }
    awaitReport("the proxmox server's ping", "mcp", "server", "proxmox", r -> true);
    awaitReport("the MCP server as an agent", "agent", "agent_id", "mcp-proxmox-1", r -> true);
    awaitReport("the monitor itself", "agent", "agent_id", "monitor-1", r -> true);

    MetricReport pve1 = reports("node", "node", "pve1").get(0);
    assertThat(pve1.agentId()).isEqualTo("monitor-1");
    assertThat(pve1.metrics()).containsKeys("cpu_pct", "memory_used_pct", "disk_used_pct").containsEntry("online", 1.0);
    assertThat(pve1.metrics().get("memory_used_pct")).as("2 GiB base and web-01's 2 GiB of 64 GiB").isEqualTo(6.25);
    MetricReport web = reports("vm", "vmid", "100").get(0);
    assertThat(web.tags()).containsEntry("node", "pve1").containsEntry("name", "web-01");
    assertThat(web.metrics()).containsEntry("running", 1.0).containsKeys("cpu_pct", "memory_used_pct");
    assertThat(reports("vm", "vmid", "101").get(0).metrics()).containsEntry("running", 0.0);
    assertThat(reports("vm", "vmid", "9000")).as("templates never run").isEmpty();
    MetricReport ping = reports("mcp", "server", "proxmox").get(0);
    assertThat(ping.metrics()).containsEntry("up", 1.0).containsKey("latency_ms");
    MetricReport agent = reports("agent", "agent_id", "mcp-proxmox-1").get(0);
    assertThat(agent.tags()).containsEntry("agent_type", "mcp-server");
    assertThat(agent.metrics()).containsEntry("online", 1.0).containsEntry("load", 0.0);
    assertThat(metrics).allSatisfy(m -> assertThat(m.subject()).isEqualTo("ai.metrics.monitor-1"));
    assertThat(events).as("a calm cluster raises nothing").noneMatch(h -> h.event().eventType().startsWith("alert."));
  }

  @Test
  void aHotNodeRaisesACriticalAlertAndExactlyOneHealthCheckUntilItEnds() throws Exception {
    awaitReport("pve1 measured", "node", "node", "pve1", r -> true);
    cluster.setNodeUsage("pve1", 0.5, 62 * GIB);

    Heard raised = awaitEvent("node_memory alert", alert("alert.raised", "node_memory", "pve1"));
    assertThat(raised.subject()).isEqualTo("ai.events.alert.critical");
    assertThat(raised.event().source()).isEqualTo("monitor-1");
    JsonObject data = raised.data();
    assertThat(data.getString("severity")).isEqualTo("critical");
    assertThat(data.getString("kind")).isEqualTo("node");
    assertThat(data.getString("metric")).isEqualTo("memory_used_pct");
    assertThat(data.getDouble("value")).isGreaterThan(90.0);
    assertThat(data.getDouble("threshold")).isEqualTo(90.0);
    assertThat(data.getString("message")).contains("pve1").contains("memory_used_pct").contains("above 90");

    assertThat(submitted).hasSize(1);
    WorkflowRequest request = submitted.get(0);
    assertThat(request.workflowId()).matches("hc-[0-9a-f]{12}").isEqualTo(data.getString("workflow_id"));
    assertThat(request.workflowType()).isEqualTo("health_check");
    assertThat(request.requesterId()).isEqualTo("monitor-1");
    assertThat(request.priority()).isEqualTo(2);
    assertThat(request.parameters().getString("node")).isEqualTo("pve1");
    assertThat(request.parameters().getJsonObject("alert").getString("rule")).isEqualTo("node_memory");

    // Several more polls of the still hot node: no second workflow while the first runs.
    int seen = reports("node", "node", "pve1").size();
    await(() -> reports("node", "node", "pve1").size() >= seen + 4, "four more polls of pve1");
    assertThat(submitted).hasSize(1);
    assertThat(events).filteredOn(alert("alert.raised", "node_memory", "pve1")).as("raised once while it holds").hasSize(1);
    // Another orchestrator's workflow ending changes nothing.
    publishEvent("workflow.completed", new JsonObject().put("workflow_id", "someone-else"), "ai.events.workflow.someone-else");
    int seenAgain = reports("node", "node", "pve1").size();
    await(() -> reports("node", "node", "pve1").size() >= seenAgain + 2, "two more polls of pve1");
    assertThat(submitted).hasSize(1);

    publishEvent("workflow.completed", new JsonObject().put("workflow_id", request.workflowId()),
        "ai.events.workflow." + request.workflowId());
    await(() -> submitted.size() == 2, "a new health_check once the first completed and the node is still hot");
    WorkflowRequest second = submitted.get(1);
    assertThat(second.workflowId()).isNotEqualTo(request.workflowId());
    Heard again = awaitEvent("the alert raised again with the new workflow",
        alert("alert.raised", "node_memory", "pve1").and(h -> second.workflowId().equals(h.data().getString("workflow_id"))));
    assertThat(again.data().getBoolean("recurring")).isTrue();

    cluster.setNodeUsage("pve1", 0.05, 4 * GIB);
    Heard resolved = awaitEvent("node_memory resolved", alert("alert.resolved", "node_memory", "pve1"));
    assertThat(resolved.subject()).isEqualTo("ai.events.alert.critical");
    assertThat(resolved.data().getDouble("value")).isLessThan(90.0);
    assertThat(submitted).hasSize(2);
  }

  @Test
  void aVmThatStopsRaisesAWarningWithItsNodeAndVmid() throws Exception {
    awaitReport("web-01 running", "vm", "vmid", "100", r -> r.metrics().get("running") == 1.0);
    cluster.stopVmUnexpectedly(100);

    Heard raised = awaitEvent("vm_stopped alert", alert("alert.raised", "vm_stopped", "100"));
    assertThat(raised.subject()).isEqualTo("ai.events.alert.warning");
    assertThat(raised.data().getString("message")).contains("web-01").contains("running is 0");
    await(() -> submitted.size() == 1, "a health_check for the VM");
    assertThat(submitted.get(0).parameters().getLong("vmid")).isEqualTo(100L);
    assertThat(submitted.get(0).parameters().getString("node")).isEqualTo("pve1");
    int seen = reports("vm", "vmid", "101").size();
    await(() -> reports("vm", "vmid", "101").size() >= seen + 2, "more polls");
    assertThat(events).as("db-01 was stopped from the start: no alert")
        .noneMatch(h -> "101".equals(h.data().getString("target")));
  }

  @Test
  void anAgentWhoseHeartbeatStopsIsAnnouncedOffline() throws Exception {
    DeliveryOptions delivery = new DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.heartbeat.specialist-9");
    long beats = vertx.setPeriodic(1, HEARTBEAT.toMillis(), t -> vertx.eventBus().publish(Addresses.HEARTBEAT,
        new Heartbeat("specialist-9", "general", List.of("diagnosis"), 0.5, AgentStatus.AVAILABLE, Instant.now(), 2).toJson(),
        delivery));
    Heard online = awaitEvent("specialist-9 online", h -> h.event().eventType().equals("agent.online")
        && "specialist-9".equals(h.data().getString("agent_id")));
    assertThat(online.subject()).isEqualTo("ai.events.agent.specialist-9");
    awaitReport("specialist-9's load", "agent", "agent_id", "specialist-9", r -> r.metrics().get("load") == 0.5);

    // only what follows the last beat: a beat delayed on a busy machine may have made an earlier, passing offline
    int eventsBefore = events.size();
    int reportsBefore = metrics.size();
    vertx.cancelTimer(beats);
    Heard offline = awaitEvent("specialist-9 offline", eventsBefore, h -> h.event().eventType().equals("agent.offline")
        && "specialist-9".equals(h.data().getString("agent_id")));
    assertThat(offline.subject()).isEqualTo("ai.events.agent.specialist-9");
    assertThat(offline.event().source()).isEqualTo("monitor-1");
    // 3 at the first sweep past 3 intervals; a sweep delayed on a busy machine counts more
    Matcher missed = Pattern.compile("no heartbeat for .*\\((\\d+) missed\\)").matcher(offline.data().getString("reason"));
    assertThat(missed.matches()).as(offline.data().getString("reason")).isTrue();
    assertThat(Integer.parseInt(missed.group(1))).isGreaterThanOrEqualTo(3);
    await(() -> metrics.stream().skip(reportsBefore).map(Metric::report).anyMatch(r -> "agent".equals(r.tags().get("kind"))
        && "specialist-9".equals(r.tags().get("agent_id")) && r.metrics().get("online") == 0.0),
        "specialist-9 offline in metrics");
    assertThat(monitor.registry().online("specialist-9")).isFalse();
  }

  @Test
  void anMcpServerThatGoesAwayIsDownAndProxmoxMetricsAreSkipped() throws Exception {
    awaitReport("proxmox up", "mcp", "server", "proxmox", r -> r.metrics().get("up") == 1.0);
    int logged = monitorLog.list.size();
    vertx.undeploy(mcpDeployment).await(10, TimeUnit.SECONDS);

    Heard down = awaitEvent("mcp_down", alert("alert.raised", "mcp_down", "proxmox"));
    assertThat(down.subject()).isEqualTo("ai.events.alert.critical");
    assertThat(down.data().containsKey("workflow_id")).as("mcp_down has no workflow").isFalse();
    awaitEvent("the server's own offline", h -> h.event().eventType().equals("agent.offline")
        && "mcp-proxmox-1".equals(h.data().getString("agent_id")));
    int pings = reports("mcp", "server", "proxmox").size();
    await(() -> reports("mcp", "server", "proxmox").size() >= pings + 3, "three more pings of the gone server");
    assertThat(reports("mcp", "server", "proxmox").get(reports("mcp", "server", "proxmox").size() - 1).metrics())
        .containsEntry("up", 0.0).doesNotContainKey("latency_ms");
    assertThat(events).filteredOn(alert("alert.raised", "mcp_down", "proxmox")).as("raised once").hasSize(1);
    assertThat(submitted).isEmpty();
    assertThat(monitorLog.list.subList(logged, monitorLog.list.size()))
        .filteredOn(e -> e.getFormattedMessage().contains("MCP server online: node and VM metrics"))
        .as("skipping proxmox metrics is said once").hasSize(1);
  }

  @Test
  void withoutAnOrchestratorTheAlertSaysSoAndTheWorkflowIsSubmittedOnceOneAnswers() throws Exception {
    orchestrator.unregister().await(5, TimeUnit.SECONDS);
    awaitReport("pve2 measured", "node", "node", "pve2", r -> true);
    cluster.setNodeUsage("pve2", 0.95, 4 * GIB);

    Heard raised = awaitEvent("node_cpu alert", alert("alert.raised", "node_cpu", "pve2"));
    assertThat(raised.subject()).isEqualTo("ai.events.alert.warning");
    assertThat(raised.data().containsKey("workflow_id")).isFalse();
    assertThat(raised.data().getString("workflow_error")).contains("ai.orchestrator.submit").contains("tried again");

    startOrchestrator();
    await(() -> submitted.size() == 1, "the health_check submitted at a later poll");
    assertThat(submitted.get(0).parameters().getString("node")).isEqualTo("pve2");
    Heard recurring = awaitEvent("the alert with its workflow",
        alert("alert.raised", "node_cpu", "pve2").and(h -> h.data().containsKey("workflow_id")));
    assertThat(recurring.data().getString("workflow_id")).isEqualTo(submitted.get(0).workflowId());
    assertThat(events).filteredOn(alert("alert.raised", "node_cpu", "pve2"))
        .as("failed retries are not announced again").hasSize(2);
  }
}
