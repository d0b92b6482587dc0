package io.agentnet.agents.orchestrator;

import io.agentnet.agents.orchestrator.Scheduler.Candidate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerTest {

  private static final Set<String> GENERAL = Set.of("general", "validation", "provisioning", "diagnosis");
  private final Scheduler scheduler = new Scheduler();

  private static Candidate agent(String id, int capacity, int inFlight, double load) {
    return new Candidate(id, GENERAL, capacity, inFlight, load, true);
  }

  private Optional<String> pick(String capability, List<Candidate> candidates, Set<String> avoid) {
    return scheduler.pick(capability, candidates, avoid).map(Candidate::agentId);
  }

  @Test
  void leastLoadedByTheLargerOfOwnShareAndReportedLoad() {
    List<Candidate> agents = List.of(
        agent("a", 4, 2, 0.1),   // 0.5 by count
        agent("b", 4, 1, 0.9),   // 0.9 reported
        agent("c", 4, 1, 0.2));  // 0.25
    assertThat(pick("provisioning", agents, Set.of())).contains("c");
  }

  @Test
  void tiesGoToFewerInFlightThenAgentId() {
    assertThat(pick("general", List.of(agent("a", 4, 2, 0.5), agent("b", 2, 1, 0.5)), Set.of())).contains("b");
    assertThat(pick("general", List.of(agent("z", 2, 0, 0.0), agent("m", 2, 0, 0.0)), Set.of())).contains("m");
  }

  @Test
  void capacityIsNeverExceeded() {
    Map<String, Candidate> view = new HashMap<>();
    view.put("a", agent("a", 2, 0, 0.0));
    view.put("b", agent("b", 1, 0, 0.0));
    view.put("u", agent("u", 0, 0, 0.0)); // unknown capacity: one at a time
    List<String> picked = new ArrayList<>();
    Optional<Candidate> next;
    while ((next = scheduler.pick("general", view.values(), Set.of())).isPresent()) {
      picked.add(next.get().agentId());
      view.put(next.get().agentId(), next.get().withOneMore());
    }
    assertThat(picked).hasSize(4);
    assertThat(picked.stream().filter("a"::equals)).hasSize(2);
    assertThat(picked.stream().filter("b"::equals)).hasSize(1);
    assertThat(picked.stream().filter("u"::equals)).hasSize(1);
    assertThat(view.values()).allSatisfy(c -> assertThat(c.inFlight()).isLessThanOrEqualTo(c.effectiveCapacity()));
  }

  @Test
  void nobodyWithTheCapability() {
    List<Candidate> agents = List.of(new Candidate("ml", Set.of("general", "metrics"), 4, 0, 0.0, true));
    assertThat(scheduler.pick("provisioning", agents, Set.of())).isEmpty();
    assertThat(scheduler.pick("metrics", agents, Set.of())).isPresent();
    assertThat(scheduler.pick("metrics", List.of(), Set.of())).isEmpty();
  }

  @Test
  void ineligibleAgentsAreSkipped() {
    List<Candidate> agents = List.of(
        new Candidate("draining", GENERAL, 4, 0, 0.0, false),
        agent("busy", 4, 3, 0.7));
    assertThat(pick("general", agents, Set.of())).contains("busy");
    assertThat(pick("general", List.of(agents.get(0)), Set.of())).isEmpty();
  }

  @Test
  void avoidIsHonouredThenRelaxed() {
    List<Candidate> agents = List.of(agent("failed", 4, 0, 0.0), agent("other", 4, 3, 0.8));
    assertThat(pick("general", agents, Set.of("failed"))).contains("other");
    // the other one is full: the agent to avoid is still better than nobody
    List<Candidate> full = List.of(agent("failed", 4, 0, 0.0), agent("other", 4, 4, 0.8));
    assertThat(pick("general", full, Set.of("failed"))).contains("failed");
    assertThat(pick("general", List.of(agent("failed", 1, 1, 0.0)), Set.of("failed"))).isEmpty();
    assertThat(pick("general", agents, null)).contains("failed");
  }

  @Test
  void candidatesCheckTheirNumbers() {
    assertThatThrownBy(() -> new Candidate("a", GENERAL, -1, 0, 0, true))
        .hasMessage("capacity and inFlight must be >= 0, got -1 and 0 for a");
    assertThat(agent("a", 0, 0, 0.0).effectiveCapacity()).isEqualTo(1);
    assertThat(agent("a", 3, 1, 0.0).score()).isEqualTo(1.0 / 3);
  }
}
