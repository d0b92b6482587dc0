package io.agentnet.bridge.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvBucketSpecTest {

  @Test
  void theAgentsBucketsAreTheDefaults() {
    BridgeOptions o = BridgeOptions.fromJson(null);
    assertThat(o.getKvAddress()).isEqualTo("agentnet.kv");
    assertThat(o.getKvBuckets()).extracting(KvBucketSpec::name, KvBucketSpec::ttl).containsExactly(
        org.assertj.core.groups.Tuple.tuple("agentnet_workflows", Duration.ZERO),
        org.assertj.core.groups.Tuple.tuple("agentnet_tasks", Duration.ofHours(24)),
        org.assertj.core.groups.Tuple.tuple("agentnet_registry", Duration.ofHours(1)),
        org.assertj.core.groups.Tuple.tuple("agentnet_leases", Duration.ofSeconds(10)));
    assertThat(o.getKvBuckets()).allSatisfy(b -> {
      assertThat(b.history()).isEqualTo(1);
      assertThat(b.maxValueSize()).isEqualTo(1024 * 1024);
      assertThat(b.storage()).isEqualTo(StreamSpec.Storage.FILE);
      assertThat(b.replicas()).isEqualTo(1);
    });
  }

  @Test
  void readsBucketsWithDefaultsAndWritesThemBack() {
    BridgeOptions o = BridgeOptions.fromJson(new JsonObject("""
        {"kvAddress": "kv.here",
         "kvBuckets": [{"name": "short", "ttlMs": 1000},
                       {"name": "hist", "history": 5, "maxValueSize": 4096, "storage": "memory", "replicas": 3}]}
        """));
    assertThat(o.getKvAddress()).isEqualTo("kv.here");
    assertThat(o.getKvBuckets()).containsExactly(
        KvBucketSpec.of("short", Duration.ofSeconds(1)),
        new KvBucketSpec("hist", Duration.ZERO, 5, 4096, StreamSpec.Storage.MEMORY, 3));
    assertThat(BridgeOptions.fromJson(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThat(o.toJson().getJsonArray("kvBuckets").getJsonObject(0).encode())
        .isEqualTo("{\"name\":\"short\",\"ttlMs\":1000,\"history\":1,\"maxValueSize\":1048576,\"storage\":\"file\","
            + "\"replicas\":1}");
  }

  @Test
  void wrongBucketConfigNamesTheKeyPath() {
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject("{\"kvBuckets\": [{\"name\": \"a.b\"}]}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bridge.kvBuckets[0].name: bucket name \"a.b\" may only use letters, digits, - and _");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject("{\"kvBuckets\": [{\"ttlMs\": 5}]}")))
        .hasMessage("bridge.kvBuckets[0].name: required");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject(
        "{\"kvBuckets\": [{\"name\": \"x\"}, {\"name\": \"y\", \"ttlMs\": \"1h\"}]}")))
        .hasMessage("bridge.kvBuckets[1].ttlMs: expected an integer, got a string");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject("{\"kvBuckets\": [{\"name\": \"x\", \"history\": 65}]}")))
        .hasMessage("bridge.kvBuckets[0].history: must be at most 64 (JetStream's limit), got 65");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject("{\"kvBuckets\": [{\"name\": \"x\", \"history\": 0}]}")))
        .hasMessage("bridge.kvBuckets[0].history: must be at least 1, got 0");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject(
        "{\"kvBuckets\": [{\"name\": \"x\"}, {\"name\": \"x\"}]}")))
        .hasMessage("bridge.kvBuckets[1].name: bucket x is configured twice");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject("{\"kvBuckets\": {\"name\": \"x\"}}")))
        .hasMessage("bridge.kvBuckets: expected an array, got an object");
  }

  @Test
  void theConstructorRefusesWhatJetStreamWould() {
    assertThatThrownBy(() -> KvBucketSpec.of("", Duration.ZERO)).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> KvBucketSpec.of("x", Duration.ofSeconds(-1))).hasMessageContaining("ttl must not be negative");
    assertThatThrownBy(() -> new KvBucketSpec("x", null, 1, 0, null, 1))
        .hasMessage("kv bucket x: maxValueSize must be at least 1 byte, got 0");
  }

  @Test
  void addingABucketOfTheSameNameReplacesIt() {
    BridgeOptions o = new BridgeOptions().addKvBucket(KvBucketSpec.of("agentnet_leases", Duration.ofSeconds(3)));
    assertThat(o.getKvBuckets()).hasSize(4);
    assertThat(o.getKvBuckets()).filteredOn(b -> b.name().equals("agentnet_leases")).singleElement()
        .extracting(KvBucketSpec::ttl).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theShippedConfigListsTheDefaultBuckets() throws Exception {
    JsonObject conf = new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of("../conf/agentnet.json")));
    BridgeOptions o = BridgeOptions.fromJson(conf.getJsonObject("bridge"));
    assertThat(o.getKvBuckets()).isEqualTo(KvBucketSpec.defaults());
    assertThat(o.getKvAddress()).isEqualTo("agentnet.kv");
  }

  @Test
  void replicasFromTheEnvironmentApplyToBucketsToo() {
    BridgeOptions o = new BridgeOptions().applyEnvironment(new Environment(Map.of("NATS_STREAM_REPLICAS", "3")));
    assertThat(o.getKvBuckets()).extracting(KvBucketSpec::replicas).containsOnly(3);
  }
}
