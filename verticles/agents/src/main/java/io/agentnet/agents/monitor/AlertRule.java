package io.agentnet.agents.monitor;

import io.agentnet.bridge.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;

/**
 * A threshold on one metric of one kind of target: breached while the value is above {@code above}
 * (or below {@code below}; exactly one of them). A {@link Trigger#LEVEL} rule raises an alert when
 * a sample breaches it; an {@link Trigger#EDGE} rule only when the previous sample of the same
 * target did not (so "running below 1" means "stopped since the last poll", not "stopped").
 * With a {@code workflow}, the monitor submits that workflow to remediate.
 *
 * <p>Config ({@code agents.monitor.rules[i]}): {@code name}, {@code kind} (node, vm, mcp, agent),
 * {@code metric}, {@code above} or {@code below}, {@code severity} (info, warning, critical),
 * optional {@code trigger} (level, edge; default level), {@code workflow} and {@code message} (a
 * template: {@code {rule} {kind} {target} {metric} {value} {threshold} {severity}} and the
 * sample's tags such as {@code {node} {name}}).
 */
public record AlertRule(String name, String kind, String metric, Double above, Double below, Severity severity,
                        Trigger trigger, String workflow, String message) {

  public static final Set<String> KINDS = Set.of(Sample.NODE, Sample.VM, Sample.MCP, Sample.AGENT);

  public enum Severity {
    INFO, WARNING, CRITICAL;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Trigger {
    /** Alert whenever the value is beyond the threshold. */
    LEVEL,
    /** Alert only when the value crosses the threshold between two polls of the same target. */
    EDGE;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** @throws ConfigException naming what is wrong with the rule */
  public AlertRule {
    String where = "rule " + (name == null ? "(unnamed)" : "\"" + name + "\"");
    if (name == null || name.isBlank()) {
      throw new ConfigException("an alert rule needs a name");
    }
    if (kind == null || !KINDS.contains(kind)) {
      throw new ConfigException(where + ": kind must be one of node, vm, mcp, agent, got " + quoted(kind));
    }
    if (metric == null || metric.isBlank()) {
      throw new ConfigException(where + ": metric is missing (such as memory_used_pct, cpu_pct, running, up, load)");
    }
    if ((above == null) == (below == null)) {
      throw new ConfigException(where + ": give exactly one of above or below (the threshold), not "
          + (above == null ? "neither" : "both"));
    }
    double threshold = above != null ? above : below;
    if (!Double.isFinite(threshold)) {
      throw new ConfigException(where + ": the threshold must be a finite number, got " + threshold);
    }
    if (severity == null) {
      throw new ConfigException(where + ": severity is missing (info, warning or critical)");
    }
    trigger = trigger == null ? Trigger.LEVEL : trigger;
    if (workflow != null && workflow.isBlank()) {
      workflow = null;
    }
  }

  /** A level-triggered rule without message template. */
  public static AlertRule above(String name, String kind, String metric, double threshold, Severity severity, String workflow) {
    return new AlertRule(name, kind, metric, threshold, null, severity, Trigger.LEVEL, workflow, null);
  }

  public static AlertRule below(String name, String kind, String metric, double threshold, Severity severity, String workflow) {
    return new AlertRule(name, kind, metric, null, threshold, severity, Trigger.LEVEL, workflow, null);
  }

  public AlertRule withTrigger(Trigger t) {
    return new AlertRule(name, kind, metric, above, below, severity, t, workflow, message);
  }

  public double threshold() {
    return above != null ? above : below;
  }

  /** Whether this value is beyond the threshold (strictly: a value equal to it is fine). */
  public boolean breachedBy(double value) {
    return above != null ? value > above : value < below;
  }

  /**
   * From one entry of {@code agents.monitor.rules}.
   *
   * @param where the entry's key path for errors, such as {@code agents.monitor.rules[2]}
   * @throws ConfigException naming the key path and what is wrong
   */
  public static AlertRule fromJson(JsonObject json, String where) {
    try {
      return new AlertRule(
          text(json, "name", where),
          text(json, "kind", where),
          text(json, "metric", where),
          number(json, "above", where),
          number(json, "below", where),
          choice(json, "severity", where, Severity.class),
          choice(json, "trigger", where, Trigger.class),
          text(json, "workflow", where),
          text(json, "message", where));
    } catch (ConfigException e) {
      throw e.getMessage().startsWith(where) ? e : new ConfigException(where + ": " + e.getMessage());
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("kind", kind).put("metric", metric);
    if (above != null) {
      json.put("above", above);
    } else {
      json.put("below", below);
    }
    json.put("severity", severity.json());
    if (trigger != Trigger.LEVEL) {
      json.put("trigger", trigger.json());
    }
    if (workflow != null) {
      json.put("workflow", workflow);
    }
    if (message != null) {
      json.put("message", message);
    }
    return json;
  }

  private static String text(JsonObject json, String key, String where) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new ConfigException(where + "." + key + ": expected a string, got " + v);
    }
    return s;
  }

  private static Double number(JsonObject json, String key, String where) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw new ConfigException(where + "." + key + ": expected a number, got " + quoted(v));
    }
    return n.doubleValue();
  }

  private static <E extends Enum<E>> E choice(JsonObject json, String key, String where, Class<E> type) {
    String v = text(json, key, where);
    if (v == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigException(where + "." + key + ": expected one of " + allowed + ", got \"" + v + "\"");
    }
  }

  private static String quoted(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
