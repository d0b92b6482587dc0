package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One node as {@code list_nodes} reports it (PVE's {@code /nodes} entries), or as
 * {@code collect_metrics} passes it on: CPU use as a fraction of {@code maxcpu}, memory and root
 * disk in bytes. An offline node has no figures (PVE leaves them out); they read as 0.
 */
public record ClusterNode(String node, String status, double cpu, int maxcpu, long mem, long maxmem, long disk,
                          long maxdisk) {

  public boolean online() {
    return "online".equals(status);
  }

  /** Memory in use, in percent of the node's memory (0 when it reports none). */
  public double memPct() {
    return maxmem <= 0 ? 0 : mem * 100.0 / maxmem;
  }

  public double cpuPct() {
    return cpu * 100.0;
  }

  /** The node with {@code bytes} more (or, negative, less) memory in use. */
  public ClusterNode withMem(long bytes) {
    return new ClusterNode(node, status, cpu, maxcpu, mem + bytes, maxmem, disk, maxdisk);
  }

  public static ClusterNode fromJson(JsonObject json) {
    String name = json.getString("node");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a node entry has no \"node\" name: " + json.encode());
    }
    return new ClusterNode(name, json.getString("status", "unknown"), Numbers.decimal(json.getValue("cpu")),
        (int) Numbers.integer(json.getValue("maxcpu")), Numbers.integer(json.getValue("mem")),
        Numbers.integer(json.getValue("maxmem")), Numbers.integer(json.getValue("disk")),
        Numbers.integer(json.getValue("maxdisk")));
  }

  /** The entries of a {@code nodes} array, in its order. */
  public static List<ClusterNode> listFromJson(JsonArray nodes) {
    List<ClusterNode> out = new ArrayList<>();
    if (nodes != null) {
      for (Object entry : nodes) {
        if (entry instanceof JsonObject json) {
          out.add(fromJson(json));
        }
      }
    }
    return out;
  }

  /** The {@code collect_metrics} shape: node, status, cpu, mem, maxmem, mem_pct, maxcpu (plus disk figures). */
  public JsonObject toJson() {
    return new JsonObject().put("node", node).put("status", status).put("cpu", cpu).put("maxcpu", maxcpu)
        .put("mem", mem).put("maxmem", maxmem).put("mem_pct", Numbers.round1(memPct()))
        .put("disk", disk).put("maxdisk", maxdisk);
  }
}
