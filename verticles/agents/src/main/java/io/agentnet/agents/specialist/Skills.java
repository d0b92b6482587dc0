package io.agentnet.agents.specialist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The skills a specialist knows, by action: the catalogue of docs/ARCHITECTURE.md ("The specialist
 * skills catalogue"), each needing one capability.
 */
public final class Skills {

  private final Map<String, Skill> byAction;
  private final Duration taskWaitTimeout;

  private Skills(Collection<Skill> skills, Duration taskWaitTimeout) {
    Map<String, Skill> map = new TreeMap<>();
    for (Skill skill : skills) {
      if (map.putIfAbsent(skill.action(), skill) != null) {
        throw new IllegalArgumentException("two skills for the action " + skill.action());
      }
    }
    this.byAction = Collections.unmodifiableMap(map);
    this.taskWaitTimeout = taskWaitTimeout;
  }

  /**
   * Every skill of the catalogue. {@code taskWaitTimeout} bounds each wait for a Proxmox task where
   * the step does not say ({@code wait_task} without {@code timeout_seconds}, and the waits inside
   * remove_vm, remediate and execute_migrations); the transport timeout of
   * {@link TaskContext#callTool} must be longer, or a long wait is cut off as a transport failure.
   */
  public static Skills standard(Duration taskWaitTimeout) {
    if (taskWaitTimeout == null || taskWaitTimeout.isNegative() || taskWaitTimeout.isZero()) {
      throw new IllegalArgumentException("the task wait timeout must be positive, got " + taskWaitTimeout);
    }
    List<Skill> all = new ArrayList<>();
    all.addAll(ProvisioningSkills.all(taskWaitTimeout));
    all.addAll(HealthSkills.all(taskWaitTimeout));
    all.addAll(RebalancingSkills.all(taskWaitTimeout));
    all.add(new McpCallSkill());
    return new Skills(all, taskWaitTimeout);
  }

  /** A registry of exactly these skills (tests, or a specialist with skills of its own). */
  public static Skills of(Collection<? extends Skill> skills) {
    return new Skills(List.copyOf(skills), Duration.ofMinutes(2));
  }

  public Optional<Skill> find(String action) {
    return Optional.ofNullable(action == null ? null : byAction.get(action));
  }

  /** Every action, sorted. */
  public Set<String> actions() {
    return Collections.unmodifiableSet(new TreeSet<>(byAction.keySet()));
  }

  /**
   * The capabilities these actions need, sorted.
   *
   * @throws IllegalArgumentException naming an action that is not in the registry
   */
  public Set<String> capabilitiesOf(Collection<String> actions) {
    Set<String> out = new TreeSet<>();
    for (String action : actions) {
      Skill skill = byAction.get(action);
      if (skill == null) {
        throw new IllegalArgumentException("unknown action \"" + action + "\"; known actions: "
            + String.join(", ", byAction.keySet()));
      }
      out.add(skill.capability());
    }
    return out;
  }

  /** The actions an agent with these capabilities can run, sorted. */
  public Set<String> actionsFor(Collection<String> capabilities) {
    Set<String> out = new TreeSet<>();
    byAction.forEach((action, skill) -> {
      if (capabilities.contains(skill.capability())) {
        out.add(action);
      }
    });
    return out;
  }

  /** The capability an action needs, if the action is known. */
  public Optional<String> capabilityOf(String action) {
    return find(action).map(Skill::capability);
  }

  /** The default bound of a wait for a Proxmox task. */
  public Duration taskWaitTimeout() {
    return taskWaitTimeout;
  }
}
