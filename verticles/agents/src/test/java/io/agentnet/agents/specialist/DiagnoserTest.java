package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.agentnet.agents.specialist.ClusterJson.GIB;
import static io.agentnet.agents.specialist.ClusterJson.node;
import static io.agentnet.agents.specialist.ClusterJson.nodes;
import static io.agentnet.agents.specialist.ClusterJson.offline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Findings from list_nodes / list_vms shaped input, without Vert.x. */
class DiagnoserTest {

  private final Diagnoser diagnoser = new Diagnoser();
  private final Diagnoser.Thresholds defaults = Diagnoser.Thresholds.DEFAULT;

  private Diagnoser.Diagnosis diagnose(List<ClusterNode> nodes, Diagnoser.Focus focus) {
    return diagnoser.diagnose(nodes, ClusterJson.demoVms(), focus, defaults);
  }

  @Test
  void aQuietClusterIsHealthy() {
    Diagnoser.Diagnosis d = diagnose(ClusterJson.demoNodes(), Diagnoser.Focus.all());
    assertThat(d.healthy()).isTrue();
    assertThat(d.summary()).isEqualTo("healthy: 3 nodes and 0 VMs checked");
    assertThat(d.toJson()).isEqualTo(new JsonObject().put("healthy", true).put("findings", new JsonArray())
        .put("summary", "healthy: 3 nodes and 0 VMs checked"));
  }

