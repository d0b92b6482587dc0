package io.agentnet.agents.monitor;

import io.agentnet.agents.monitor.AlertRule.Severity;
import io.agentnet.agents.monitor.AlertRule.Trigger;
import io.agentnet.bridge.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The monitor's threshold rules and what they have seen. Each {@link #evaluate(Sample)} compares a
 * sample with the rules of its kind and says which alerts it raised (newly breached), which
 * continue (breached before and still), and which are resolved (back within bounds). An alert is
 * one rule and one target ({@link Alert#key}), so a hot node raises once, not at every poll.
 * A metric missing from a sample (a node offline has no CPU figure) changes nothing: no data is
 * not a recovery.
 *
 * <p>Plain Java, not thread-safe: the monitor uses it on its context.
 */
public final class AlertRules {

  /** Where the default config keeps them. */
  public static final String CONFIG_KEY = "agents.monitor.rules";

  private record State(AlertRule rule, double lastValue, boolean active, Map<String, String> tags) {
  }

  /** What one sample did. */
  public record Evaluation(List<Alert> raised, List<Alert> continuing, List<Alert> resolved) {

    public Evaluation {
      raised = List.copyOf(raised);
      continuing = List.copyOf(continuing);
      resolved = List.copyOf(resolved);
    }
  }

  private final List<AlertRule> rules;
  /** By alert key (rule/target). */
  private final Map<String, State> states = new HashMap<>();
  /** Alert keys by kind and target, to forget targets that went away. */
  private final Map<String, Map<String, Set<String>>> keysByTarget = new HashMap<>();

  /** @throws ConfigException when two rules share a name */
  public AlertRules(List<AlertRule> rules) {
    Set<String> names = new HashSet<>();
    for (AlertRule rule : rules) {
      if (!names.add(rule.name())) {
        throw new ConfigException(CONFIG_KEY + ": two rules are named \"" + rule.name() + "\"; names identify alerts");
      }
    }
    this.rules = List.copyOf(rules);
  }

  /**
   * The built-in rules (the same as conf/agentnet.json): node memory above 90 % critical and CPU
   * above 90 % warning, both remediated by {@code health_check}; a VM that stopped since the last
   * poll, warning, {@code health_check}; an MCP server that does not answer ping, critical.
   */
  public static List<AlertRule> defaults() {
    return List.of(
        AlertRule.above("node_memory", Sample.NODE, "memory_used_pct", 90, Severity.CRITICAL, "health_check"),
        AlertRule.above("node_cpu", Sample.NODE, "cpu_pct", 90, Severity.WARNING, "health_check"),
        AlertRule.below("vm_stopped", Sample.VM, "running", 1, Severity.WARNING, "health_check").withTrigger(Trigger.EDGE),
        AlertRule.below("mcp_down", Sample.MCP, "up", 1, Severity.CRITICAL, null));
  }

  /**
   * The rules of {@code agents.monitor.rules}; null means the built-in {@link #defaults()}, an
   * empty array no rules at all.
   *
   * @throws ConfigException naming the entry ({@code agents.monitor.rules[2].severity: ...})
   */
  public static List<AlertRule> fromConfig(Object rules) {
    if (rules == null) {
      return defaults();
    }
    if (!(rules instanceof JsonArray array)) {
      throw new ConfigException(CONFIG_KEY + ": expected an array of rules, got " + rules);
    }
    List<AlertRule> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = CONFIG_KEY + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject rule)) {
        throw new ConfigException(where + ": expected a rule object {name, kind, metric, above|below, severity}, got "
            + array.getValue(i));
      }
      out.add(AlertRule.fromJson(rule, where));
    }
    new AlertRules(out); // same names twice is a config error too
    return out;
  }

  public List<AlertRule> rules() {
    return rules;
  }

  /** Compares one sample with the rules of its kind, and remembers it for the next one. */
  public Evaluation evaluate(Sample sample) {
    List<Alert> raised = new ArrayList<>();
    List<Alert> continuing = new ArrayList<>();
    List<Alert> resolved = new ArrayList<>();
    for (AlertRule rule : rules) {
      if (!rule.kind().equals(sample.kind())) {
        continue;
      }
      Double value = sample.metric(rule.metric());
      if (value == null) {
        continue;
      }
      String key = Alert.key(rule, sample.target());
      State previous = states.get(key);
      boolean breached = rule.breachedBy(value);
      boolean wasActive = previous != null && previous.active();
      boolean active;
      if (!breached) {
        active = false;
      } else if (wasActive) {
        active = true;
      } else if (rule.trigger() == Trigger.EDGE) {
        // Only a change seen between two polls: the first sample of a target is not a change.
        active = previous != null && !rule.breachedBy(previous.lastValue());
      } else {
        active = true;
      }
      states.put(key, new State(rule, value, active, sample.tags()));
      keysByTarget.computeIfAbsent(sample.kind(), k -> new HashMap<>())
          .computeIfAbsent(sample.target(), t -> new HashSet<>()).add(key);
      if (active) {
        Alert alert = new Alert(rule, sample.target(), value, sample.tags(),
            Alert.describe(rule, sample.target(), value, sample.tags()));
        (wasActive ? continuing : raised).add(alert);
      } else if (wasActive) {
        resolved.add(new Alert(rule, sample.target(), value, sample.tags(), resolvedMessage(rule, sample.target(), value,
            sample.tags())));
      }
    }
    return new Evaluation(raised, continuing, resolved);
  }

  /**
   * Forgets the targets of this kind not among {@code present} (a VM deleted, an MCP server gone
   * for good); their active alerts are returned as resolved, so nothing stays raised for a thing
   * that no longer exists.
   */
  public List<Alert> retainTargets(String kind, Collection<String> present) {
    Map<String, Set<String>> targets = keysByTarget.get(kind);
    if (targets == null) {
      return List.of();
    }
    Set<String> keep = new HashSet<>(present);
    List<Alert> resolved = new ArrayList<>();
    for (Iterator<Map.Entry<String, Set<String>>> it = targets.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Set<String>> target = it.next();
      if (keep.contains(target.getKey())) {
        continue;
      }
      for (String key : target.getValue()) {
        State state = states.remove(key);
        if (state != null && state.active()) {
          AlertRule rule = state.rule();
          resolved.add(new Alert(rule, target.getKey(), state.lastValue(), state.tags(),
              rule.kind() + " " + target.getKey() + " is gone; alert " + rule.name() + " closed"));
        }
      }
      it.remove();
    }
    return resolved;
  }

  /** The alerts active now, by key (for listings and tests). */
  public Map<String, Double> active() {
    Map<String, Double> out = new LinkedHashMap<>();
    states.forEach((key, state) -> {
      if (state.active()) {
        out.put(key, state.lastValue());
      }
    });
    return out;
  }

  private static String resolvedMessage(AlertRule rule, String target, double value, Map<String, String> tags) {
    String name = tags.get("name");
    return rule.kind() + " " + target + (name == null ? "" : " (" + name + ")") + ": " + rule.metric() + " is "
        + Alert.number(value) + " again, within " + Alert.number(rule.threshold()) + " (rule " + rule.name() + " resolved)";
  }
}
