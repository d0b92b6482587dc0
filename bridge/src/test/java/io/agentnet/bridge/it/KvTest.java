package io.agentnet.bridge.it;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.config.KvBucketSpec;
import io.agentnet.bridge.config.StreamSpec;
import io.agentnet.bridge.impl.BridgeMetrics;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.agentnet.bridge.it.CoreMappingTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** JetStream KV behind the bridge: provisioning at connect, and every operation over the event bus. */
class KvTest extends BridgeTestSupport {

  private static final String KV = "agentnet.kv";
  private static final String WORKFLOWS = "agentnet_workflows";

  private JsonObject kv(JsonObject request) {
    try {
      return vertx.eventBus().<JsonObject>request(KV, request).await(10, TimeUnit.SECONDS).body();
    } catch (TimeoutException e) {
      throw new AssertionError("no answer to " + request.encode() + " within 10 s");
    }
  }

  private String bridgeState() {
    try {
      return vertx.eventBus().<JsonObject>request("agentnet.bridge.status.get", null).await(5, TimeUnit.SECONDS)
          .body().getString("state");
    } catch (TimeoutException e) {
      throw new AssertionError("no bridge status within 5 s");
    }
  }

  private ReplyException kvFailure(JsonObject request) throws Exception {
    return failure(vertx.eventBus().request(KV, request));
  }

  private static JsonObject op(String op, String bucket, String key) {
    JsonObject r = new JsonObject().put("op", op).put("bucket", bucket);
    return key == null ? r : r.put("key", key);
  }

  private static JsonObject write(String op, String bucket, String key, JsonObject value) {
    return op(op, bucket, key).put("value", value);
  }

  private double ops(String bucket, String op, String outcome) {
    return counter(BridgeMetrics.KV_OPS, "bucket", bucket, "op", op, "outcome", outcome);
  }

