package io.agentnet.agents.specialist;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.agentnet.agents.specialist.ClusterJson.GIB;
import static io.agentnet.agents.specialist.ClusterJson.MIB;
import static io.agentnet.agents.specialist.ClusterJson.node;
import static io.agentnet.agents.specialist.ClusterJson.nodes;
import static io.agentnet.agents.specialist.ClusterJson.offline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Placement decisions on list_nodes-shaped input, without Vert.x. */
class PlacementValidatorTest {

  private final PlacementValidator validator = new PlacementValidator();

  private static PlacementValidator.Request request(int cores, long memoryMb, long diskGb, String node) {
    return new PlacementValidator.Request(cores, memoryMb, diskGb, node, null);
  }

  @Test
  void aNamedNodeWithRoomFitsAndReportsWhatItHasFree() {
    PlacementValidator.Decision d = validator.validate(ClusterJson.demoNodes(), Map.of(), request(2, 4096, 32, "pve2"));
    assertThat(d.fits()).isTrue();
    assertThat(d.node()).isEqualTo("pve2");
    assertThat(d.free()).isEqualTo(new PlacementValidator.Free(8, 22 * 1024, 88));
    assertThat(d.reason()).startsWith("pve2 fits 2 cores, 4096 MiB memory, 32 GiB disk: 22528 MiB memory free");
    JsonObject json = d.toJson();
    assertThat(json.getString("node")).isEqualTo("pve2");
    assertThat(json.getBoolean("fits")).isTrue();
    assertThat(json.getJsonObject("requested")).isEqualTo(new JsonObject().put("cores", 2).put("memory_mb", 4096L)
        .put("disk_gb", 32L));
    assertThat(json.getJsonObject("free").getLong("memory_mb")).isEqualTo(22528L);
  }

