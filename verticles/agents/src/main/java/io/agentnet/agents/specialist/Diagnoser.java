package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong in the cluster, from what {@code list_nodes} and {@code list_vms} report:
 * <ul>
 *   <li>{@code node_offline}: a node that is not online;</li>
 *   <li>{@code node_memory_high}: {@code mem / maxmem * 100} above the memory threshold;</li>
 *   <li>{@code node_cpu_high}: {@code cpu * 100} above the CPU threshold;</li>
 *   <li>{@code vm_stopped}: a VM in focus that is not running. In focus is the VM asked about, else
 *       the VMs the alert names; stopped VMs nobody asked about are left alone (stopped on purpose
 *       is normal), and templates never count.</li>
 * </ul>
 * Nodes in focus: the node asked about, else every node.
 */
public final class Diagnoser {

  public static final String VM_STOPPED = "vm_stopped";
  public static final String NODE_MEMORY_HIGH = "node_memory_high";
  public static final String NODE_CPU_HIGH = "node_cpu_high";
  public static final String NODE_OFFLINE = "node_offline";

  private static final Pattern VM_REF = Pattern.compile("(?:^|[^a-z])(?:vm|qemu)[/:._ -]?(\\d{3,9})\\b",
      Pattern.CASE_INSENSITIVE);

  /** Percent thresholds above which a node counts as hot. */
  public record Thresholds(double memoryPct, double cpuPct) {

    public static final Thresholds DEFAULT = new Thresholds(90, 90);

    public Thresholds {
      if (memoryPct <= 0 || memoryPct > 100 || cpuPct <= 0 || cpuPct > 100) {
        throw new IllegalArgumentException("thresholds are percentages above 0 and at most 100, got memory "
            + memoryPct + ", cpu " + cpuPct);
      }
    }
  }

  /** What to look at: a node (null: all), a VM (null: none) and the VMs an alert named. */
  public record Focus(String node, Long vmid, Set<Long> alertVmids) {

    public Focus {
      alertVmids = alertVmids == null ? Set.of() : Set.copyOf(alertVmids);
    }

    public static Focus all() {
      return new Focus(null, null, Set.of());
    }

    /** The VMs to check for vm_stopped: the one asked about, else those the alert named. */
    Set<Long> vmids() {
      return vmid != null ? Set.of(vmid) : alertVmids;
    }
  }

  /** One thing wrong; {@code vmid}, {@code value} and {@code threshold} are null where they do not apply. */
  public record Finding(String kind, String node, Long vmid, Double value, Double threshold, String message) {

    public Finding {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }

    /** Whether {@code other} is the same problem (kind and target), whatever its figures now. */
    public boolean sameProblem(Finding other) {
      return kind.equals(other.kind) && Objects.equals(vmid, other.vmid)
          && (vmid != null || Objects.equals(node, other.node));
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("kind", kind);
      if (node != null) {
        json.put("node", node);
      }
      if (vmid != null) {
        json.put("vmid", vmid);
      }
      if (value != null) {
        json.put("value", value);
      }
      if (threshold != null) {
        json.put("threshold", threshold);
      }
      return json.put("message", message);
    }

    public static Finding fromJson(JsonObject json) {
      String kind = json.getString("kind");
      if (kind == null || !List.of(VM_STOPPED, NODE_MEMORY_HIGH, NODE_CPU_HIGH, NODE_OFFLINE).contains(kind)) {
        throw new IllegalArgumentException("a finding's kind must be one of vm_stopped, node_memory_high, node_cpu_high, "
            + "node_offline, got " + (kind == null ? "none" : "\"" + kind + "\""));
      }
      Object vmid = json.getValue("vmid");
      Object value = json.getValue("value");
      Object threshold = json.getValue("threshold");
      return new Finding(kind, json.getString("node"), vmid == null ? null : Numbers.integer(vmid),
          value == null ? null : Numbers.decimal(value), threshold == null ? null : Numbers.decimal(threshold),
          json.getString("message", kind));
    }

    public static List<Finding> listFromJson(JsonArray findings) {
      List<Finding> out = new ArrayList<>();
      if (findings != null) {
        for (Object entry : findings) {
          if (!(entry instanceof JsonObject json)) {
            throw new IllegalArgumentException("findings must be objects, got " + entry);
          }
          out.add(fromJson(json));
        }
      }
      return out;
    }
  }

  /** The findings and a one-line summary. */
  public record Diagnosis(List<Finding> findings, String summary) {

    public Diagnosis {
      findings = List.copyOf(findings);
    }

    public boolean healthy() {
      return findings.isEmpty();
    }

    /** The {@code diagnose} output: {healthy, findings, summary}. */
    public JsonObject toJson() {
      JsonArray list = new JsonArray();
      findings.forEach(f -> list.add(f.toJson()));
      return new JsonObject().put("healthy", healthy()).put("findings", list).put("summary", summary);
    }
  }