  @Test
  void theDefaultBucketsAreCreatedWithTheirTtlAndHistory() throws Exception {
    NatsBridge bridge = deploy(options());
    KeyValueManagement kvm = raw().keyValueManagement();
    assertThat(kvm.getBucketNames()).containsExactlyInAnyOrder("agentnet_workflows", "agentnet_tasks",
        "agentnet_registry", "agentnet_leases");
    assertThat(kvm.getBucketInfo("agentnet_workflows").getTtl()).isEqualTo(Duration.ZERO);
    assertThat(kvm.getBucketInfo("agentnet_tasks").getTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(kvm.getBucketInfo("agentnet_registry").getTtl()).isEqualTo(Duration.ofHours(1));
    KeyValueStatus leases = kvm.getBucketInfo("agentnet_leases");
    assertThat(leases.getTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(leases.getMaxHistoryPerKey()).isEqualTo(1);
    assertThat(leases.getMaxValueSize()).isEqualTo(1024 * 1024);
    assertThat(bridge.status().getJsonArray("kv_buckets").getList())
        .containsExactly("kv agentnet_workflows: created", "kv agentnet_tasks: created",
            "kv agentnet_registry: created", "kv agentnet_leases: created");
  }

  @Test
  void anExistingBucketWithAnotherConfigIsReportedAndLeftAlone() throws Exception {
    KeyValueManagement kvm = raw().keyValueManagement();
    kvm.create(KeyValueConfiguration.builder().name("agentnet_tasks").ttl(Duration.ofHours(1)).maxHistoryPerKey(3)
        .build());
    NatsBridge bridge = deploy(options());
    assertThat(bridge.status().getJsonArray("kv_buckets").getList()).contains(
        "kv agentnet_tasks: differs: ttl 1h (wanted 24h); history 3 (wanted 1); max value size unlimited "
            + "(wanted 1048576 bytes)");
    KeyValueStatus tasks = kvm.getBucketInfo("agentnet_tasks");
    assertThat(tasks.getTtl()).as("left unchanged").isEqualTo(Duration.ofHours(1));
    assertThat(tasks.getMaxHistoryPerKey()).isEqualTo(3);
    assertThat(bridge.status().containsKey("last_error")).as("a difference is not an error").isFalse();
    // it is still served
    assertThat(kv(write("put", "agentnet_tasks", "t1", new JsonObject())).getLong("revision")).isPositive();
  }

  @Test
  void everyOperationOverTheEventBus() throws Exception {
    deploy(options());
    assertThat(kv(op("get", WORKFLOWS, "w-1"))).as("absent").isEqualTo(new JsonObject());
    assertThat(kv(op("keys", WORKFLOWS, null))).isEqualTo(new JsonObject().put("keys", new JsonArray()));
    assertThat(kv(op("entries", WORKFLOWS, null))).isEqualTo(new JsonObject().put("entries", new JsonArray()));

    long r1 = kv(write("put", WORKFLOWS, "w-1", new JsonObject().put("status", "pending"))).getLong("revision");
    long r2 = kv(write("create", WORKFLOWS, "w-2", new JsonObject().put("status", "running"))).getLong("revision");
    assertThat(r2).isGreaterThan(r1);
    long r3 = kv(write("update", WORKFLOWS, "w-1", new JsonObject().put("status", "running")).put("revision", r1))
        .getLong("revision");
    assertThat(r3).isGreaterThan(r2);

    assertThat(kv(op("get", WORKFLOWS, "w-1"))).isEqualTo(new JsonObject().put("key", "w-1")
        .put("value", new JsonObject().put("status", "running")).put("revision", r3));
    assertThat(kv(op("keys", WORKFLOWS, null)).getJsonArray("keys").getList()).containsExactlyInAnyOrder("w-1", "w-2");
    JsonArray entries = kv(op("entries", WORKFLOWS, null)).getJsonArray("entries");
    assertThat(entries.getList()).hasSize(2);
    assertThat(entries).contains(new JsonObject().put("key", "w-2").put("value", new JsonObject().put("status", "running"))
        .put("revision", r2));

    assertThat(kv(op("delete", WORKFLOWS, "w-2"))).isEqualTo(new JsonObject());
    assertThat(kv(op("delete", WORKFLOWS, "never-written"))).as("deleting nothing succeeds").isEqualTo(new JsonObject());
    assertThat(kv(op("get", WORKFLOWS, "w-2"))).as("deleted is absent").isEqualTo(new JsonObject());
    assertThat(kv(op("keys", WORKFLOWS, null)).getJsonArray("keys").getList()).containsExactly("w-1");
    assertThat(kv(op("entries", WORKFLOWS, null)).getJsonArray("entries").size()).isEqualTo(1);
    // a deleted key can be created again; update with revision 0 means "has no value"
    assertThat(kv(write("create", WORKFLOWS, "w-2", new JsonObject())).getLong("revision")).isGreaterThan(r3);
    assertThat(kv(write("update", WORKFLOWS, "w-3", new JsonObject()).put("revision", 0)).getLong("revision"))
        .isPositive();

    // the value is stored as UTF-8 JSON, readable by any NATS client
    byte[] stored = raw().keyValue(WORKFLOWS).get("w-1").getValue();
    assertThat(new JsonObject(new String(stored, StandardCharsets.UTF_8)).getString("status")).isEqualTo("running");
    assertThat(ops(WORKFLOWS, "put", "ok")).isEqualTo(1);
    assertThat(ops(WORKFLOWS, "get", "ok")).isEqualTo(3);
  }

  @Test
  void createOnAKeyWithAValueAndUpdateWithAStaleRevisionAreConflicts() throws Exception {
    deploy(options());
    long r1 = kv(write("create", WORKFLOWS, "w-1", new JsonObject().put("n", 1))).getLong("revision");
    ReplyException create = kvFailure(write("create", WORKFLOWS, "w-1", new JsonObject().put("n", 2)));
    assertThat(create.failureCode()).isEqualTo(409).isEqualTo(BridgeFailure.CONFLICT.code());
    assertThat(create.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(create.getMessage()).isEqualTo("agentnet_workflows: key w-1 already has a value (revision " + r1 + ")");

    long r2 = kv(write("update", WORKFLOWS, "w-1", new JsonObject().put("n", 2)).put("revision", r1)).getLong("revision");
    ReplyException stale = kvFailure(write("update", WORKFLOWS, "w-1", new JsonObject().put("n", 3)).put("revision", r1));
    assertThat(stale.failureCode()).isEqualTo(409);
    assertThat(stale.getMessage()).isEqualTo("agentnet_workflows: key w-1 is at revision " + r2 + ", not " + r1);
    ReplyException zero = kvFailure(write("update", WORKFLOWS, "w-1", new JsonObject()).put("revision", 0));
    assertThat(zero.getMessage()).isEqualTo("agentnet_workflows: key w-1 is at revision " + r2 + ", not 0");
    assertThat(kv(op("get", WORKFLOWS, "w-1")).getJsonObject("value").getInteger("n")).as("the winner stays").isEqualTo(2);
    assertThat(ops(WORKFLOWS, "create", "conflict")).isEqualTo(1);
    assertThat(ops(WORKFLOWS, "update", "conflict")).isEqualTo(2);
  }

  @Test
  void anEntryExpiresTheBucketsTtlAfterItsLastWrite() throws Exception {
    deploy(options().addKvBucket(KvBucketSpec.of("short", Duration.ofSeconds(3))));
    kv(write("create", "short", "lease", new JsonObject().put("holder", "a")));
    ReplyException taken = kvFailure(write("create", "short", "lease", new JsonObject().put("holder", "b")));
    assertThat(taken.failureCode()).isEqualTo(409);
    await("the entry to expire", Duration.ofSeconds(10),
        () -> kv(op("get", "short", "lease")).isEmpty());
    assertThat(kv(op("keys", "short", null)).getJsonArray("keys").getList()).isEmpty();
    assertThat(kv(write("create", "short", "lease", new JsonObject().put("holder", "b"))).getLong("revision"))
        .as("create works again once expired").isPositive();
    assertThat(kv(op("get", "short", "lease")).getJsonObject("value").getString("holder")).isEqualTo("b");
  }

  @Test
  void badRequestsAreRefusedNamingTheProblem() throws Exception {
    deploy(options().addKvBucket(new KvBucketSpec("small", Duration.ZERO, 1, 64, StreamSpec.Storage.MEMORY, 1)));
    List<ReplyException> bad = new ArrayList<>();
    bad.add(kvFailure(new JsonObject().put("bucket", WORKFLOWS)));
    bad.add(kvFailure(op("get", WORKFLOWS, null)));
    bad.add(kvFailure(op("get", WORKFLOWS, "w 1")));
    bad.add(kvFailure(op("rename", WORKFLOWS, "w-1")));
    bad.add(kvFailure(op("put", WORKFLOWS, "w-1").put("value", "running")));
    assertThat(bad).allSatisfy(e -> {
      assertThat(e.failureCode()).isEqualTo(400);
      assertThat(BridgeFailure.isPermanent(e.failureCode())).isTrue();
    });
    assertThat(bad).extracting(Throwable::getMessage).containsExactly(
        "\"op\" is required: one of get, put, create, update, delete, keys, entries",
        "\"key\" is required (a string) for get",
        "key \"w 1\" may only use letters, digits and - / _ = . (not at either end)",
        "unknown op \"rename\": expected one of get, put, create, update, delete, keys, entries",
        "\"value\" must be a JSON object for put, got a string");
    ReplyException notJson = failure(vertx.eventBus().request(KV, "get agentnet_workflows w-1"));
    assertThat(notJson.failureCode()).isEqualTo(400);

    ReplyException unknown = kvFailure(op("get", "nope", "k"));
    assertThat(unknown.failureCode()).isEqualTo(404);
    assertThat(unknown.getMessage()).startsWith("bucket nope is not served by this bridge (it serves agentnet_workflows,")
        .endsWith("small); add it to bridge.kvBuckets");

    ReplyException tooLarge = kvFailure(write("put", "small", "k", new JsonObject().put("text", "x".repeat(100))));
    assertThat(tooLarge.failureCode()).isEqualTo(BridgeFailure.PAYLOAD_TOO_LARGE.code());
    assertThat(tooLarge.getMessage()).isEqualTo("kv put small/k: the value has 111 bytes, bucket small takes at most 64; "
        + "keep large content elsewhere and store a reference");
    assertThat(ops("-", "-", "bad_request")).isEqualTo(6);
    assertThat(ops("small", "put", "payload_too_large")).isEqualTo(1);
    assertThat(ops("nope", "get", "not_found")).isEqualTo(1);
  }

  @Test
  void theServersOwnValueLimitIsAlsoTooLarge() throws Exception {
    // an existing bucket with a smaller limit than configured: JetStream refuses, the bridge says why
    raw().keyValueManagement().create(KeyValueConfiguration.builder().name("agentnet_tasks").ttl(Duration.ofHours(24))
        .maxValueSize(64).build());
    deploy(options());
    ReplyException e = kvFailure(write("put", "agentnet_tasks", "t1", new JsonObject().put("text", "x".repeat(100))));
    assertThat(e.failureCode()).isEqualTo(BridgeFailure.PAYLOAD_TOO_LARGE.code());
    assertThat(e.getMessage()).startsWith("kv put agentnet_tasks/t1: the value is larger than the bucket allows (");
  }

  @Test
  void aValueThatIsNotJsonIsNamedOnGetAndLeftOutOfListings() throws Exception {
    deploy(options());
    raw().keyValue(WORKFLOWS).put("foreign", "plain text");
    kv(write("put", WORKFLOWS, "ours", new JsonObject()));
    ReplyException e = kvFailure(op("get", WORKFLOWS, "foreign"));
    assertThat(e.failureCode()).isEqualTo(500);
    assertThat(e.getMessage()).startsWith("agentnet_workflows: key foreign (revision 1) holds a value that is not a JSON object");
    assertThat(kv(op("entries", WORKFLOWS, null)).getJsonArray("entries")).extracting(o -> ((JsonObject) o).getString("key"))
        .containsExactly("ours");
  }

  @Test
  void manyOperationsAtOnceAllComplete() throws Exception {
    deploy(options());
    List<Future<Object>> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.add(vertx.eventBus().request(KV, write("create", WORKFLOWS, "w-" + i, new JsonObject().put("i", i)))
          .map(m -> m.body()));
    }
    Future.all(writes).await(20, TimeUnit.SECONDS);
    assertThat(kv(op("entries", WORKFLOWS, null)).getJsonArray("entries").size()).isEqualTo(50);
  }

  @Test
  void whileDisconnectedAnOperationFailsAtOnceAsNotConnected() throws Exception {
    deploy(options().setReconnectWaitMin(Duration.ofMillis(50)).setReconnectWaitMax(Duration.ofMillis(100)));
    kv(write("put", WORKFLOWS, "w-1", new JsonObject()));
    nats.stop();
    await("the bridge to see the disconnect", Duration.ofSeconds(10),
        () -> !"connected".equals(bridgeState()));
    ReplyException e = kvFailure(op("get", WORKFLOWS, "w-1"));
    assertThat(e.failureCode()).isEqualTo(503);
    assertThat(e.getMessage()).isEqualTo("NATS is not connected; kv get agentnet_workflows/w-1 was not run (the bridge "
        + "is reconnecting, try again)");
    nats.startAgain();
    await("the bridge to reconnect and serve again", Duration.ofSeconds(20), () -> {
      try {
        return kv(op("get", WORKFLOWS, "w-1")).getJsonObject("value") != null;
      } catch (ReplyException notYet) {
        return false;
      }
    });
  }

  @Test
  void inLocalModeNothingServesKv() throws Exception {
    Vertx local = newVertx();
    local.deployVerticle(NatsBridge.create(new BridgeOptions())).await(5, TimeUnit.SECONDS);
    ReplyException e = failure(local.eventBus().request(KV, op("get", WORKFLOWS, "w-1")));
    assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
  }
}
