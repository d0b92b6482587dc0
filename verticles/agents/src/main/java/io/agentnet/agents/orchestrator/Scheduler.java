package io.agentnet.agents.orchestrator;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the agent for a task: among the agents that have the capability, are eligible and have
 * room ({@code inFlight < capacity}), the least loaded, where load is the larger of the share of
 * capacity in use and the load the agent reports; then fewer tasks in flight; then agent id, so
 * the same view always gives the same answer. Agents in {@code avoid} (e.g. the one whose attempt
 * just failed) are chosen only when nobody else qualifies. Stateless; the caller keeps the view
 * current (see {@link Candidate#withOneMore()} between picks of one round).
 */
public final class Scheduler {

  private static final Comparator<Candidate> LEAST_LOADED = Comparator
      .comparingDouble(Candidate::score)
      .thenComparingInt(Candidate::inFlight)
      .thenComparing(Candidate::agentId);

  /**
   * An agent as the scheduler sees it.
   *
   * @param capacity     how many tasks it runs at once; 0 means not reported, taken as 1
   * @param reportedLoad the load from its last heartbeat, 0.0 to 1.0
   * @param eligible     it may take work: status available or busy, online, its circuit closed
   */
  public record Candidate(String agentId, Set<String> capabilities, int capacity, int inFlight, double reportedLoad,
      boolean eligible) {

    public Candidate {
      if (agentId == null || agentId.isBlank()) {
        throw new IllegalArgumentException("agentId must not be blank");
      }
      capabilities = Set.copyOf(capabilities);
      if (capacity < 0 || inFlight < 0) {
        throw new IllegalArgumentException("capacity and inFlight must be >= 0, got " + capacity + " and " + inFlight
            + " for " + agentId);
      }
    }

    /** The capacity to plan with: an agent that did not report one runs one task at a time. */
    public int effectiveCapacity() {
      return capacity == 0 ? 1 : capacity;
    }

    public boolean hasRoom() {
      return inFlight < effectiveCapacity();
    }

    /** {@code max(inFlight / capacity, reportedLoad)}: what the agent is busy with, by our count or its own. */
    public double score() {
      return Math.max((double) inFlight / effectiveCapacity(), reportedLoad);
    }

    /** The same agent after one more task was handed to it. */
    public Candidate withOneMore() {
      return new Candidate(agentId, capabilities, capacity, inFlight + 1, reportedLoad, eligible);
    }
  }

  /**
   * @param avoid agents to pass over while anyone else qualifies; may be empty
   * @return empty when no eligible agent with the capability has room
   */
  public Optional<Candidate> pick(String capability, Collection<Candidate> candidates, Set<String> avoid) {
    List<Candidate> qualified = candidates.stream()
        .filter(c -> c.eligible() && c.capabilities().contains(capability) && c.hasRoom())
        .sorted(LEAST_LOADED)
        .toList();
    Set<String> passOver = avoid == null ? Set.of() : avoid;
    return qualified.stream().filter(c -> !passOver.contains(c.agentId())).findFirst()
        .or(() -> qualified.stream().findFirst());
  }
}
