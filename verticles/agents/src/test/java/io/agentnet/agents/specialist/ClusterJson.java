package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Node and VM entries shaped like the proxmox tools' (PVE's) answers, for the plain logic tests. */
final class ClusterJson {

  static final long MIB = 1024L * 1024;
  static final long GIB = 1024 * MIB;

  private ClusterJson() {
  }

  /** A list_nodes entry as the simulator answers it (root disk 12 of 100 GiB). */
  static JsonObject node(String name, double cpu, int maxcpu, long memBytes, long maxmemBytes) {
    return new JsonObject().put("node", name).put("id", "node/" + name).put("type", "node").put("status", "online")
        .put("cpu", cpu).put("maxcpu", maxcpu).put("mem", memBytes).put("maxmem", maxmemBytes)
        .put("disk", 12 * GIB).put("maxdisk", 100 * GIB).put("uptime", 86400).put("level", "");
  }

  /** An offline node: PVE leaves the figures out. */
  static JsonObject offline(String name) {
    return new JsonObject().put("node", name).put("id", "node/" + name).put("type", "node").put("status", "offline");
  }

  /** A list_vms entry (cluster resources shape: maxcpu instead of cpus). */
  static JsonObject vm(long vmid, String name, String node, boolean running, long maxmemBytes) {
    return new JsonObject().put("vmid", vmid).put("name", name).put("node", node).put("type", "qemu")
        .put("id", "qemu/" + vmid).put("status", running ? "running" : "stopped")
        .put("cpu", running ? 0.02 : 0).put("maxcpu", 2).put("mem", running ? maxmemBytes / 2 : 0)
        .put("maxmem", maxmemBytes).put("template", 0);
  }

  static List<ClusterNode> nodes(JsonObject... entries) {
    return ClusterNode.listFromJson(new JsonArray(List.of((Object[]) entries)));
  }

  static List<ClusterVm> vms(JsonObject... entries) {
    return ClusterVm.listFromJson(new JsonArray(List.of((Object[]) entries)));
  }

  /**
   * The simulator's demo cluster: pve1 (16 CPUs, 64 GiB, 4 GiB used: base 2 + web-01), pve2 (8, 32 GiB,
   * 10 GiB used: base 2 + build-01), pve3 (8, 32 GiB, 2 GiB used).
   */
  static List<ClusterNode> demoNodes() {
    return nodes(node("pve1", 0.0325, 16, 4 * GIB, 64 * GIB), node("pve2", 0.04, 8, 10 * GIB, 32 * GIB),
        node("pve3", 0.03, 8, 2 * GIB, 32 * GIB));
  }

  static List<ClusterVm> demoVms() {
    JsonObject template = vm(9000, "debian-12-template", "pve1", false, GIB).put("template", 1);
    return vms(vm(100, "web-01", "pve1", true, 2 * GIB), vm(101, "db-01", "pve1", false, 4 * GIB),
        vm(102, "build-01", "pve2", true, 8 * GIB), template);
  }
}
