package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.agentnet.agents.specialist.ClusterJson.GIB;
import static io.agentnet.agents.specialist.ClusterJson.node;
import static io.agentnet.agents.specialist.ClusterJson.nodes;
import static io.agentnet.agents.specialist.ClusterJson.offline;
import static io.agentnet.agents.specialist.ClusterJson.vm;
import static io.agentnet.agents.specialist.ClusterJson.vms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rebalancing plans and hot-node relief on list_nodes / list_vms shaped input, without Vert.x. */
class RebalancePlannerTest {

  private final RebalancePlanner planner = new RebalancePlanner();

  private static RebalancePlanner.Migration move(long vmid, String name, String from, String to, long memGib) {
    return new RebalancePlanner.Migration(vmid, name, from, to, memGib * GIB);
  }

  @Test
  void movesFromTheMostToTheLeastLoadedNodeWhileTheSpreadDrops() {
    RebalancePlanner.Plan plan = planner.plan(ClusterJson.demoNodes(), ClusterJson.demoVms(), 5);
    // pve2 (31.25%) -> pve1 (6.25%, before pve3 by name): spread 25 -> 12.5; then pve1 -> pve2: 9.375.
    // db-01 is stopped and the template never runs, so they stay.
    assertThat(plan.migrations()).containsExactly(move(102, "build-01", "pve2", "pve1", 8), move(100, "web-01", "pve1", "pve2", 2));
    assertThat(plan.before().nodes()).isEqualTo(Map.of("pve1", 6.3, "pve2", 31.3, "pve3", 6.3));
    assertThat(plan.before().spreadPct()).isEqualTo(25.0);
    assertThat(plan.after().nodes()).isEqualTo(Map.of("pve1", 15.6, "pve2", 12.5, "pve3", 6.3));
    assertThat(plan.after().spreadPct()).isEqualTo(9.4);

    JsonObject json = plan.toJson();
    assertThat(json.getJsonArray("migrations").getJsonObject(0)).isEqualTo(new JsonObject().put("vmid", 102L)
        .put("name", "build-01").put("from", "pve2").put("to", "pve1").put("mem", 8 * GIB));
    assertThat(json.getJsonObject("before")).isEqualTo(new JsonObject().put("nodes", new JsonObject().put("pve1", 6.3)
        .put("pve2", 31.3).put("pve3", 6.3)).put("spread_pct", 25.0));
    assertThat(RebalancePlanner.Balance.fromJson(json.getJsonObject("after"))).isEqualTo(plan.after());
  }

