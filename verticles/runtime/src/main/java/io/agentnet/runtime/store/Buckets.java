package io.agentnet.runtime.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The buckets the agents keep their state in, with their TTLs (docs/ARCHITECTURE.md, "Durable
 * state"). In NATS mode the bridge provisions them from its own list, {@code
 * io.agentnet.bridge.config.KvBucketSpec.defaults()} (the bridge cannot depend on the runtime, so
 * the names and TTLs are repeated here: change both together). The TTL given here is what the
 * in-memory adapter uses; in NATS mode the bucket's own max age applies.
 */
public final class Buckets {

  /** Workflow records by workflow id; kept until deleted. */
  public static final String WORKFLOWS = "agentnet_workflows";
  public static final Duration WORKFLOWS_TTL = Duration.ZERO;
  /** A task's outcome by task id, written once (create) by the specialist. */
  public static final String TASKS = "agentnet_tasks";
  public static final Duration TASKS_TTL = Duration.ofHours(24);
  /** Each agent's last heartbeat by agent id. */
  public static final String REGISTRY = "agentnet_registry";
  public static final Duration REGISTRY_TTL = Duration.ofHours(1);
  /** Leader leases (key {@code orchestrator}); the holder renews every TTL/3. */
  public static final String LEASES = "agentnet_leases";
  public static final Duration LEASES_TTL = Duration.ofSeconds(10);

  private static final Map<String, Duration> TTLS = Map.of(WORKFLOWS, WORKFLOWS_TTL, TASKS, TASKS_TTL,
      REGISTRY, REGISTRY_TTL, LEASES, LEASES_TTL);

  private Buckets() {
  }

  /** The four bucket names, in the order above. */
  public static List<String> all() {
    return List.of(WORKFLOWS, TASKS, REGISTRY, LEASES);
  }

  /** The TTL of one of the agents' buckets ({@link Duration#ZERO}: none). */
  public static Duration ttl(String bucket) {
    Duration ttl = TTLS.get(bucket);
    if (ttl == null) {
      throw new IllegalArgumentException("\"" + bucket + "\" is not one of the agents' buckets " + all());
    }
    return ttl;
  }
}
