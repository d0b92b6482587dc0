package io.agentnet.agents.monitor;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * A rule breached (or no longer breached, for a resolved alert) by one target: the value that did
 * it, the threshold, and a message a person can act on.
 */
public record Alert(AlertRule rule, String target, double value, Map<String, String> tags, String message) {

  public Alert {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** One alert per rule and target: {@code <rule>/<target>}. */
  public static String key(AlertRule rule, String target) {
    return rule.name() + "/" + target;
  }

  public String key() {
    return key(rule, target);
  }

  public String kind() {
    return rule.kind();
  }

  public String metric() {
    return rule.metric();
  }

  public double threshold() {
    return rule.threshold();
  }

  public AlertRule.Severity severity() {
    return rule.severity();
  }

  /**
   * The event data of {@code alert.raised} / {@code alert.resolved}: rule, severity, kind, target,
   * metric, value, threshold, message, the target's tags (node, vmid, name, ...) and, when a
   * remediation runs, workflow_id.
   */
  public JsonObject toJson(String workflowId) {
    JsonObject json = new JsonObject()
        .put("rule", rule.name())
        .put("severity", rule.severity().json())
        .put("kind", rule.kind())
        .put("target", target)
        .put("metric", rule.metric())
        .put("value", value)
        .put("threshold", threshold())
        .put("message", message);
    JsonObject tagJson = new JsonObject();
    tags.forEach(tagJson::put);
    json.put("tags", tagJson);
    if (workflowId != null) {
      json.put("workflow_id", workflowId);
    }
    return json;
  }

  /** The message for a breach: the rule's template filled in, or a sentence naming target, metric, value and threshold. */
  static String describe(AlertRule rule, String target, double value, Map<String, String> tags) {
    if (rule.message() != null) {
      String text = rule.message()
          .replace("{rule}", rule.name())
          .replace("{kind}", rule.kind())
          .replace("{target}", target)
          .replace("{metric}", rule.metric())
          .replace("{value}", number(value))
          .replace("{threshold}", number(rule.threshold()))
          .replace("{severity}", rule.severity().json());
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        text = text.replace("{" + tag.getKey() + "}", tag.getValue());
      }
      return text;
    }
    String name = tags.get("name");
    return rule.kind() + " " + target + (name == null ? "" : " (" + name + ")") + ": " + rule.metric() + " is "
        + number(value) + ", " + (rule.above() != null ? "above " : "below ") + number(rule.threshold())
        + " (rule " + rule.name() + ")";
  }

  /** At most one decimal, without a trailing ".0": 96.9, 0, 90. */
  static String number(double v) {
    return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }
}
