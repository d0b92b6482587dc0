package io.agentnet.runtime.registry;

import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.agentnet.runtime.registry.AgentRegistry.Kind;
import io.agentnet.runtime.registry.AgentRegistry.Transition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentRegistryTest {

  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");

  private final AgentRegistry registry = new AgentRegistry(INTERVAL);

  private static Heartbeat hb(String id, AgentStatus status, Instant at, String... capabilities) {
    return new Heartbeat(id, "general", List.of(capabilities), 0.25, status, at, 4);
  }

  private static Heartbeat mcp(String id, Instant at, String... capabilities) {
    return new Heartbeat(id, "mcp-server", List.of(capabilities), 0.0, AgentStatus.AVAILABLE, at);
  }

  @Test
  void aNewAgentComesOnlineWithItsHeartbeatDetails() {
    Optional<Transition> t = registry.observe(hb("s1", AgentStatus.AVAILABLE, T0, "diagnosis"), T0);
    assertThat(t).hasValueSatisfying(tr -> {
      assertThat(tr.kind()).isEqualTo(Kind.ONLINE);
      assertThat(tr.agentId()).isEqualTo("s1");
      assertThat(tr.reason()).contains("first heartbeat");
    });
    AgentInfo info = registry.agent("s1").orElseThrow();
    assertThat(info.online()).isTrue();
    assertThat(info.agentType()).isEqualTo("general");
    assertThat(info.capabilities()).containsExactly("diagnosis");
    assertThat(info.load()).isEqualTo(0.25);
    assertThat(info.capacity()).isEqualTo(4);
    assertThat(info.status()).isEqualTo(AgentStatus.AVAILABLE);
    assertThat(info.lastSeen()).isEqualTo(T0);
    assertThat(info.toJson().getString("status")).isEqualTo("available");
    assertThat(info.toJson().getString("last_seen")).isEqualTo(T0.toString());
    assertThat(registry.online("s1")).isTrue();
    assertThat(registry.online("nobody")).isFalse();

    assertThat(registry.observe(hb("s1", AgentStatus.BUSY, T0.plusSeconds(30), "diagnosis"), T0.plusSeconds(30)))
        .as("a further heartbeat changes nothing worth announcing").isEmpty();
    assertThat(registry.agent("s1").orElseThrow().status()).isEqualTo(AgentStatus.BUSY);
  }

  @Test
  void offlineAfterExactlyThreeMissedBeats() {
    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0), T0);
    Instant justBefore = T0.plus(INTERVAL.multipliedBy(3)).minusMillis(1);
    assertThat(registry.sweep(justBefore)).as("two beats and a bit missed").isEmpty();
    assertThat(registry.online("s1")).isTrue();

    List<Transition> swept = registry.sweep(T0.plus(INTERVAL.multipliedBy(3)));
    assertThat(swept).singleElement().satisfies(t -> {
      assertThat(t.kind()).isEqualTo(Kind.OFFLINE);
      assertThat(t.agentId()).isEqualTo("s1");
      assertThat(t.reason()).isEqualTo("no heartbeat for 90 s (3 missed)");
      assertThat(t.agent().online()).isFalse();
      assertThat(t.agent().status()).isEqualTo(AgentStatus.OFFLINE);
      assertThat(t.agent().load()).isZero();
    });
    assertThat(registry.online("s1")).isFalse();
    assertThat(registry.sweep(T0.plus(INTERVAL.multipliedBy(5)))).as("offline is announced once").isEmpty();
  }

  @Test
  void aHeartbeatAfterOfflineBringsTheAgentBack() {
    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0), T0);
    registry.sweep(T0.plusSeconds(92));
    Instant back = T0.plusSeconds(100);
    assertThat(registry.observe(hb("s1", AgentStatus.AVAILABLE, back), back)).hasValueSatisfying(t -> {
      assertThat(t.kind()).isEqualTo(Kind.ONLINE);
      assertThat(t.reason()).contains("again after 100 s");
    });
    assertThat(registry.online("s1")).isTrue();
  }

  @Test
  void anOfflineHeartbeatIsOfflineAtOnce() {
    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0), T0);
    Optional<Transition> t = registry.observe(hb("s1", AgentStatus.OFFLINE, T0.plusSeconds(5)), T0.plusSeconds(5));
    assertThat(t).hasValueSatisfying(tr -> {
      assertThat(tr.kind()).isEqualTo(Kind.OFFLINE);
      assertThat(tr.reason()).contains("announced");
    });
    assertThat(registry.online("s1")).isFalse();
    assertThat(registry.sweep(T0.plusSeconds(500))).as("not announced twice").isEmpty();
    assertThat(registry.observe(hb("s2", AgentStatus.OFFLINE, T0), T0)).as("never seen online").isEmpty();
    assertThat(registry.agent("s2")).hasValueSatisfying(a -> assertThat(a.online()).isFalse());
  }

  @Test
  void drainingIsAnnouncedOnceWhenTheStatusTurns() {
    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0), T0);
    assertThat(registry.observe(hb("s1", AgentStatus.DRAINING, T0.plusSeconds(1)), T0.plusSeconds(1)))
        .hasValueSatisfying(t -> assertThat(t.kind()).isEqualTo(Kind.DRAINING));
    assertThat(registry.observe(hb("s1", AgentStatus.DRAINING, T0.plusSeconds(2)), T0.plusSeconds(2))).isEmpty();
    assertThat(registry.agent("s1").orElseThrow().status()).isEqualTo(AgentStatus.DRAINING);
    assertThat(registry.online("s1")).as("draining agents are still online").isTrue();
  }

  @Test
  void heartbeatsNotNewerThanTheLastAreIgnored() {
    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0.plusSeconds(10)), T0.plusSeconds(10));
    registry.observe(hb("s1", AgentStatus.OFFLINE, T0.plusSeconds(20)), T0.plusSeconds(20));
    // A late delivery of an older beat must not bring the agent back nor refresh it.
    assertThat(registry.observe(hb("s1", AgentStatus.AVAILABLE, T0.plusSeconds(15)), T0.plusSeconds(25))).isEmpty();
    assertThat(registry.online("s1")).isFalse();
    assertThat(registry.agent("s1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(20));
    // A duplicate of the last one changes nothing either.
    assertThat(registry.observe(hb("s1", AgentStatus.AVAILABLE, T0.plusSeconds(20)), T0.plusSeconds(26))).isEmpty();
    assertThat(registry.online("s1")).isFalse();
  }

  @Test
  void aStaleStoredHeartbeatObservedAtItsTimestampIsOfflineAtTheFirstSweep() {
    Instant old = T0.minusSeconds(600);
    registry.observe(hb("gone", AgentStatus.AVAILABLE, old), old);
    registry.observe(hb("here", AgentStatus.AVAILABLE, T0.minusSeconds(10)), T0.minusSeconds(10));
    assertThat(registry.sweep(T0)).extracting(Transition::agentId).containsExactly("gone");
    assertThat(registry.online("here")).isTrue();
  }

  @Test
  void capabilitiesListOnlyOnlineAgents() {
    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0, "diagnosis", "validation"), T0);
    registry.observe(hb("s2", AgentStatus.BUSY, T0, "diagnosis"), T0);
    registry.observe(hb("s3", AgentStatus.AVAILABLE, T0, "validation"), T0);
    registry.observe(hb("s2", AgentStatus.OFFLINE, T0.plusSeconds(1)), T0.plusSeconds(1));
    assertThat(registry.withCapability("diagnosis")).extracting(AgentInfo::agentId).containsExactly("s1");
    assertThat(registry.withCapability("validation")).extracting(AgentInfo::agentId).containsExactly("s1", "s3");
    assertThat(registry.withCapability("nothing")).isEmpty();
    assertThat(registry.agents()).extracting(AgentInfo::agentId).containsExactly("s1", "s2", "s3");
  }

  @Test
  void mcpToolsViewMergesReplicasAndDropsOfflineServers() {
    registry.observe(mcp("px-1", T0, "mcp:proxmox", "mcp:proxmox/list_vms", "mcp:proxmox/list_nodes"), T0);
    registry.observe(mcp("px-2", T0, "mcp:proxmox", "mcp:proxmox/start_vm"), T0);
    registry.observe(mcp("fs-1", T0, "mcp:filesystem", "mcp:filesystem/read_file"), T0);
    registry.observe(mcp("empty-1", T0, "mcp:empty"), T0);
    // Not MCP servers, or not MCP capabilities: left out.
    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0, "mcp:fake/tool"), T0);
    registry.observe(mcp("odd-1", T0, "diagnosis", "mcp:", "mcp:/x"), T0);

    Map<String, List<String>> servers = registry.mcpServers();
    assertThat(servers).containsOnlyKeys("empty", "filesystem", "proxmox");
    assertThat(servers.get("proxmox")).containsExactly("list_nodes", "list_vms", "start_vm");
    assertThat(servers.get("filesystem")).containsExactly("read_file");
    assertThat(servers.get("empty")).isEmpty();

    registry.observe(new Heartbeat("fs-1", "mcp-server", List.of("mcp:filesystem"), 0, AgentStatus.OFFLINE,
        T0.plusSeconds(1)), T0.plusSeconds(1));
    assertThat(registry.mcpServers()).doesNotContainKey("filesystem");
  }

  @Test
  void offlineAgentsAreForgottenAfterAWhileAndOnRequest() {
    AgentRegistry shortMemory = new AgentRegistry(INTERVAL, Duration.ofMinutes(10));
    shortMemory.observe(hb("s1", AgentStatus.AVAILABLE, T0), T0);
    shortMemory.observe(hb("s2", AgentStatus.AVAILABLE, T0), T0);
    shortMemory.sweep(T0.plusSeconds(90));
    assertThat(shortMemory.agents()).hasSize(2);
    shortMemory.sweep(T0.plusSeconds(90 + 601));
    assertThat(shortMemory.agents()).isEmpty();

    registry.observe(hb("s1", AgentStatus.AVAILABLE, T0), T0);
    registry.forget("s1");
    assertThat(registry.agent("s1")).isEmpty();
    assertThat(registry.observe(hb("s1", AgentStatus.AVAILABLE, T0), T0)).as("new again")
        .hasValueSatisfying(t -> assertThat(t.kind()).isEqualTo(Kind.ONLINE));
  }

  @Test
  void rejectsANonPositiveInterval() {
    assertThatThrownBy(() -> new AgentRegistry(Duration.ZERO)).hasMessageContaining("must be positive");
  }

  @Test
  void shortSilencesAreReportedWithATenth() {
    assertThat(AgentRegistry.seconds(Duration.ofMillis(650))).isEqualTo("0.7 s");
    assertThat(AgentRegistry.seconds(Duration.ofMillis(92_400))).isEqualTo("92 s");
  }
}
