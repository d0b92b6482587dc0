package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.config.KvBucketSpec;
import io.agentnet.bridge.config.StreamSpec;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The KV parts that need neither Vert.x nor NATS: request parsing, bucket config and diffs, the timeout header. */
class KvPlainTest {

  private static String badRequest(String json) {
    ReplyException e = catchThrowableOfType(ReplyException.class, () -> KvRequest.parse(new JsonObject(json)));
    assertThat(e).as("expected a bad request for " + json).isNotNull();
    assertThat(e.failureCode()).isEqualTo(BridgeFailure.BAD_REQUEST.code());
    return e.getMessage();
  }

  @Test
  void parsesEveryOp() {
    KvRequest get = KvRequest.parse(new JsonObject("{\"op\":\"get\",\"bucket\":\"b\",\"key\":\"w-1\"}"));
    assertThat(get.op()).isEqualTo(KvRequest.Op.GET);
    assertThat(get.key()).isEqualTo("w-1");
    KvRequest update = KvRequest.parse(new JsonObject(
        "{\"op\":\"update\",\"bucket\":\"b\",\"key\":\"a/b=c.d\",\"value\":{\"x\":1},\"revision\":7}"));
    assertThat(update.revision()).isEqualTo(7);
    assertThat(update.value()).isEqualTo(new JsonObject().put("x", 1));
    assertThat(KvRequest.parse(new JsonObject("{\"op\":\"keys\",\"bucket\":\"b\"}")).key()).isNull();
    assertThat(KvRequest.parse(new JsonObject("{\"op\":\"ENTRIES\",\"bucket\":\"b\"}")).op())
        .isEqualTo(KvRequest.Op.ENTRIES);
  }

  @Test
  void aBadRequestNamesTheProblem() {
    assertThat(badRequest("{\"bucket\":\"b\"}"))
        .isEqualTo("\"op\" is required: one of get, put, create, update, delete, keys, entries");
    assertThat(badRequest("{\"op\":\"patch\",\"bucket\":\"b\"}"))
        .isEqualTo("unknown op \"patch\": expected one of get, put, create, update, delete, keys, entries");
    assertThat(badRequest("{\"op\":\"get\"}")).isEqualTo("\"bucket\" is required (a string) for get");
    assertThat(badRequest("{\"op\":\"get\",\"bucket\":\"a.b\"}")).contains("bucket name \"a.b\"");
    assertThat(badRequest("{\"op\":\"delete\",\"bucket\":\"b\"}")).isEqualTo("\"key\" is required (a string) for delete");
    assertThat(badRequest("{\"op\":\"get\",\"bucket\":\"b\",\"key\":\"a b\"}"))
        .isEqualTo("key \"a b\" may only use letters, digits and - / _ = . (not at either end)");
    assertThat(badRequest("{\"op\":\"get\",\"bucket\":\"b\",\"key\":\"a.*\"}")).contains("key \"a.*\"");
    assertThat(badRequest("{\"op\":\"get\",\"bucket\":\"b\",\"key\":\".a\"}")).contains("not at either end");
    assertThat(badRequest("{\"op\":\"get\",\"bucket\":\"b\",\"key\":\"\"}")).isEqualTo("a key must not be empty");
    assertThat(badRequest("{\"op\":\"put\",\"bucket\":\"b\",\"key\":\"k\",\"value\":[1]}"))
        .isEqualTo("\"value\" must be a JSON object for put, got an array");
    assertThat(badRequest("{\"op\":\"create\",\"bucket\":\"b\",\"key\":\"k\"}"))
        .isEqualTo("\"value\" must be a JSON object for create, got nothing");
    assertThat(badRequest("{\"op\":\"update\",\"bucket\":\"b\",\"key\":\"k\",\"value\":{}}"))
        .startsWith("\"revision\" must be a non-negative integer for update");
    assertThat(badRequest("{\"op\":\"update\",\"bucket\":\"b\",\"key\":\"k\",\"value\":{},\"revision\":1.5}"))
        .endsWith("got 1.5");
    ReplyException notJson = catchThrowableOfType(ReplyException.class, () -> KvRequest.parse("get b k"));
    assertThat(notJson.getMessage()).startsWith("a KV request must be a JSON object");
  }

  @Test
  void aBucketSpecBecomesTheKvConfiguration() {
    KvBucketSpec tasks = KvBucketSpec.defaults().get(1);
    KeyValueConfiguration c = KvProvisioner.toConfiguration(tasks);
    assertThat(c.getBucketName()).isEqualTo("agentnet_tasks");
    assertThat(c.getTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(c.getMaxHistoryPerKey()).isEqualTo(1);
    assertThat(c.getMaxValueSize()).isEqualTo(1024 * 1024);
    assertThat(c.getStorageType()).isEqualTo(StorageType.File);
    assertThat(KvProvisioner.differences(tasks, c)).isEmpty();
  }

  @Test
  void everyBucketDifferenceIsNamedWithBothValues() {
    KvBucketSpec wanted = KvBucketSpec.defaults().get(1);
    KeyValueConfiguration other = KvProvisioner.toConfiguration(
        new KvBucketSpec("agentnet_tasks", Duration.ofHours(1), 5, 2048, StreamSpec.Storage.MEMORY, 3));
    List<String> diff = KvProvisioner.differences(wanted, other);
    assertThat(diff).containsExactly("ttl 1h (wanted 24h)", "history 5 (wanted 1)",
        "max value size 2048 bytes (wanted 1048576 bytes)", "storage memory (wanted file)", "replicas 3 (wanted 1)");
  }

  @Test
  void theTimeoutHeaderOnlyShortensTheMappingsTimeout() {
    Duration mapping = Duration.ofSeconds(10);
    assertThat(BusToNats.effectiveTimeout(mapping, null)).isEqualTo(mapping);
    assertThat(BusToNats.effectiveTimeout(mapping, "300")).isEqualTo(Duration.ofMillis(300));
    assertThat(BusToNats.effectiveTimeout(mapping, " 300 ")).isEqualTo(Duration.ofMillis(300));
    assertThat(BusToNats.effectiveTimeout(mapping, "60000")).as("never longer than the mapping's").isEqualTo(mapping);
    assertThat(BusToNats.effectiveTimeout(mapping, "soon")).isEqualTo(mapping);
    assertThat(BusToNats.effectiveTimeout(mapping, "0")).isEqualTo(mapping);
    assertThat(BusToNats.effectiveTimeout(mapping, "-5")).isEqualTo(mapping);
  }
}
