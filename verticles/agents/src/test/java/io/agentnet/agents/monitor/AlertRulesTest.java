package io.agentnet.agents.monitor;

import io.agentnet.agents.monitor.AlertRule.Severity;
import io.agentnet.agents.monitor.AlertRule.Trigger;
import io.agentnet.agents.monitor.AlertRules.Evaluation;
import io.agentnet.bridge.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertRulesTest {

  private static Sample node(String node, double memPct, double cpuPct) {
    return new Sample(Sample.NODE, node, Map.of("memory_used_pct", memPct, "cpu_pct", cpuPct, "online", 1.0),
        Map.of("node", node));
  }

  private static Sample vm(String vmid, double running) {
    return new Sample(Sample.VM, vmid, Map.of("running", running), Map.of("vmid", vmid, "node", "pve1", "name", "web-01"));
  }

  private static Sample mcp(String server, boolean up) {
    return Samples.mcp(server, up, 3.2);
  }

  @Test
  void aHotNodeRaisesOnceThenContinuesThenResolves() {
    AlertRules rules = new AlertRules(AlertRules.defaults());
    Evaluation first = rules.evaluate(node("pve1", 95.25, 20));
    assertThat(first.raised()).singleElement().satisfies(a -> {
      assertThat(a.rule().name()).isEqualTo("node_memory");
      assertThat(a.key()).isEqualTo("node_memory/pve1");
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.value()).isEqualTo(95.25);
      assertThat(a.threshold()).isEqualTo(90.0);
      assertThat(a.rule().workflow()).isEqualTo("health_check");
      assertThat(a.message()).isEqualTo("node pve1: memory_used_pct is 95.3, above 90 (rule node_memory)");
      JsonObject json = a.toJson("hc-1");
      assertThat(json.getString("rule")).isEqualTo("node_memory");
      assertThat(json.getString("severity")).isEqualTo("critical");
      assertThat(json.getString("kind")).isEqualTo("node");
      assertThat(json.getString("target")).isEqualTo("pve1");
      assertThat(json.getString("metric")).isEqualTo("memory_used_pct");
      assertThat(json.getDouble("value")).isEqualTo(95.25);
      assertThat(json.getDouble("threshold")).isEqualTo(90.0);
      assertThat(json.getString("workflow_id")).isEqualTo("hc-1");
    });
    assertThat(first.continuing()).isEmpty();

    Evaluation second = rules.evaluate(node("pve1", 96, 20));
    assertThat(second.raised()).as("raised once, not at every poll").isEmpty();
    assertThat(second.continuing()).extracting(Alert::key).containsExactly("node_memory/pve1");
    assertThat(rules.active()).containsOnlyKeys("node_memory/pve1");

    Evaluation third = rules.evaluate(node("pve1", 50, 20));
    assertThat(third.raised()).isEmpty();
    assertThat(third.continuing()).isEmpty();
    assertThat(third.resolved()).singleElement().satisfies(a -> assertThat(a.message()).contains("resolved"));
    assertThat(rules.active()).isEmpty();
  }

  @Test
  void theThresholdItselfIsNotABreach() {
    AlertRules rules = new AlertRules(AlertRules.defaults());
    assertThat(rules.evaluate(node("pve1", 90, 90)).raised()).isEmpty();
    assertThat(rules.evaluate(node("pve1", 90.01, 90)).raised()).extracting(a -> a.rule().name()).containsExactly("node_memory");
    assertThat(rules.evaluate(node("pve2", 10, 99)).raised()).singleElement()
        .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.WARNING));
  }

  @Test
  void vmStoppedOnlyWhenItWasRunningAtThePreviousPoll() {
    AlertRules rules = new AlertRules(AlertRules.defaults());
    assertThat(rules.evaluate(vm("101", 0)).raised()).as("stopped from the first poll: not an event").isEmpty();
    assertThat(rules.evaluate(vm("101", 0)).raised()).as("still stopped").isEmpty();

    assertThat(rules.evaluate(vm("100", 1)).raised()).isEmpty();
    Evaluation stopped = rules.evaluate(vm("100", 0));
    assertThat(stopped.raised()).singleElement().satisfies(a -> {
      assertThat(a.key()).isEqualTo("vm_stopped/100");
      assertThat(a.rule().trigger()).isEqualTo(Trigger.EDGE);
      assertThat(a.message()).isEqualTo("vm 100 (web-01): running is 0, below 1 (rule vm_stopped)");
      assertThat(a.tags()).containsEntry("node", "pve1");
    });
    assertThat(rules.evaluate(vm("100", 0)).continuing()).as("stays raised while stopped")
        .extracting(Alert::key).containsExactly("vm_stopped/100");
    assertThat(rules.evaluate(vm("100", 1)).resolved()).extracting(Alert::key).containsExactly("vm_stopped/100");
  }

  @Test
  void mcpDownIsCriticalWithoutWorkflow() {
    AlertRules rules = new AlertRules(AlertRules.defaults());
    assertThat(rules.evaluate(mcp("proxmox", true)).raised()).isEmpty();
    assertThat(rules.evaluate(mcp("proxmox", false)).raised()).singleElement().satisfies(a -> {
      assertThat(a.rule().name()).isEqualTo("mcp_down");
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.rule().workflow()).isNull();
    });
  }

  @Test
  void aMissingMetricChangesNothing() {
    AlertRules rules = new AlertRules(AlertRules.defaults());
    rules.evaluate(node("pve1", 95, 10));
    Evaluation offline = rules.evaluate(new Sample(Sample.NODE, "pve1", Map.of("online", 0.0), Map.of("node", "pve1")));
    assertThat(offline.raised()).isEmpty();
    assertThat(offline.resolved()).as("no data is not a recovery").isEmpty();
    assertThat(rules.active()).containsOnlyKeys("node_memory/pve1");
  }

  @Test
  void targetsThatAreGoneHaveTheirAlertsClosed() {
    AlertRules rules = new AlertRules(AlertRules.defaults());
    rules.evaluate(vm("100", 1));
    rules.evaluate(vm("100", 0));
    rules.evaluate(vm("101", 1));
    assertThat(rules.retainTargets(Sample.VM, List.of("101"))).singleElement().satisfies(a -> {
      assertThat(a.key()).isEqualTo("vm_stopped/100");
      assertThat(a.message()).contains("is gone");
    });
    assertThat(rules.active()).isEmpty();
    assertThat(rules.retainTargets(Sample.NODE, List.of())).isEmpty();
    // Forgotten means a fresh start: the VM's first sample again is no change.
    assertThat(rules.evaluate(vm("100", 0)).raised()).isEmpty();
  }

  @Test
  void rulesComeFromConfigWithTemplates() {
    JsonArray config = new JsonArray()
        .add(new JsonObject().put("name", "hot").put("kind", "node").put("metric", "cpu_pct").put("above", 50)
            .put("severity", "info").put("message", "{node} runs hot: {metric} {value} > {threshold} ({severity}, {rule})"))
        .add(new JsonObject().put("name", "idle").put("kind", "agent").put("metric", "load").put("below", 0.1)
            .put("severity", "warning").put("trigger", "edge").put("workflow", "resource_optimization"));
    List<AlertRule> parsed = AlertRules.fromConfig(config);
    assertThat(parsed).extracting(AlertRule::name).containsExactly("hot", "idle");
    assertThat(parsed.get(1).trigger()).isEqualTo(Trigger.EDGE);
    assertThat(parsed.get(1).below()).isEqualTo(0.1);
    assertThat(parsed.get(1).toJson()).isEqualTo(config.getJsonObject(1).copy().put("below", 0.1));
    AlertRules rules = new AlertRules(parsed);
    assertThat(rules.evaluate(node("pve3", 10, 75.5)).raised()).singleElement()
        .satisfies(a -> assertThat(a.message()).isEqualTo("pve3 runs hot: cpu_pct 75.5 > 50 (info, hot)"));
    assertThat(AlertRules.fromConfig(null)).isEqualTo(AlertRules.defaults());
    assertThat(AlertRules.fromConfig(new JsonArray())).isEmpty();
  }

  @Test
  void configErrorsNameTheEntryAndTheProblem() {
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonArray().add(rule().put("severity", "high"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agents.monitor.rules[0].severity: expected one of info, warning, critical, got \"high\"");
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonArray().add(rule()).add(rule().put("kind", "cluster"))))
        .hasMessage("agents.monitor.rules[1]: rule \"r\": kind must be one of node, vm, mcp, agent, got \"cluster\"");
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonArray().add(rule().put("below", 3))))
        .hasMessageContaining("rules[0]").hasMessageContaining("exactly one of above or below").hasMessageContaining("both");
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonArray().add(rule().put("above", "90"))))
        .hasMessage("agents.monitor.rules[0].above: expected a number, got \"90\"");
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonArray().add(rule()).add(rule())))
        .hasMessageContaining("two rules are named \"r\"");
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonArray().add("node_memory")))
        .hasMessageContaining("rules[0]: expected a rule object");
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonObject()))
        .hasMessageContaining("expected an array of rules");
    assertThatThrownBy(() -> AlertRules.fromConfig(new JsonArray().add(rule().put("trigger", "sometimes"))))
        .hasMessageContaining("rules[0].trigger: expected one of level, edge");
  }

  private static JsonObject rule() {
    return new JsonObject().put("name", "r").put("kind", "node").put("metric", "cpu_pct").put("above", 90)
        .put("severity", "warning");
  }

  /** The shipped config holds the same four rules as the built-in defaults. */
  @Test
  void theDefaultConfigFileHasTheDefaultRules() throws Exception {
    Path conf = Path.of("../../conf/agentnet.json");
    JsonObject json = new JsonObject(Files.readString(conf));
    JsonArray rules = json.getJsonObject("agents").getJsonObject("monitor").getJsonArray("rules");
    assertThat(AlertRules.fromConfig(rules)).isEqualTo(AlertRules.defaults());
  }
}
