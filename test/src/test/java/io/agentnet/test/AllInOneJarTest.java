package io.agentnet.test;

import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the shaded all-in-one jar as its own process, the way a user does: a jar that does not start
 * (a missing service file, a signed dependency's leftover signature) fails here.
 */
class AllInOneJarTest {

  private static final Path JAR = Path.of("..", "verticles", "all", "target", "agentnet-all.jar");

  private Process launch(Path workDir, Map<String, String> env) throws IOException {
    assertThat(JAR).as("the all-in-one jar (built in the package phase)").exists();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString())
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("out.log").toFile());
    pb.environment().remove("NATS_URL");
    // free ports for the MCP servers' HTTP endpoints, so the test never collides with a running jar
    pb.environment().putAll(Map.of("MCP_FILESYSTEM_PORT", "0", "MCP_PROXMOX_PORT", "0", "MCP_CLOUD_PORT", "0",
        "WORKSPACE_DIR", workDir.resolve("workspace").toString()));
    pb.environment().putAll(env);
    return pb.start();
  }

  private static void awaitLog(Path log, String text, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no \"" + text + "\" in the log within " + deadline + ":\n"
            + (Files.exists(log) ? Files.readString(log) : "(no log)"));
      }
      Thread.sleep(20);
    }
  }

  @Test
  void startsInLocalModeAndSaysSo(@TempDir Path dir) throws Exception {
    Process p = launch(dir, Map.of());
    try {
      awaitLog(dir.resolve("out.log"), "agentnet all-in-one is running", Duration.ofSeconds(30));
      String log = Files.readString(dir.resolve("out.log"));
      assertThat(log).contains("NATS_URL is not set: local mode").contains("local mode, config from");
    } finally {
      p.destroy();
      assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void inNatsModeItsHeartbeatsReachNatsAndItSignsOffOnSigterm(@TempDir Path dir) throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start(); Connection raw = Nats.connect(nats.url())) {
      Subscription sub = raw.subscribe("ai.heartbeat.e2e-all");
      raw.flush(Duration.ofSeconds(2));
      Process p = launch(dir, Map.of("NATS_URL", nats.url(), "AGENT_ID", "e2e-all", "AGENT_HEARTBEAT_INTERVAL", "1"));
      try {
        Message first = sub.nextMessage(Duration.ofSeconds(30));
        assertThat(first).as("a heartbeat from the jar").isNotNull();
        Heartbeat hb = Heartbeat.decode(first.getData());
        assertThat(hb.agentType()).isEqualTo("all-in-one");
        assertThat(hb.status()).isEqualTo(AgentStatus.AVAILABLE);
        assertThat(raw.jetStreamManagement().getStreamNames()).contains("AI_EVENTS", "AI_WORKFLOWS", "AI_METRICS");
        awaitLog(dir.resolve("out.log"), "agentnet all-in-one is running", Duration.ofSeconds(60));

        // the MCP servers answer over NATS, the proxmox one from the built-in simulator
        Message tools = raw.request("ai.mcp.filesystem",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(10));
        assertThat(new String(tools.getData(), StandardCharsets.UTF_8)).contains("read_text_file");
        Message nodes = raw.request("ai.mcp.proxmox", ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"list_nodes\"}}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
        assertThat(new String(nodes.getData(), StandardCharsets.UTF_8)).contains("pve1").doesNotContain("isError");
        assertThat(Files.readString(dir.resolve("out.log"))).contains("built-in simulator");
      } finally {
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      }
      Heartbeat last = null;
      Message m;
      while ((m = sub.nextMessage(Duration.ofSeconds(2))) != null) {
        last = Heartbeat.decode(m.getData());
      }
      assertThat(last).isNotNull();
      assertThat(last.status()).as("the last heartbeat says offline").isEqualTo(AgentStatus.OFFLINE);
      assertThat(Files.readString(dir.resolve("out.log"))).contains("connected to").doesNotContain("Exception");
    }
  }
}