  @Test
  void theVmAskedAboutIsStoppedOrNot() {
    Diagnoser.Diagnosis stopped = diagnose(ClusterJson.demoNodes(), new Diagnoser.Focus(null, 101L, Set.of()));
    assertThat(stopped.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo("vm_stopped");
      assertThat(f.node()).isEqualTo("pve1");
      assertThat(f.vmid()).isEqualTo(101L);
      assertThat(f.message()).isEqualTo("VM 101 (db-01) on pve1 is stopped: start it (start_vm), and look at its log "
          + "if it stopped on its own");
    });
    assertThat(stopped.summary()).isEqualTo("1 finding (3 nodes and 1 VM checked): VM 101 (db-01) on pve1 is stopped");
    assertThat(diagnose(ClusterJson.demoNodes(), new Diagnoser.Focus(null, 100L, Set.of())).healthy()).isTrue();
  }

  @Test
  void withoutAVmOnlyTheVmsTheAlertNamesAreChecked() {
    JsonObject alert = new JsonObject().put("rule", "vm_down").put("target", "qemu/101").put("message", "VM down");
    Set<Long> named = Diagnoser.vmidsNamedBy(alert);
    assertThat(named).containsExactly(101L);
    Diagnoser.Diagnosis d = diagnose(ClusterJson.demoNodes(), new Diagnoser.Focus(null, null, named));
    assertThat(d.findings()).extracting(Diagnoser.Finding::vmid).containsExactly(101L);
    // db-01 is stopped too, but nobody asked: stopped on purpose is normal.
    assertThat(diagnose(ClusterJson.demoNodes(), Diagnoser.Focus.all()).findings()).isEmpty();
    // A template is never "stopped".
    assertThat(diagnose(ClusterJson.demoNodes(), new Diagnoser.Focus(null, null, Set.of(9000L))).healthy()).isTrue();
  }

  @Test
  void alertsNameVmsInSeveralWays() {
    assertThat(Diagnoser.vmidsNamedBy(new JsonObject().put("vmid", 100))).containsExactly(100L);
    assertThat(Diagnoser.vmidsNamedBy(new JsonObject().put("data", new JsonObject().put("vmid", "102"))))
        .containsExactly(102L);
    assertThat(Diagnoser.vmidsNamedBy(new JsonObject().put("target", "vm:100 and VM/101"))).containsExactly(100L, 101L);
    assertThat(Diagnoser.vmidsNamedBy(new JsonObject().put("target", "pve2"))).isEmpty();
    assertThat(Diagnoser.vmidsNamedBy(new JsonObject().put("target", "mvm100"))).isEmpty();
    assertThat(Diagnoser.vmidsNamedBy(null)).isEmpty();
  }

  @Test
  void aNodeAboveTheMemoryThresholdIsFoundWithItsFigures() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.03, 16, 4 * GIB, 64 * GIB), node("pve2", 0.2, 8, 30 * GIB, 32 * GIB));
    Diagnoser.Diagnosis d = diagnose(nodes, Diagnoser.Focus.all());
    assertThat(d.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo("node_memory_high");
      assertThat(f.node()).isEqualTo("pve2");
      assertThat(f.vmid()).isNull();
      assertThat(f.value()).isEqualTo(93.8);
      assertThat(f.threshold()).isEqualTo(90.0);
      assertThat(f.message()).isEqualTo("pve2 memory at 93.8% (30720 of 32768 MiB), above the 90% threshold: "
          + "move a VM off it or free memory");
    });
    JsonObject json = d.findings().get(0).toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("kind", "node", "value", "threshold", "message");
    // Exactly at the threshold is not above it; a lower threshold finds it.
    List<ClusterNode> atNinety = nodes(node("pve1", 0.03, 16, (long) (57.6 * GIB), 64 * GIB));
    assertThat(diagnose(atNinety, Diagnoser.Focus.all()).healthy()).isTrue();
    assertThat(diagnoser.diagnose(atNinety, List.of(), Diagnoser.Focus.all(), new Diagnoser.Thresholds(80, 90))
        .findings()).extracting(Diagnoser.Finding::kind).containsExactly("node_memory_high");
  }

  @Test
  void cpuAndOfflineNodesAreFound() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.97, 16, 4 * GIB, 64 * GIB), offline("pve3"));
    Diagnoser.Diagnosis d = diagnose(nodes, Diagnoser.Focus.all());
    assertThat(d.findings()).extracting(Diagnoser.Finding::kind).containsExactly("node_cpu_high", "node_offline");
    assertThat(d.findings().get(0).message()).isEqualTo("pve1 CPU at 97% of 16 cores, above the 90% threshold: "
        + "move a VM off it or reduce its load");
    assertThat(d.findings().get(0).value()).isEqualTo(97.0);
    assertThat(d.findings().get(1).message()).startsWith("pve3 is offline: its VMs are unavailable until it is back");
    assertThat(d.summary()).isEqualTo("2 findings (2 nodes and 0 VMs checked): pve1 CPU at 97% of 16 cores, above the "
        + "90% threshold; pve3 is offline");
  }

  @Test
  void aFocusNodeLimitsTheNodeFindings() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.97, 16, 4 * GIB, 64 * GIB), node("pve2", 0.99, 8, 31 * GIB, 32 * GIB));
    Diagnoser.Diagnosis d = diagnose(nodes, new Diagnoser.Focus("pve2", null, Set.of()));
    assertThat(d.findings()).extracting(Diagnoser.Finding::node).containsOnly("pve2");
    assertThat(d.findings()).extracting(Diagnoser.Finding::kind).containsExactly("node_memory_high", "node_cpu_high");
  }

  @Test
  void somethingAskedAboutThatIsNotThereIsAnError() {
    assertThatThrownBy(() -> diagnose(ClusterJson.demoNodes(), new Diagnoser.Focus(null, 555L, Set.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VM 555 is not in the cluster (list_vms shows the VMs there are)");
    assertThatThrownBy(() -> diagnose(ClusterJson.demoNodes(), new Diagnoser.Focus("pve9", null, Set.of())))
        .hasMessage("node pve9 is not in the cluster (nodes: pve1, pve2, pve3)");
    assertThatThrownBy(() -> new Diagnoser.Thresholds(0, 90)).hasMessageContaining("above 0 and at most 100");
  }

  @Test
  void findingsTravelAsJsonAndMatchTheSameProblem() {
    Diagnoser.Finding hot = new Diagnoser.Finding("node_memory_high", "pve2", null, 93.8, 90.0, "pve2 memory at 93.8%");
    Diagnoser.Finding back = Diagnoser.Finding.fromJson(hot.toJson());
    assertThat(back).isEqualTo(hot);
    assertThat(hot.sameProblem(new Diagnoser.Finding("node_memory_high", "pve2", null, 95.0, 90.0, "x"))).isTrue();
    assertThat(hot.sameProblem(new Diagnoser.Finding("node_memory_high", "pve1", null, 95.0, 90.0, "x"))).isFalse();
    assertThat(hot.sameProblem(new Diagnoser.Finding("node_cpu_high", "pve2", null, 95.0, 90.0, "x"))).isFalse();
    Diagnoser.Finding stopped = new Diagnoser.Finding("vm_stopped", "pve1", 100L, null, null, "m");
    assertThat(stopped.sameProblem(new Diagnoser.Finding("vm_stopped", "pve3", 100L, null, null, "m")))
        .as("a VM that moved is still the same VM").isTrue();
    assertThatThrownBy(() -> Diagnoser.Finding.fromJson(new JsonObject().put("kind", "disk_full")))
        .hasMessageContaining("vm_stopped, node_memory_high, node_cpu_high, node_offline, got \"disk_full\"");
    assertThat(Diagnoser.Finding.listFromJson(new JsonArray().add(hot.toJson()).add(stopped.toJson()))).hasSize(2);
  }
}
