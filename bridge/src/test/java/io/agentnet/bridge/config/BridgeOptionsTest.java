package io.agentnet.bridge.config;

import io.agentnet.bridge.PayloadFormat;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BridgeOptionsTest {

  @Test
  void defaultsAreLocalModeWithTheSeedStreams() {
    BridgeOptions o = BridgeOptions.fromJson(null);
    assertThat(o.isEnabled()).isFalse();
    assertThat(o.getStreams()).hasSize(4);
    assertThat(o.getOutboundBufferMessages()).isEqualTo(10_000);
  }

  @Test
  void readsMappingsWithDefaults() {
    BridgeOptions o = BridgeOptions.fromJson(new JsonObject("""
        {"servers": ["nats://a:4222"],
         "inbound": [{"subject": "ai.heartbeat.*", "address": "ai.heartbeat"},
                     {"subject": "ai.mcp.fs", "queue": "fs", "address": "mcp.fs", "delivery": "request",
                      "format": "text", "timeoutMs": 1500}],
         "outbound": [{"address": "ai.events", "subject": "ai.events.>", "jetstream": true}],
         "consumers": [{"durable": "worker", "stream": "AI_WORKFLOWS", "address": "work", "maxInFlight": 4}],
         "services": [{"name": "orchestrator", "endpoints": [{"name": "submit", "subject": "ai.orchestrator.submit",
                       "address": "orchestrator.submit"}]}]}
        """));
    assertThat(o.isEnabled()).isTrue();
    assertThat(o.getInbound().get(0).delivery()).isEqualTo(InboundMapping.Delivery.PUBLISH);
    assertThat(o.getInbound().get(1).format()).isEqualTo(PayloadFormat.TEXT);
    assertThat(o.getInbound().get(1).timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.getOutbound().get(0).jetstream()).isTrue();
    ConsumerMapping c = o.getConsumers().get(0);
    assertThat(c.maxInFlight()).isEqualTo(4);
    assertThat(c.maxDeliver()).isEqualTo(5);
    assertThat(c.deadLetterSubject()).isEqualTo("ai.dlq.AI_WORKFLOWS.worker");
    assertThat(o.getServices().get(0).version()).isEqualTo("1.0.0");
    assertThat(BridgeOptions.fromJson(o.toJson()).toJson()).isEqualTo(o.toJson());
  }

  @Test
  void wrongConfigNamesTheKeyPath() {
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject("{\"inbound\": [{\"subject\": \"a.b\"}, {\"subject\": 3}]}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bridge.inbound[0].address: required");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject("{\"outboundBufferMessages\": \"many\"}")))
        .hasMessage("bridge.outboundBufferMessages: expected an integer, got a string");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject(
        "{\"inbound\": [{\"subject\": \"a.b\", \"address\": \"x\", \"delivery\": \"shout\"}]}")))
        .hasMessage("bridge.inbound[0].delivery: expected one of publish, send, request, got \"shout\"");
    assertThatThrownBy(() -> BridgeOptions.fromJson(new JsonObject(
        "{\"outbound\": [{\"address\": \"x\", \"subject\": \"a.>.b\"}]}")))
        .hasMessageContaining("'>' may only be the last token");
  }

  @Test
  void environmentOverridesAndSecretFiles(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("pw");
    Files.writeString(secret, "s3cret-from-file\n");
    BridgeOptions o = new BridgeOptions().applyEnvironment(new Environment(Map.of(
        "NATS_URL", "nats://a:4222, nats://b:4222",
        "NATS_USER", "orchestrator",
        "NATS_PASSWORD_FILE", secret.toString(),
        "NATS_TLS_CA", "/etc/ca.pem")));
    assertThat(o.getServers()).containsExactly("nats://a:4222", "nats://b:4222");
    assertThat(o.getUser()).isEqualTo("orchestrator");
    assertThat(o.getPassword()).as("one trailing newline is dropped").isEqualTo("s3cret-from-file");
    assertThat(o.getTlsCaFile()).isEqualTo("/etc/ca.pem");
  }

  @Test
  void streamReplicasComeFromTheEnvironment() {
    BridgeOptions o = new BridgeOptions().applyEnvironment(new Environment(Map.of("NATS_STREAM_REPLICAS", "3")));
    assertThat(o.getStreams()).extracting(StreamSpec::replicas).containsOnly(3);
    assertThatThrownBy(() -> new BridgeOptions().applyEnvironment(new Environment(Map.of("NATS_STREAM_REPLICAS", "9"))))
        .hasMessage("NATS_STREAM_REPLICAS: must be between 1 and 5, got 9");
  }

  @Test
  void anUnreadableSecretFileSaysWhichVariableWithoutItsContent() {
    assertThatThrownBy(() -> new BridgeOptions().applyEnvironment(new Environment(Map.of(
        "NATS_PASSWORD_FILE", "/nonexistent/pw"))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("NATS_PASSWORD_FILE names /nonexistent/pw");
  }

  @Test
  void secretsNeverAppearInTheJsonOrToString() {
    BridgeOptions o = new BridgeOptions().setServers(java.util.List.of("nats://admin:hunter2@host:4222"))
        .setUser("admin").setPassword("hunter2").setToken("tok-123");
    String text = o.toString() + o.toJson().encodePrettily();
    assertThat(text).doesNotContain("hunter2").doesNotContain("tok-123").contains("nats://host:4222");
    assertThat(o.toJson().getString("password")).isEqualTo(BridgeOptions.REDACTED);
  }

  @Test
  void redactsCredentialsInUrls() {
    assertThat(BridgeOptions.redactUrl("nats://u:p@h:1")).isEqualTo("nats://h:1");
    assertThat(BridgeOptions.redactUrl("tls://token@h:1")).isEqualTo("tls://h:1");
    assertThat(BridgeOptions.redactUrl("nats://h:1")).isEqualTo("nats://h:1");
  }
}
