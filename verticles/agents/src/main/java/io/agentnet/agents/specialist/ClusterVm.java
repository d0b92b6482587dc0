package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One VM as {@code list_vms} reports it (PVE's {@code /cluster/resources} or {@code /nodes/{node}/qemu}
 * entries with their node), or as {@code collect_metrics} passes it on. {@code maxmem} is the
 * memory the VM is given, {@code mem} what the guest uses now; {@code cpu} a fraction of its
 * {@code cpus}.
 */
public record ClusterVm(long vmid, String name, String node, String status, long mem, long maxmem, double cpu,
                        int cpus, boolean template) {

  public boolean running() {
    return "running".equals(status);
  }

  /** "VM 100 (web-01)", how messages name a VM. */
  public String label() {
    return name == null || name.isBlank() ? "VM " + vmid : "VM " + vmid + " (" + name + ")";
  }

  public ClusterVm onNode(String other) {
    return new ClusterVm(vmid, name, other, status, mem, maxmem, cpu, cpus, template);
  }

  public static ClusterVm fromJson(JsonObject json) {
    long vmid = Numbers.integer(json.getValue("vmid"));
    if (vmid <= 0) {
      throw new IllegalArgumentException("a VM entry has no \"vmid\": " + json.encode());
    }
    Object cpus = json.containsKey("cpus") ? json.getValue("cpus") : json.getValue("maxcpu");
    Object template = json.getValue("template");
    return new ClusterVm(vmid, json.getString("name"), json.getString("node"), json.getString("status", "unknown"),
        Numbers.integer(json.getValue("mem")), Numbers.integer(json.getValue("maxmem")),
        Numbers.decimal(json.getValue("cpu")), (int) Math.max(1, Numbers.integer(cpus)),
        Boolean.TRUE.equals(template) || "1".equals(String.valueOf(template)));
  }

  /** The entries of a {@code vms} array, in its order. */
  public static List<ClusterVm> listFromJson(JsonArray vms) {
    List<ClusterVm> out = new ArrayList<>();
    if (vms != null) {
      for (Object entry : vms) {
        if (entry instanceof JsonObject json) {
          out.add(fromJson(json));
        }
      }
    }
    return out;
  }

  /** The {@code collect_metrics} shape: vmid, name, node, status, mem, maxmem, cpu (plus cpus). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("vmid", vmid);
    if (name != null) {
      json.put("name", name);
    }
    return json.put("node", node).put("status", status).put("mem", mem).put("maxmem", maxmem).put("cpu", cpu)
        .put("cpus", cpus);
  }
}
