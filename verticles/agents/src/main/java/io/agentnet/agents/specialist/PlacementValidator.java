package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Whether a VM of a given size fits on a node, and which node to put it on when none is named.
 *
 * <p>What "free" means, kept simple on purpose (what {@code list_nodes} reports, no reservations):
 * <ul>
 *   <li>memory: {@code maxmem - mem}, the node's memory not in use now (running VMs count with the
 *       memory they use; stopped VMs count nothing);</li>
 *   <li>cores: {@code maxcpu}, the node's CPU threads; PVE shares CPUs between VMs, but a VM cannot
 *       have more cores than its node has;</li>
 *   <li>disk: {@code maxdisk - disk} of the node's root file system, or, when a storage is named,
 *       that storage's {@code avail} on the node (from {@code list_storage}).</li>
 * </ul>
 * An offline node is never usable. With no node named, the online node with the most free memory
 * among those that fit is chosen (ties: the first by name), so repeated requests spread out.
 */
public final class PlacementValidator {

  private static final long MIB = 1024L * 1024;
  private static final long GIB = 1024 * MIB;

  /** What is asked for: cores, memory in MiB, disk in GiB, and optionally a node and a storage. */
  public record Request(int cores, long memoryMb, long diskGb, String node, String storage) {

    public Request {
      if (cores < 1) {
        throw new IllegalArgumentException("cores must be at least 1, got " + cores);
      }
      if (memoryMb < 1) {
        throw new IllegalArgumentException("memory_mb must be at least 1, got " + memoryMb);
      }
      if (diskGb < 0) {
        throw new IllegalArgumentException("disk_gb must not be negative, got " + diskGb);
      }
    }

    /** "2 cores, 4096 MiB memory, 32 GiB disk". */
    public String describe() {
      return cores + (cores == 1 ? " core, " : " cores, ") + memoryMb + " MiB memory, " + diskGb + " GiB disk"
          + (storage == null ? "" : " on " + storage);
    }

    public JsonObject toJson() {
      return new JsonObject().put("cores", cores).put("memory_mb", memoryMb).put("disk_gb", diskGb);
    }
  }

  /** What a node has free, in the request's units. */
  public record Free(int cores, long memoryMb, long diskGb) {

    public JsonObject toJson() {
      return new JsonObject().put("cores", cores).put("memory_mb", memoryMb).put("disk_gb", diskGb);
    }
  }

  /**
   * The outcome: the node (chosen or named; null when none was named and none fits), whether the
   * VM fits there, what was asked and what the node has free, and why, in words.
   */
  public record Decision(boolean fits, String node, Request requested, Free free, String reason) {

    /** The {@code validate_placement} output: {node, fits, requested, free, reason}. */
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (node != null) {
        json.put("node", node);
      }
      json.put("fits", fits).put("requested", requested.toJson());
      if (free != null) {
        json.put("free", free.toJson());
      }
      return json.put("reason", reason);
    }
  }

  /**
   * Decides for {@code request} on these nodes.
   *
   * @param storageAvail when the request names a storage: that storage's free bytes per node (a
   *                     node missing from the map does not have it); ignored otherwise
   */
  public Decision validate(List<ClusterNode> nodes, Map<String, Long> storageAvail, Request request) {
    if (nodes.isEmpty()) {
      return new Decision(false, request.node(), request, null, "the cluster reports no nodes");
    }
    if (request.node() != null) {
      ClusterNode node = nodes.stream().filter(n -> n.node().equals(request.node())).findFirst().orElse(null);
      if (node == null) {
        return new Decision(false, request.node(), request, null, "node " + request.node() + " is not in the cluster "
            + "(nodes: " + String.join(", ", nodes.stream().map(ClusterNode::node).toList()) + ")");
      }
      List<String> shortfalls = shortfalls(node, storageAvail, request);
      Free free = node.online() ? free(node, storageAvail, request) : null;
      if (!shortfalls.isEmpty()) {
        return new Decision(false, node.node(), request, free, String.join("; ", shortfalls));
      }
      return new Decision(true, node.node(), request, free, node.node() + " fits " + request.describe() + ": "
          + describeFree(free, request));
    }
    List<ClusterNode> fitting = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    for (ClusterNode node : nodes.stream().sorted(Comparator.comparing(ClusterNode::node)).toList()) {
      List<String> shortfalls = shortfalls(node, storageAvail, request);
      if (shortfalls.isEmpty()) {
        fitting.add(node);
      } else {
        refusals.add(String.join("; ", shortfalls));
      }
    }
    if (fitting.isEmpty()) {
      return new Decision(false, null, request, null, "no node can take " + request.describe() + ": "
          + String.join("; ", refusals));
    }
    // Most free memory first; the stable sort keeps name order among equals.
    ClusterNode best = fitting.stream()
        .sorted(Comparator.comparingLong((ClusterNode n) -> n.maxmem() - n.mem()).reversed())
        .findFirst().orElseThrow();
    Free free = free(best, storageAvail, request);
    return new Decision(true, best.node(), request, free, best.node() + " has the most free memory of the "
        + fitting.size() + (fitting.size() == 1 ? " node" : " nodes") + " that fit " + request.describe() + ": "
        + describeFree(free, request));
  }

  /** What {@code node} has free for this request (disk from the storage when one is named). */
  public static Free free(ClusterNode node, Map<String, Long> storageAvail, Request request) {
    long memFree = Math.max(0, node.maxmem() - node.mem());
    long diskFree;
    if (request.storage() != null) {
      Long avail = storageAvail == null ? null : storageAvail.get(node.node());
      diskFree = avail == null ? 0 : Math.max(0, avail);
    } else {
      diskFree = Math.max(0, node.maxdisk() - node.disk());
    }
    return new Free(node.maxcpu(), memFree / MIB, diskFree / GIB);
  }

  private static List<String> shortfalls(ClusterNode node, Map<String, Long> storageAvail, Request request) {
    List<String> out = new ArrayList<>();
    String n = node.node();
    if (!node.online()) {
      out.add(n + " is " + node.status() + " and cannot take a VM");
      return out;
    }
    if (request.storage() != null && (storageAvail == null || !storageAvail.containsKey(n))) {
      out.add(n + " has no storage " + request.storage());
      return out;
    }
    Free free = free(node, storageAvail, request);
    if (free.memoryMb() < request.memoryMb()) {
      out.add(n + " has " + free.memoryMb() + " MiB memory free, " + request.memoryMb() + " MiB requested");
    }
    if (free.cores() < request.cores()) {
      out.add(n + " has " + free.cores() + " CPU cores, " + request.cores() + " requested");
    }
    if (free.diskGb() < request.diskGb()) {
      out.add(n + " has " + free.diskGb() + " GiB disk free" + (request.storage() == null ? "" : " on " + request.storage())
          + ", " + request.diskGb() + " GiB requested");
    }
    return out;
  }

  private static String describeFree(Free free, Request request) {
    return free.memoryMb() + " MiB memory free, " + free.cores() + " CPU cores, " + free.diskGb() + " GiB disk free"
        + (request.storage() == null ? "" : " on " + request.storage());
  }
}