  @Test
  void aNamedNodeShortOfMemoryNamesTheNodeAndTheShortfall() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 16, 10 * GIB, 64 * GIB), node("pve2", 0.1, 8, 31 * GIB, 32 * GIB));
    PlacementValidator.Decision d = validator.validate(nodes, Map.of(), request(2, 4096, 32, "pve2"));
    assertThat(d.fits()).isFalse();
    assertThat(d.node()).isEqualTo("pve2");
    assertThat(d.reason()).isEqualTo("pve2 has 1024 MiB memory free, 4096 MiB requested");
  }

  @Test
  void everyShortfallOfANodeIsNamed() {
    PlacementValidator.Decision d = validator.validate(ClusterJson.demoNodes(), Map.of(), request(12, 30 * 1024, 500, "pve3"));
    assertThat(d.fits()).isFalse();
    // 30 GiB asked, 30 GiB free: memory is no shortfall; the cores and the disk are.
    assertThat(d.reason()).isEqualTo("pve3 has 8 CPU cores, 12 requested; pve3 has 88 GiB disk free, 500 GiB requested");
  }

  @Test
  void anOfflineOrUnknownNodeIsNotUsable() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 16, 4 * GIB, 64 * GIB), offline("pve3"));
    PlacementValidator.Decision off = validator.validate(nodes, Map.of(), request(1, 512, 8, "pve3"));
    assertThat(off.fits()).isFalse();
    assertThat(off.reason()).isEqualTo("pve3 is offline and cannot take a VM");
    PlacementValidator.Decision unknown = validator.validate(nodes, Map.of(), request(1, 512, 8, "pve9"));
    assertThat(unknown.fits()).isFalse();
    assertThat(unknown.reason()).isEqualTo("node pve9 is not in the cluster (nodes: pve1, pve3)");
    assertThat(validator.validate(List.of(), Map.of(), request(1, 512, 8, null)).reason())
        .isEqualTo("the cluster reports no nodes");
  }

  @Test
  void withoutANodeTheOnlineNodeWithTheMostFreeMemoryThatFitsIsChosen() {
    List<ClusterNode> nodes = nodes(offline("pve0"), node("pve1", 0.1, 4, 60 * GIB, 64 * GIB),
        node("pve2", 0.1, 8, 10 * GIB, 32 * GIB), node("pve3", 0.1, 8, 20 * GIB, 32 * GIB));
    // pve1 has 4 GiB free but only 4 cores; pve2 has the most free memory.
    PlacementValidator.Decision d = validator.validate(nodes, Map.of(), request(2, 2048, 32, null));
    assertThat(d.fits()).isTrue();
    assertThat(d.node()).isEqualTo("pve2");
    assertThat(d.reason()).startsWith("pve2 has the most free memory of the 3 nodes that fit");
    // Six cores rule pve1 out; pve2 still wins.
    assertThat(validator.validate(nodes, Map.of(), request(6, 2048, 32, null)).node()).isEqualTo("pve2");
    // 16 GiB: only pve2 (22 GiB free) fits.
    PlacementValidator.Decision big = validator.validate(nodes, Map.of(), request(2, 16 * 1024, 32, null));
    assertThat(big.node()).isEqualTo("pve2");
    assertThat(big.reason()).contains("of the 1 node that fit");
  }

  @Test
  void equalNodesAreChosenByName() {
    List<ClusterNode> nodes = nodes(node("pve3", 0.1, 8, 2 * GIB, 32 * GIB), node("pve2", 0.1, 8, 2 * GIB, 32 * GIB));
    assertThat(validator.validate(nodes, Map.of(), request(1, 1024, 8, null)).node()).isEqualTo("pve2");
  }

  @Test
  void whenNothingFitsEveryNodeSaysWhy() {
    List<ClusterNode> nodes = nodes(node("pve1", 0.1, 16, 63 * GIB, 64 * GIB), node("pve2", 0.1, 8, 31 * GIB, 32 * GIB),
        offline("pve3"));
    PlacementValidator.Decision d = validator.validate(nodes, Map.of(), request(2, 4096, 32, null));
    assertThat(d.fits()).isFalse();
    assertThat(d.node()).isNull();
    assertThat(d.reason()).isEqualTo("no node can take 2 cores, 4096 MiB memory, 32 GiB disk: "
        + "pve1 has 1024 MiB memory free, 4096 MiB requested; pve2 has 1024 MiB memory free, 4096 MiB requested; "
        + "pve3 is offline and cannot take a VM");
    assertThat(d.toJson().containsKey("node")).isFalse();
    assertThat(d.toJson().getBoolean("fits")).isFalse();
  }

  @Test
  void aNamedStorageDecidesTheDiskSpace() {
    List<ClusterNode> nodes = ClusterJson.demoNodes();
    Map<String, Long> localLvm = Map.of("pve1", 10 * GIB, "pve2", 700 * GIB);
    PlacementValidator.Request onLvm = new PlacementValidator.Request(2, 2048, 200, null, "local-lvm");
    PlacementValidator.Decision d = validator.validate(nodes, localLvm, onLvm);
    // The root disk (88 GiB free) would not hold 200 GiB, the storage on pve2 does; pve3 does not have it.
    assertThat(d.node()).isEqualTo("pve2");
    assertThat(d.free().diskGb()).isEqualTo(700);
    PlacementValidator.Decision pve1 = validator.validate(nodes, localLvm,
        new PlacementValidator.Request(2, 2048, 200, "pve1", "local-lvm"));
    assertThat(pve1.reason()).isEqualTo("pve1 has 10 GiB disk free on local-lvm, 200 GiB requested");
    assertThat(validator.validate(nodes, localLvm, new PlacementValidator.Request(1, 512, 1, "pve3", "local-lvm")).reason())
        .isEqualTo("pve3 has no storage local-lvm");
  }

  @Test
  void numbersAsStringsAreReadAndBadRequestsRefused() {
    JsonObject stringy = new JsonObject().put("node", "pve1").put("status", "online").put("maxcpu", "4")
        .put("mem", String.valueOf(GIB)).put("maxmem", String.valueOf(4 * GIB)).put("disk", "0").put("maxdisk",
            String.valueOf(50 * GIB)).put("cpu", "0.5");
    PlacementValidator.Decision d = validator.validate(nodes(stringy), Map.of(), request(4, 3072, 50, "pve1"));
    assertThat(d.fits()).isTrue();
    assertThat(d.free()).isEqualTo(new PlacementValidator.Free(4, 3 * 1024, 50));
    assertThat(PlacementValidator.free(ClusterNode.fromJson(stringy), null, request(1, 1, 1, null)).memoryMb())
        .isEqualTo(3 * GIB / MIB);
    assertThatThrownBy(() -> request(0, 512, 8, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cores must be at least 1, got 0");
    assertThatThrownBy(() -> request(1, 0, 8, null)).hasMessageContaining("memory_mb must be at least 1");
  }
}
