package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans VM migrations that even out memory load across the online nodes, measured as the spread:
 * the highest node memory load minus the lowest, in percent.
 *
 * <p>A greedy heuristic, deterministic for the same input: take the most loaded online node and the
 * least loaded one (ties: by name); among the running VMs on the former that the latter can hold
 * ({@code mem + vm <= maxmem}), move the one whose move lowers the spread most (ties: the lower VM
 * id), if it lowers it by at least {@code minImprovementPct}; repeat up to {@code maxMigrations}.
 * Each VM moves at most once per plan, so no plan moves a VM back and forth. A VM weighs its
 * configured memory ({@code maxmem}): that is what the target has to give it (and what the node
 * figures change by in the simulator). Offline nodes take no part. An already balanced cluster
 * gets no migration.
 *
 * <p>{@link #relieve} is the one-move form used by remediation: one VM off one hot node.
 */
public final class RebalancePlanner {

  /** The default smallest improvement of the spread, in percentage points, worth a migration. */
  public static final double DEFAULT_MIN_IMPROVEMENT_PCT = 1.0;

  private final double minImprovementPct;

  public RebalancePlanner() {
    this(DEFAULT_MIN_IMPROVEMENT_PCT);
  }

  public RebalancePlanner(double minImprovementPct) {
    if (minImprovementPct < 0) {
      throw new IllegalArgumentException("the minimum improvement must not be negative, got " + minImprovementPct);
    }
    this.minImprovementPct = minImprovementPct;
  }

  /** One planned move; {@code mem} is the VM's memory in bytes. */
  public record Migration(long vmid, String name, String from, String to, long mem) {

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("vmid", vmid);
      if (name != null) {
        json.put("name", name);
      }
      return json.put("from", from).put("to", to).put("mem", mem);
    }

    public static Migration fromJson(JsonObject json) {
      long vmid = Numbers.integer(json.getValue("vmid"));
      String from = json.getString("from");
      String to = json.getString("to");
      if (vmid <= 0 || from == null || to == null) {
        throw new IllegalArgumentException("a migration needs vmid, from and to, got " + json.encode());
      }
      return new Migration(vmid, json.getString("name"), from, to, Numbers.integer(json.getValue("mem")));
    }

    public static List<Migration> listFromJson(JsonArray migrations) {
      List<Migration> out = new ArrayList<>();
      if (migrations != null) {
        for (Object entry : migrations) {
          if (!(entry instanceof JsonObject json)) {
            throw new IllegalArgumentException("migrations must be objects, got " + entry);
          }
          out.add(fromJson(json));
        }
      }
      return out;
    }
  }

  /** Memory load per online node in percent (one decimal), and their spread. */
  public record Balance(Map<String, Double> nodes, double spreadPct) {

    public Balance {
      nodes = java.util.Collections.unmodifiableMap(new TreeMap<>(nodes));
    }

    public JsonObject toJson() {
      JsonObject map = new JsonObject();
      nodes.forEach(map::put);
      return new JsonObject().put("nodes", map).put("spread_pct", spreadPct);
    }

    public static Balance fromJson(JsonObject json) {
      if (json == null || !(json.getValue("nodes") instanceof JsonObject map)) {
        throw new IllegalArgumentException("a balance needs {nodes: {node: mem_pct}, spread_pct}, got "
            + (json == null ? "nothing" : json.encode()));
      }
      Map<String, Double> nodes = new LinkedHashMap<>();
      map.forEach(e -> nodes.put(e.getKey(), Numbers.decimal(e.getValue())));
      return new Balance(nodes, Numbers.decimal(json.getValue("spread_pct")));
    }
  }

  /** The moves in order, and the balance before and (as predicted) after them. */
  public record Plan(List<Migration> migrations, Balance before, Balance after) {

    public Plan {
      migrations = List.copyOf(migrations);
    }

    /** The {@code plan_rebalance} output: {migrations, before, after}. */
    public JsonObject toJson() {
      JsonArray list = new JsonArray();
      migrations.forEach(m -> list.add(m.toJson()));
      return new JsonObject().put("migrations", list).put("before", before.toJson()).put("after", after.toJson());
    }
  }

  /** A remediation move off a hot node, or why there is none ({@code migration} null). */
  public record Relief(Migration migration, String reason) {
  }

  /** The memory balance of the online nodes. */
  public static Balance balance(List<ClusterNode> nodes) {
    Map<String, ClusterNode> online = onlineByName(nodes);
    Map<String, Double> pct = new TreeMap<>();
    online.forEach((name, n) -> pct.put(name, Numbers.round1(n.memPct())));
    return new Balance(pct, Numbers.round1(spread(online)));
  }

  /** Plans at most {@code maxMigrations} moves that lower the spread. */
  public Plan plan(List<ClusterNode> nodes, List<ClusterVm> vms, int maxMigrations) {
    if (maxMigrations < 0) {
      throw new IllegalArgumentException("max_migrations must not be negative, got " + maxMigrations);
    }
    Map<String, ClusterNode> load = onlineByName(nodes);
    List<ClusterVm> placed = new ArrayList<>(vms);
    Set<Long> moved = new HashSet<>();
    List<Migration> migrations = new ArrayList<>();
    while (migrations.size() < maxMigrations && load.size() > 1) {
      ClusterNode hottest = load.values().stream().max(Comparator.comparingDouble(ClusterNode::memPct)
          .thenComparing(ClusterNode::node, Comparator.reverseOrder())).orElseThrow();
      ClusterNode coolest = load.values().stream().min(Comparator.comparingDouble(ClusterNode::memPct)
          .thenComparing(ClusterNode::node)).orElseThrow();
      if (hottest.node().equals(coolest.node())) {
        break;
      }
      double spread = spread(load);
      ClusterVm best = null;
      double bestSpread = spread;
      for (ClusterVm vm : candidates(placed, hottest.node(), moved)) {
        if (coolest.mem() + vm.maxmem() > coolest.maxmem()) {
          continue;
        }
        double after = spread(moveLoad(load, hottest.node(), coolest.node(), vm.maxmem()));
        if (after < bestSpread - 1e-9) {
          best = vm;
          bestSpread = after;
        }
      }
      if (best == null || spread - bestSpread < minImprovementPct) {
        break;
      }
      migrations.add(new Migration(best.vmid(), best.name(), hottest.node(), coolest.node(), best.maxmem()));
      load = moveLoad(load, hottest.node(), coolest.node(), best.maxmem());
      placed.set(placed.indexOf(best), best.onNode(coolest.node()));
      moved.add(best.vmid());
    }
    return new Plan(migrations, balance(nodes), balance(new ArrayList<>(load.values())));
  }

  /**
   * One VM to move off {@code hotNode} so it cools down, and where to: among the running VMs there
   * and the other online nodes that can hold them without going over {@code memoryThresholdPct}
   * themselves, prefer the smallest VM whose move brings the hot node to or under the threshold,
   * else the largest one (the most relief one move can give); the target is the node least loaded
   * after the move (ties: by name). When {@code byCpu}, the node is hot by CPU: the VM using the most
   * CPU moves instead, to the node with the least CPU use that can hold it.
   */
  public Relief relieve(List<ClusterNode> nodes, List<ClusterVm> vms, String hotNode, double memoryThresholdPct,
                        boolean byCpu) {
    Map<String, ClusterNode> load = onlineByName(nodes);
    ClusterNode hot = load.get(hotNode);
    if (hot == null) {
      return new Relief(null, hotNode + " is not an online node");
    }
    List<ClusterVm> onHot = candidates(vms, hotNode, Set.of());
    if (onHot.isEmpty()) {
      return new Relief(null, "no running VM on " + hotNode + " to move");
    }
    List<ClusterNode> targets = load.values().stream().filter(n -> !n.node().equals(hotNode)).toList();
    if (targets.isEmpty()) {
      return new Relief(null, "no other online node to move a VM to");
    }
    List<ClusterVm> order;
    if (byCpu) {
      order = onHot.stream().sorted(Comparator.comparingDouble((ClusterVm v) -> v.cpu() * v.cpus()).reversed()
          .thenComparingLong(ClusterVm::vmid)).toList();
    } else {
      List<ClusterVm> enough = onHot.stream()
          .filter(v -> hot.withMem(-v.maxmem()).memPct() <= memoryThresholdPct)
          .sorted(Comparator.comparingLong(ClusterVm::maxmem).thenComparingLong(ClusterVm::vmid)).toList();
      List<ClusterVm> largestFirst = onHot.stream()
          .sorted(Comparator.comparingLong(ClusterVm::maxmem).reversed().thenComparingLong(ClusterVm::vmid)).toList();
      order = new ArrayList<>(enough);
      largestFirst.stream().filter(v -> !enough.contains(v)).forEach(order::add);
    }
    for (ClusterVm vm : order) {
      Comparator<ClusterNode> preference = byCpu
          ? Comparator.comparingDouble(ClusterNode::cpu).thenComparing(ClusterNode::node)
          : Comparator.comparingDouble((ClusterNode n) -> n.withMem(vm.maxmem()).memPct()).thenComparing(ClusterNode::node);
      ClusterNode target = targets.stream()
          .filter(n -> n.mem() + vm.maxmem() <= n.maxmem())
          .filter(n -> n.withMem(vm.maxmem()).memPct() <= memoryThresholdPct)
          .min(preference).orElse(null);
      if (target != null) {
        return new Relief(new Migration(vm.vmid(), vm.name(), hotNode, target.node(), vm.maxmem()), null);
      }
    }
    return new Relief(null, "no other node can take a VM from " + hotNode + " without going over "
        + Numbers.pct(memoryThresholdPct) + "% memory itself (smallest running VM there: "
        + Numbers.mib(onHot.stream().mapToLong(ClusterVm::maxmem).min().orElse(0)) + " MiB)");
  }

  private static List<ClusterVm> candidates(List<ClusterVm> vms, String node, Set<Long> excluded) {
    return vms.stream()
        .filter(v -> node.equals(v.node()) && v.running() && !v.template() && !excluded.contains(v.vmid()))
        .sorted(Comparator.comparingLong(ClusterVm::vmid))
        .toList();
  }

  private static Map<String, ClusterNode> onlineByName(List<ClusterNode> nodes) {
    Map<String, ClusterNode> out = new TreeMap<>();
    for (ClusterNode n : nodes) {
      if (n.online() && n.maxmem() > 0) {
        out.put(n.node(), n);
      }
    }
    return out;
  }

  private static Map<String, ClusterNode> moveLoad(Map<String, ClusterNode> load, String from, String to, long bytes) {
    Map<String, ClusterNode> out = new TreeMap<>(load);
    out.put(from, load.get(from).withMem(-bytes));
    out.put(to, load.get(to).withMem(bytes));
    return out;
  }

  private static double spread(Map<String, ClusterNode> load) {
    if (load.isEmpty()) {
      return 0;
    }
    double max = load.values().stream().mapToDouble(ClusterNode::memPct).max().orElse(0);
    double min = load.values().stream().mapToDouble(ClusterNode::memPct).min().orElse(0);
    return max - min;
  }
}
