package io.agentnet.agents.monitor;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * The monitor's settings, with defaults; {@link #fromConfig} reads them from {@code agents.monitor}
 * and the environment, which wins:
 *
 * <table>
 *   <tr><th>config key</th><th>environment</th><th>default</th></tr>
 *   <tr><td>metricsIntervalSeconds</td><td>METRICS_INTERVAL</td><td>15</td></tr>
 *   <tr><td>proxmoxServer</td><td></td><td>proxmox (the MCP server asked for nodes and VMs)</td></tr>
 *   <tr><td>toolTimeoutSeconds</td><td></td><td>10 (each ping and tool call)</td></tr>
 *   <tr><td>remediationTimeoutSeconds</td><td></td><td>600 (a workflow without end event stops blocking a new one)</td></tr>
 *   <tr><td>rules</td><td></td><td>{@link AlertRules#defaults()}</td></tr>
 * </table>
 *
 * The heartbeat interval is the application's ({@code AGENT_HEARTBEAT_INTERVAL}).
 */
public final class MonitorOptions {

  public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REMEDIATION_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_SUBMIT_TIMEOUT = Duration.ofSeconds(10);
  public static final String DEFAULT_PROXMOX_SERVER = "proxmox";
  private static final String SECTION = "agents.monitor";

  private Duration metricsInterval = DEFAULT_METRICS_INTERVAL;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private List<AlertRule> rules = AlertRules.defaults();
  private String proxmoxServer = DEFAULT_PROXMOX_SERVER;
  private Duration toolTimeout = DEFAULT_TOOL_TIMEOUT;
  private Duration remediationTimeout = DEFAULT_REMEDIATION_TIMEOUT;
  private Duration submitTimeout = DEFAULT_SUBMIT_TIMEOUT;

  /**
   * From the {@code agents.monitor} section (may be null) and the environment.
   *
   * @throws ConfigException naming the key or variable that is wrong
   */
  public static MonitorOptions fromConfig(JsonObject monitorSection, Environment env, Duration heartbeatInterval) {
    JsonObject json = monitorSection == null ? new JsonObject() : monitorSection;
    MonitorOptions o = new MonitorOptions().setHeartbeatInterval(heartbeatInterval);
    int metricsSeconds = env.integer("METRICS_INTERVAL", seconds(json, "metricsIntervalSeconds",
        (int) DEFAULT_METRICS_INTERVAL.toSeconds()));
    if (metricsSeconds <= 0) {
      throw new ConfigException("METRICS_INTERVAL: must be a positive number of seconds, got " + metricsSeconds);
    }
    o.setMetricsInterval(Duration.ofSeconds(metricsSeconds));
    Object server = json.getValue("proxmoxServer", DEFAULT_PROXMOX_SERVER);
    if (!(server instanceof String s) || s.isBlank()) {
      throw new ConfigException(SECTION + ".proxmoxServer: expected the proxmox MCP server's name, got " + server);
    }
    o.setProxmoxServer(s);
    o.setToolTimeout(Duration.ofSeconds(seconds(json, "toolTimeoutSeconds", (int) DEFAULT_TOOL_TIMEOUT.toSeconds())));
    o.setRemediationTimeout(Duration.ofSeconds(seconds(json, "remediationTimeoutSeconds",
        (int) DEFAULT_REMEDIATION_TIMEOUT.toSeconds())));
    o.setRules(AlertRules.fromConfig(json.getValue("rules")));
    return o;
  }

  private static int seconds(JsonObject json, String key, int def) {
    Object v = json.getValue(key, def);
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() <= 0) {
      throw new ConfigException(SECTION + "." + key + ": expected a positive whole number of seconds, got " + v);
    }
    return n.intValue();
  }

  private static Duration positive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  public Duration getMetricsInterval() {
    return metricsInterval;
  }

  /** How often the monitor collects metrics and evaluates the rules. */
  public MonitorOptions setMetricsInterval(Duration metricsInterval) {
    this.metricsInterval = positive("the metrics interval", metricsInterval);
    return this;
  }

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  /** The network's heartbeat interval: the monitor's own heartbeats, and offline after 3 missed. */
  public MonitorOptions setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = positive("the heartbeat interval", heartbeatInterval);
    return this;
  }

  public List<AlertRule> getRules() {
    return rules;
  }

  /** @throws ConfigException when two rules share a name */
  public MonitorOptions setRules(List<AlertRule> rules) {
    new AlertRules(rules);
    this.rules = List.copyOf(rules);
    return this;
  }

  public String getProxmoxServer() {
    return proxmoxServer;
  }

  public MonitorOptions setProxmoxServer(String proxmoxServer) {
    this.proxmoxServer = proxmoxServer;
    return this;
  }

  public Duration getToolTimeout() {
    return toolTimeout;
  }

  /** The bound on each MCP ping and tool call. */
  public MonitorOptions setToolTimeout(Duration toolTimeout) {
    this.toolTimeout = positive("the tool timeout", toolTimeout);
    return this;
  }

  public Duration getRemediationTimeout() {
    return remediationTimeout;
  }

  /** How long a submitted workflow without an end event keeps another one for the same alert from starting. */
  public MonitorOptions setRemediationTimeout(Duration remediationTimeout) {
    this.remediationTimeout = positive("the remediation timeout", remediationTimeout);
    return this;
  }

  public Duration getSubmitTimeout() {
    return submitTimeout;
  }

  /** The bound on the orchestrator's answer to a workflow submission. */
  public MonitorOptions setSubmitTimeout(Duration submitTimeout) {
    this.submitTimeout = positive("the submit timeout", submitTimeout);
    return this;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("metricsIntervalSeconds", metricsInterval.toMillis() / 1000.0)
        .put("heartbeatIntervalSeconds", heartbeatInterval.toMillis() / 1000.0)
        .put("proxmoxServer", proxmoxServer)
        .put("toolTimeoutSeconds", toolTimeout.toMillis() / 1000.0)
        .put("remediationTimeoutSeconds", remediationTimeout.toMillis() / 1000.0)
        .put("rules", new JsonArray(rules.stream().map(AlertRule::toJson).toList()));
  }
}