  @Test
  void aBalancedClusterGetsNoMigration() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 8, 10 * GIB, 32 * GIB), node("pve2", 0.1, 8, 10 * GIB, 32 * GIB));
    List<ClusterVm> vms = vms(vm(100, "a", "pve1", true, 4 * GIB), vm(101, "b", "pve2", true, 4 * GIB));
    RebalancePlanner.Plan plan = planner.plan(nodes, vms, 5);
    assertThat(plan.migrations()).isEmpty();
    assertThat(plan.after()).isEqualTo(plan.before());
    assertThat(plan.before().spreadPct()).isZero();
  }

  @Test
  void aMoveMustLowerTheSpreadByTheMinimumImprovement() {
    // 40% vs 37.5%: moving the 1 GiB VM would give 36.9% vs 40.6% (spread 3.75, worse than 2.5).
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 8, (long) (12.8 * GIB), 32 * GIB),
        node("pve2", 0.1, 8, 12 * GIB, 32 * GIB));
    List<ClusterVm> vms = vms(vm(100, "small", "pve1", true, GIB));
    assertThat(planner.plan(nodes, vms, 5).migrations()).isEmpty();
    // 50% vs 40.6%: the move gives 46.9% vs 43.8%, a spread 6.25 points lower, so it is planned...
    List<ClusterNode> apart = nodes(node("pve1", 0.1, 8, 16 * GIB, 32 * GIB), node("pve2", 0.1, 8, 13 * GIB, 32 * GIB));
    assertThat(planner.plan(apart, vms, 5).migrations()).hasSize(1);
    // ...but not when 10 points of improvement are asked for.
    assertThat(new RebalancePlanner(10).plan(apart, vms, 5).migrations()).isEmpty();
  }

  @Test
  void theVmThatLowersTheSpreadMostMovesAndTheTargetMustHoldIt() {
    // pve1 at 75% (24 of 32 GiB), pve2 at 25% (8 of 32). Moving 8 GiB evens them out; 16 GiB would overshoot.
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 8, 24 * GIB, 32 * GIB), node("pve2", 0.1, 8, 8 * GIB, 32 * GIB));
    List<ClusterVm> vms = vms(vm(100, "big", "pve1", true, 16 * GIB), vm(101, "mid", "pve1", true, 8 * GIB),
        vm(102, "tiny", "pve1", true, GIB));
    RebalancePlanner.Plan plan = planner.plan(nodes, vms, 5);
    assertThat(plan.migrations()).containsExactly(move(101, "mid", "pve1", "pve2", 8));
    assertThat(plan.after().spreadPct()).isZero();

    // A target with 6 GiB free cannot take the 8 GiB VM: the 1 GiB one moves instead.
    List<ClusterNode> small = nodes(node("pve1", 0.1, 8, 24 * GIB, 32 * GIB), node("pve2", 0.1, 8, 2 * GIB, 8 * GIB));
    List<ClusterVm> bigOnly = vms(vm(101, "mid", "pve1", true, 8 * GIB), vm(102, "tiny", "pve1", true, GIB));
    assertThat(planner.plan(small, bigOnly, 5).migrations()).extracting(RebalancePlanner.Migration::vmid)
        .containsExactly(102L);
  }

  @Test
  void maxMigrationsBoundsThePlanAndOfflineNodesTakeNoPart() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 8, 28 * GIB, 32 * GIB), node("pve2", 0.1, 8, 0, 32 * GIB),
        offline("pve3"));
    List<ClusterVm> vms = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      vms.add(ClusterVm.fromJson(vm(100 + i, "vm" + i, "pve1", true, 4 * GIB)));
    }
    RebalancePlanner.Plan plan = planner.plan(nodes, vms, 2);
    assertThat(plan.migrations()).hasSize(2).allSatisfy(m -> assertThat(m.to()).isEqualTo("pve2"));
    assertThat(plan.before().nodes()).containsOnlyKeys("pve1", "pve2");
    assertThat(planner.plan(nodes, vms, 0).migrations()).isEmpty();
    assertThat(planner.plan(nodes, vms, 10).migrations()).hasSize(3);
    assertThatThrownBy(() -> planner.plan(nodes, vms, -1)).hasMessageContaining("max_migrations must not be negative");
  }

  @Test
  void thePlanIsTheSameWhateverTheOrderOfTheInput() {
    List<ClusterNode> nodes = new ArrayList<>(ClusterJson.demoNodes());
    List<ClusterVm> vms = new ArrayList<>(ClusterJson.demoVms());
    RebalancePlanner.Plan first = planner.plan(nodes, vms, 5);
    Collections.reverse(nodes);
    Collections.reverse(vms);
    assertThat(planner.plan(nodes, vms, 5)).isEqualTo(first);
  }

  @Test
  void reliefMovesTheSmallestVmThatCoolsTheNodeToTheLeastLoadedNode() {
    // pve2 at 93.75% (30 of 32 GiB): moving 4 GiB brings it to 81.25%, 1 GiB is not enough.
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 16, 40 * GIB, 64 * GIB), node("pve2", 0.1, 8, 30 * GIB, 32 * GIB),
        node("pve3", 0.1, 8, 4 * GIB, 32 * GIB));
    List<ClusterVm> vms = vms(vm(100, "small", "pve2", true, GIB), vm(101, "medium", "pve2", true, 4 * GIB),
        vm(102, "large", "pve2", true, 8 * GIB), vm(103, "off", "pve2", false, 2 * GIB));
    RebalancePlanner.Relief relief = planner.relieve(nodes, vms, "pve2", 90, false);
    assertThat(relief.migration()).isEqualTo(move(101, "medium", "pve2", "pve3", 4));
    assertThat(relief.reason()).isNull();
  }

  @Test
  void reliefFallsBackToTheLargestVmAndNeverOverloadsTheTarget() {
    // No single VM brings pve2 (31 of 32 GiB) under 50%: the largest that fits somewhere moves.
    List<ClusterNode> nodes = nodes(node("pve2", 0.1, 8, 31 * GIB, 32 * GIB), node("pve3", 0.1, 8, 4 * GIB, 32 * GIB));
    List<ClusterVm> vms = vms(vm(100, "a", "pve2", true, 2 * GIB), vm(101, "b", "pve2", true, 6 * GIB));
    assertThat(planner.relieve(nodes, vms, "pve2", 50, false).migration()).isEqualTo(move(101, "b", "pve2", "pve3", 6));
    // pve3 (12.5%) would go over 15% with either VM: nothing moves, and the reason says so.
    RebalancePlanner.Relief none = planner.relieve(nodes, vms, "pve2", 15, false);
    assertThat(none.migration()).isNull();
    assertThat(none.reason()).isEqualTo("no other node can take a VM from pve2 without going over 15% memory itself "
        + "(smallest running VM there: 2048 MiB)");
    assertThat(planner.relieve(nodes, vms(vm(100, "a", "pve2", false, GIB)), "pve2", 90, false).reason())
        .isEqualTo("no running VM on pve2 to move");
    assertThat(planner.relieve(nodes(node("pve2", 0.1, 8, 31 * GIB, 32 * GIB)), vms, "pve2", 90, false).reason())
        .isEqualTo("no other online node to move a VM to");
    assertThat(planner.relieve(nodes, vms, "pve9", 90, false).reason()).isEqualTo("pve9 is not an online node");
  }

  @Test
  void aCpuHotNodeShedsItsBusiestVmToTheLeastBusyNode() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.95, 8, 8 * GIB, 32 * GIB), node("pve2", 0.5, 8, 4 * GIB, 32 * GIB),
        node("pve3", 0.2, 8, 20 * GIB, 32 * GIB));
    List<ClusterVm> vms = vms(vm(100, "idle", "pve1", true, 2 * GIB),
        vm(101, "busy", "pve1", true, 2 * GIB).put("cpu", 0.9).put("maxcpu", 4));
    assertThat(planner.relieve(nodes, vms, "pve1", 90, true).migration()).isEqualTo(move(101, "busy", "pve1", "pve3", 2));
  }
}
