package io.agentnet.runtime.store;

import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.config.KvBucketSpec;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.agentnet.runtime.messaging.Messenger;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The NATS-mode adapter: a real nats-server with JetStream, the bridge verticle, and BusKeyValueStore. */
class BusKeyValueStoreContractTest extends KeyValueStoreContractTest {

  // Room for the conflict check and the read after re-creating, which must both land within one TTL.
  private static final Duration TTL = Duration.ofSeconds(3);
  private NatsServerProcess nats;

  @Override
  protected KeyValueStore newStore() throws Exception {
    nats = NatsServerProcess.start();
    BridgeOptions options = new BridgeOptions().setServer(nats.url()).setConnectionName("kv-contract")
        .addKvBucket(KvBucketSpec.of("contract", Duration.ZERO))
        .addKvBucket(KvBucketSpec.of("contract_ttl", TTL));
    NatsBridge bridge = NatsBridge.create(options);
    vertx.deployVerticle(bridge).await(20, TimeUnit.SECONDS);
    assertThat(bridge.status().getString("state")).isEqualTo("connected");
    return new BusKeyValueStore(vertx, "contract");
  }

  @Override
  protected KeyValueStore newExpiringStore() {
    return new BusKeyValueStore(vertx, "contract_ttl");
  }

  @Override
  protected Duration ttl() {
    return TTL;
  }

  @Override
  protected void letTtlPass() {
    // JetStream expires entries by its own clock: the test waits for the entry to go
  }

  @Override
  protected void tearDown() {
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void inNatsModeOpenGivesTheBridgesBucket() {
    Messenger.setNatsMode(vertx, true);
    KeyValueStore workflows = KeyValueStores.open(vertx, Buckets.WORKFLOWS);
    assertThat(workflows).isInstanceOf(BusKeyValueStore.class);
    assertThat(workflows.bucket()).isEqualTo("agentnet_workflows");
    long revision = await(workflows.put("w-1", new JsonObject().put("status", "pending")));
    assertThat(await(workflows.get("w-1")).revision()).isEqualTo(revision);
  }

  @Test
  void aBucketTheBridgeDoesNotServeIsUnavailableWithTheReason() {
    StoreException e = storeFailure(new BusKeyValueStore(vertx, "elsewhere").get("k"));
    assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE);
    assertThat(e.getMessage()).startsWith("bucket elsewhere is not served by this bridge")
        .endsWith("add it to bridge.kvBuckets");
  }

  @Test
  void aValueOverTheBucketsLimitIsInvalid() {
    StoreException e = storeFailure(new BusKeyValueStore(vertx, "contract").put("big",
        new JsonObject().put("text", "x".repeat(KvBucketSpec.DEFAULT_MAX_VALUE_SIZE))));
    assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID);
    assertThat(e.getMessage()).contains("bucket contract takes at most 1048576");
  }

  @Test
  void whenNatsIsDownAnOperationIsUnavailable() throws Exception {
    nats.stop();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    StoreException e;
    do {
      assertThat(System.nanoTime()).as("the bridge notices within 10 s").isLessThan(deadline);
      e = catchUnavailable();
    } while (e == null);
    // which one depends on whether the bridge has noticed the lost connection before the request
    assertThat(e.getMessage()).containsAnyOf("NATS is not connected", "not available in JetStream");
  }

  private StoreException catchUnavailable() throws InterruptedException {
    try {
      await(new BusKeyValueStore(vertx, "contract").get("k"));
      Thread.sleep(20);
      return null;
    } catch (StoreException e) {
      assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE);
      return e;
    }
  }
}