  /**
   * Diagnoses the nodes and VMs in focus.
   *
   * @throws IllegalArgumentException when the node or VM asked about is not in the cluster
   */
  public Diagnosis diagnose(List<ClusterNode> nodes, List<ClusterVm> vms, Focus focus, Thresholds thresholds) {
    if (focus.node() != null && nodes.stream().noneMatch(n -> n.node().equals(focus.node()))) {
      throw new IllegalArgumentException("node " + focus.node() + " is not in the cluster (nodes: "
          + String.join(", ", nodes.stream().map(ClusterNode::node).toList()) + ")");
    }
    if (focus.vmid() != null && vms.stream().noneMatch(v -> v.vmid() == focus.vmid())) {
      throw new IllegalArgumentException("VM " + focus.vmid() + " is not in the cluster (list_vms shows the VMs there are)");
    }
    List<Finding> findings = new ArrayList<>();
    int nodesChecked = 0;
    for (ClusterNode node : nodes) {
      if (focus.node() != null && !focus.node().equals(node.node())) {
        continue;
      }
      nodesChecked++;
      if (!node.online()) {
        findings.add(new Finding(NODE_OFFLINE, node.node(), null, null, null, node.node() + " is " + node.status()
            + ": its VMs are unavailable until it is back; check the host, its power and network, and the cluster"));
        continue;
      }
      double memPct = node.memPct();
      if (memPct > thresholds.memoryPct()) {
        findings.add(new Finding(NODE_MEMORY_HIGH, node.node(), null, Numbers.round1(memPct), thresholds.memoryPct(),
            node.node() + " memory at " + Numbers.pct(memPct) + "% (" + Numbers.mib(node.mem()) + " of "
                + Numbers.mib(node.maxmem()) + " MiB), above the " + Numbers.pct(thresholds.memoryPct())
                + "% threshold: move a VM off it or free memory"));
      }
      double cpuPct = node.cpuPct();
      if (cpuPct > thresholds.cpuPct()) {
        findings.add(new Finding(NODE_CPU_HIGH, node.node(), null, Numbers.round1(cpuPct), thresholds.cpuPct(),
            node.node() + " CPU at " + Numbers.pct(cpuPct) + "% of " + node.maxcpu() + " cores, above the "
                + Numbers.pct(thresholds.cpuPct()) + "% threshold: move a VM off it or reduce its load"));
      }
    }
    int vmsChecked = 0;
    for (long vmid : focus.vmids().stream().sorted().toList()) {
      ClusterVm vm = vms.stream().filter(v -> v.vmid() == vmid).findFirst().orElse(null);
      if (vm == null || vm.template()) {
        continue;
      }
      vmsChecked++;
      if (!vm.running()) {
        findings.add(new Finding(VM_STOPPED, vm.node(), vm.vmid(), null, null, vm.label() + " on " + vm.node() + " is "
            + vm.status() + ": start it (start_vm), and look at its log if it stopped on its own"));
      }
    }
    String checked = nodesChecked + (nodesChecked == 1 ? " node" : " nodes") + " and " + vmsChecked
        + (vmsChecked == 1 ? " VM" : " VMs") + " checked";
    String summary = findings.isEmpty() ? "healthy: " + checked
        : findings.size() + (findings.size() == 1 ? " finding" : " findings") + " (" + checked + "): "
        + String.join("; ", findings.stream().map(Diagnoser::shortText).toList());
    return new Diagnosis(findings, summary);
  }

  /** The first clause of a finding's message: "pve2 memory at 93.8% (...)" without the advice. */
  static String shortText(Finding f) {
    int cut = f.message().indexOf(':');
    return cut > 0 ? f.message().substring(0, cut) : f.message();
  }

  /**
   * The VM ids an alert names: its {@code vmid} (or {@code data.vmid}), and references like
   * {@code vm/100}, {@code qemu/100} or {@code vm:100} in its {@code target}.
   */
  public static Set<Long> vmidsNamedBy(JsonObject alert) {
    Set<Long> out = new LinkedHashSet<>();
    if (alert == null) {
      return out;
    }
    collect(alert, out);
    JsonObject data = alert.getValue("data") instanceof JsonObject d ? d : null;
    if (data != null) {
      collect(data, out);
    }
    return out;
  }

  private static void collect(JsonObject json, Collection<Long> out) {
    long vmid = Numbers.integer(json.getValue("vmid"));
    if (vmid > 0) {
      out.add(vmid);
    }
    Object target = json.getValue("target");
    if (target instanceof String s) {
      Matcher m = VM_REF.matcher(s);
      while (m.find()) {
        out.add(Long.parseLong(m.group(1)));
      }
    } else if (target instanceof JsonObject t) {
      collect(t, out);
    }
  }
}
