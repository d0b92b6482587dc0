package io.agentnet.agents.monitor;

import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what the monitor collects into {@link Sample}s: the proxmox server's {@code list_nodes}
 * and {@code list_vms} results (PVE's shapes: {@code cpu} as a fraction, {@code mem}/{@code maxmem}
 * and {@code disk}/{@code maxdisk} in bytes, {@code status}), MCP pings, and the registry's agents.
 * Percentages are rounded to two decimals. Plain Java.
 */
public final class Samples {

  private Samples() {
  }

  /**
   * One sample per node: {@code online} (1/0) and, for an online node, {@code cpu_pct},
   * {@code memory_used_pct}, {@code disk_used_pct}; tags {@code node}.
   */
  public static List<Sample> nodes(JsonArray nodes) {
    List<Sample> out = new ArrayList<>();
    for (Object o : nodes) {
      if (!(o instanceof JsonObject n) || n.getString("node") == null) {
        continue;
      }
      String node = n.getString("node");
      Map<String, Double> metrics = new LinkedHashMap<>();
      Double cpu = number(n, "cpu");
      if (cpu != null) {
        metrics.put("cpu_pct", pct(cpu));
      }
      putRatio(metrics, "memory_used_pct", number(n, "mem"), number(n, "maxmem"));
      putRatio(metrics, "disk_used_pct", number(n, "disk"), number(n, "maxdisk"));
      metrics.put("online", "online".equals(n.getString("status")) ? 1.0 : 0.0);
      out.add(new Sample(Sample.NODE, node, metrics, Map.of("node", node)));
    }
    return out;
  }

  /**
   * One sample per VM (templates left out: they never run): {@code running} (1/0; left out when
   * PVE does not know, as for a VM on an offline node), {@code cpu_pct}, {@code memory_used_pct};
   * target the VMID, tags {@code vmid}, {@code node}, {@code name}.
   */
  public static List<Sample> vms(JsonArray vms) {
    List<Sample> out = new ArrayList<>();
    for (Object o : vms) {
      if (!(o instanceof JsonObject v) || number(v, "vmid") == null || isTemplate(v)) {
        continue;
      }
      String vmid = Long.toString(number(v, "vmid").longValue());
      Map<String, Double> metrics = new LinkedHashMap<>();
      String status = v.getString("status");
      if ("running".equals(status) || "stopped".equals(status)) {
        metrics.put("running", "running".equals(status) ? 1.0 : 0.0);
      }
      Double cpu = number(v, "cpu");
      if (cpu != null) {
        metrics.put("cpu_pct", pct(cpu));
      }
      putRatio(metrics, "memory_used_pct", number(v, "mem"), number(v, "maxmem"));
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("vmid", vmid);
      if (v.getString("node") != null) {
        tags.put("node", v.getString("node"));
      }
      if (v.getValue("name") != null) {
        tags.put("name", String.valueOf(v.getValue("name")));
      }
      out.add(new Sample(Sample.VM, vmid, metrics, tags));
    }
    return out;
  }

  /** An MCP server: {@code up} (1/0) and, when up, the ping's {@code latency_ms}; tags {@code server}. */
  public static Sample mcp(String server, boolean up, double latencyMs) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("up", up ? 1.0 : 0.0);
    if (up) {
      metrics.put("latency_ms", Math.round(latencyMs * 100) / 100.0);
    }
    return new Sample(Sample.MCP, server, metrics, Map.of("server", server));
  }

  /** An agent from the registry: {@code load}, {@code online} (1/0); tags {@code agent_id}, {@code agent_type}. */
  public static Sample agent(AgentInfo agent) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("load", agent.load());
    metrics.put("online", agent.online() ? 1.0 : 0.0);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("agent_id", agent.agentId());
    tags.put("agent_type", agent.agentType());
    return new Sample(Sample.AGENT, agent.agentId(), metrics, tags);
  }

  private static boolean isTemplate(JsonObject vm) {
    Object t = vm.getValue("template");
    return t instanceof Number n ? n.intValue() == 1 : Boolean.TRUE.equals(t) || "1".equals(t);
  }

  private static void putRatio(Map<String, Double> metrics, String name, Double used, Double total) {
    if (used != null && total != null && total > 0) {
      metrics.put(name, pct(used / total));
    }
  }

  private static double pct(double fraction) {
    return Math.round(fraction * 10_000) / 100.0;
  }

  /** A number, also from PVE's numeric strings; null when absent or not a number. */
  private static Double number(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v instanceof Number n) {
      return Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }
    if (v instanceof String s) {
      try {
        double d = Double.parseDouble(s.trim());
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
