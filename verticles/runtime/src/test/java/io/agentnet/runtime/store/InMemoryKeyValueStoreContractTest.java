package io.agentnet.runtime.store;

import io.agentnet.runtime.messaging.Messenger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The local-mode adapter, with a clock the test moves. */
class InMemoryKeyValueStoreContractTest extends KeyValueStoreContractTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);

  @Override
  protected KeyValueStore newStore() {
    return new InMemoryKeyValueStore("contract", Duration.ZERO, clock::get);
  }

  @Override
  protected KeyValueStore newExpiringStore() {
    return new InMemoryKeyValueStore("contract_ttl", ttl(), clock::get);
  }

  @Override
  protected Duration ttl() {
    return Duration.ofSeconds(10);
  }

  @Override
  protected void letTtlPass() {
    clock.addAndGet(ttl().toMillis());
  }

  @Test
  void inLocalModeOpenGivesTheProcessWideInMemoryBucket() {
    KeyValueStore a = KeyValueStores.open(vertx, Buckets.WORKFLOWS);
    assertThat(a).isInstanceOf(InMemoryKeyValueStore.class);
    assertThat(KeyValueStores.open(vertx, Buckets.WORKFLOWS, Duration.ZERO)).isSameAs(a);
    assertThat(Messenger.natsMode(vertx)).isFalse();
  }

  @Test
  void theAgentsBucketsHaveTheBridgesTtls() {
    assertThat(Buckets.all()).containsExactly("agentnet_workflows", "agentnet_tasks", "agentnet_registry",
        "agentnet_leases");
    // the bridge provisions them from KvBucketSpec.defaults(): the two lists must agree
    assertThat(io.agentnet.bridge.config.KvBucketSpec.defaults())
        .extracting(b -> b.name() + "=" + b.ttl())
        .containsExactly(Buckets.all().stream().map(b -> b + "=" + Buckets.ttl(b)).toArray(String[]::new));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Buckets.ttl("nope"))
        .hasMessageContaining("\"nope\" is not one of the agents' buckets");
  }
}
