package io.agentnet.agents.monitor;

import io.agentnet.bridge.message.MetricReport;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One target's measurements at one poll: what kind of thing it is ({@code node}, {@code vm},
 * {@code mcp}, {@code agent}), which one (node name, VMID, server name, agent id), the metrics and
 * the tags that go with them. Rules are evaluated on samples; each is published as a {@link MetricReport}.
 */
public record Sample(String kind, String target, Map<String, Double> metrics, Map<String, String> tags) {

  public static final String NODE = "node";
  public static final String VM = "vm";
  public static final String MCP = "mcp";
  public static final String AGENT = "agent";

  public Sample {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    // Ordered copies: the published report lists metrics and tags in the order they were taken.
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** The metric, or null when this sample has no value for it. */
  public Double metric(String name) {
    return metrics.get(name);
  }

  /** The report on {@code ai.metrics.<reporter>}: the metrics, and the tags with {@code kind} first. */
  public MetricReport toReport(String reporterId, Instant at) {
    Map<String, String> reportTags = new LinkedHashMap<>();
    reportTags.put("kind", kind);
    tags.forEach((k, v) -> {
      if (!k.equals("kind")) {
        reportTags.put(k, v);
      }
    });
    return new MetricReport(reporterId, at, new LinkedHashMap<>(metrics), reportTags);
  }
}
