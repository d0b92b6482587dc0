package io.agentnet.runtime.store;

import io.agentnet.bridge.config.KvBucketSpec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The buckets the agents keep their state in (docs/ARCHITECTURE.md, "Durable state"). Their TTLs are the bridge's
 * own list, {@link KvBucketSpec#defaults()}, which it provisions in NATS mode; the in-memory adapter of local mode
 * takes the same TTLs from here.
 */
public final class Buckets {

  /** Workflow records by workflow id; kept until deleted. */
  public static final String WORKFLOWS = "agentnet_workflows";
  /** A task's outcome by task id, written once (create) by the specialist. */
  public static final String TASKS = "agentnet_tasks";
  /** Each agent's last heartbeat by agent id. */
  public static final String REGISTRY = "agentnet_registry";
  /** Leader leases (key {@code orchestrator}); the holder renews every TTL/3. */
  public static final String LEASES = "agentnet_leases";

  private static final Map<String, Duration> TTLS = KvBucketSpec.defaults().stream()
      .collect(Collectors.toUnmodifiableMap(KvBucketSpec::name, KvBucketSpec::ttl));

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
