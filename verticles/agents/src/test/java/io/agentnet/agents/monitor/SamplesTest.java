package io.agentnet.agents.monitor;

import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.bridge.message.MetricReport;
import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

class SamplesTest {

  private static final long GIB = 1024L * 1024 * 1024;

  @Test
  void nodesFromListNodes() {
    JsonArray nodes = new JsonArray()
        .add(new JsonObject().put("node", "pve1").put("status", "online").put("cpu", 0.4567).put("maxcpu", 16)
            .put("mem", 48 * GIB).put("maxmem", 64 * GIB).put("disk", 12 * GIB).put("maxdisk", 100 * GIB))
        .add(new JsonObject().put("node", "pve2").put("status", "offline"))
        .add(new JsonObject().put("status", "online"));
    List<Sample> samples = Samples.nodes(nodes);
    assertThat(samples).hasSize(2);
    Sample pve1 = samples.get(0);
    assertThat(pve1.kind()).isEqualTo("node");
    assertThat(pve1.target()).isEqualTo("pve1");
    assertThat(pve1.metrics()).containsExactly(entry("cpu_pct", 45.67), entry("memory_used_pct", 75.0),
        entry("disk_used_pct", 12.0), entry("online", 1.0));
    assertThat(pve1.tags()).containsExactly(entry("node", "pve1"));
    assertThat(samples.get(1).metrics()).as("an offline node has no usage figures").containsOnlyKeys("online")
        .containsEntry("online", 0.0);
  }

  @Test
  void vmsFromListVmsWithoutTemplates() {
    JsonArray vms = new JsonArray()
        .add(new JsonObject().put("vmid", 100).put("name", "web-01").put("node", "pve1").put("status", "running")
            .put("cpu", 0.02).put("mem", GIB).put("maxmem", 2 * GIB))
        .add(new JsonObject().put("vmid", 101).put("name", "db-01").put("node", "pve1").put("status", "stopped")
            .put("cpu", 0).put("mem", 0).put("maxmem", 4 * GIB))
        .add(new JsonObject().put("vmid", 102).put("name", "build-01").put("node", "pve2").put("status", "unknown"))
        .add(new JsonObject().put("vmid", 9000).put("name", "tpl").put("node", "pve1").put("status", "stopped").put("template", 1));
    List<Sample> samples = Samples.vms(vms);
    assertThat(samples).extracting(Sample::target).containsExactly("100", "101", "102");
    assertThat(samples.get(0).metrics()).containsEntry("running", 1.0).containsEntry("cpu_pct", 2.0)
        .containsEntry("memory_used_pct", 50.0);
    assertThat(samples.get(0).tags()).containsEntry("vmid", "100").containsEntry("node", "pve1").containsEntry("name", "web-01");
    assertThat(samples.get(1).metrics()).containsEntry("running", 0.0);
    assertThat(samples.get(2).metrics()).as("PVE does not know: no running figure").doesNotContainKey("running");
  }

  @Test
  void mcpAndAgentSamplesAndTheirReports() {
    Sample up = Samples.mcp("proxmox", true, 3.14159);
    assertThat(up.metrics()).containsEntry("up", 1.0).containsEntry("latency_ms", 3.14);
    assertThat(Samples.mcp("proxmox", false, 5000).metrics()).containsOnlyKeys("up").containsEntry("up", 0.0);

    Instant at = Instant.parse("2025-01-01T12:00:00Z");
    AgentInfo agent = new AgentInfo(new Heartbeat("s1", "general", List.of(), 0.5, AgentStatus.BUSY, at, 2), at, true);
    Sample sample = Samples.agent(agent);
    assertThat(sample.metrics()).containsEntry("load", 0.5).containsEntry("online", 1.0);
    MetricReport report = sample.toReport("monitor-1", at);
    assertThat(report.agentId()).isEqualTo("monitor-1");
    assertThat(report.tags()).containsExactly(entry("kind", "agent"), entry("agent_id", "s1"), entry("agent_type", "general"));
    assertThat(MetricReport.fromJson(report.toJson())).isEqualTo(report);
  }
}
