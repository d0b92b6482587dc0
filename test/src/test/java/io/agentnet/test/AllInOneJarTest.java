package io.agentnet.test;

import io.agentnet.bench.JarProcess;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the shaded all-in-one jar as its own process, the way a user does: a jar that does not start
 * (a missing service file, a signed dependency's leftover signature) fails here.
 */
class AllInOneJarTest {

  @Test
  void startsInLocalModeSaysSoAndPrintsTheDashboardUrlAndTokenLast(@TempDir Path dir) throws Exception {
    try (JarProcess p = JarProcess.start("all", JarProcess.ALL, dir, Map.of("DASHBOARD_PORT", "0"))) {
      p.awaitLog("dashboard token (generated", Duration.ofSeconds(30));
      int port = p.dashboardPort(Duration.ofSeconds(1));
      String output = p.output();
      assertThat(output).contains("NATS_URL is not set: local mode").contains("local mode, config from");
      // what the README promises: the URL to open comes right after the "is running" line, then the token
      String afterRunning = output.substring(output.indexOf("agentnet all-in-one is running"));
      assertThat(afterRunning).contains("dashboard: open http://localhost:" + port + "/");
      Matcher token = Pattern.compile("dashboard token \\(generated[^)]*\\): (\\S+)")
          .matcher(afterRunning);
      assertThat(token.find()).isTrue();
      // a clean start warns about one thing only: Proxmox is the built-in simulator
      assertThat(output.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")))
          .as("warnings and errors at start").singleElement().asString().contains("PROXMOX_HOST is not set");

      // the printed token is the one POSTs need
      HttpClient http = HttpClient.newHttpClient();
      URI submit = URI.create("http://127.0.0.1:" + port + "/api/workflows");
      String body = "{\"workflow_type\":\"health_check\"}";
      var refused = http.send(HttpRequest.newBuilder(submit)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      var accepted = http.send(HttpRequest.newBuilder(submit).header("Authorization", "Bearer " + token.group(1))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      assertThat(p.stop(Duration.ofSeconds(15))).as("exits after SIGTERM").isTrue();
    }
  }

  @Test
  void inNatsModeItsHeartbeatsReachNatsAndItSignsOffOnSigterm(@TempDir Path dir) throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start(); Connection raw = Nats.connect(nats.url())) {
      Subscription sub = raw.subscribe("ai.heartbeat.>");
      raw.flush(Duration.ofSeconds(2));
      JarProcess p = JarProcess.start("all", JarProcess.ALL, dir, Map.of("NATS_URL", nats.url(),
          "AGENT_HEARTBEAT_INTERVAL", "1", "DASHBOARD_PORT", "0"));
      String orchestrator = null;
      try {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (orchestrator == null && System.nanoTime() < end) {
          Message m = sub.nextMessage(Duration.ofSeconds(1));
          Heartbeat hb = m == null ? null : Heartbeat.decode(m.getData());
          if (hb != null && hb.agentType().equals("orchestrator")) {
            assertThat(hb.status()).isEqualTo(AgentStatus.AVAILABLE);
            orchestrator = hb.agentId();
          }
        }
        assertThat(orchestrator).as("a heartbeat from the jar's orchestrator").isNotNull();
        assertThat(raw.jetStreamManagement().getStreamNames()).contains("AI_EVENTS", "AI_WORKFLOWS", "AI_METRICS");
        p.awaitLog("agentnet all-in-one is running", Duration.ofSeconds(60));

        // the MCP servers answer over NATS, the proxmox one from the built-in simulator
        Message tools = raw.request("ai.mcp.filesystem",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(10));
        assertThat(new String(tools.getData(), StandardCharsets.UTF_8)).contains("read_text_file");
        Message nodes = raw.request("ai.mcp.proxmox", ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"list_nodes\"}}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
        assertThat(new String(nodes.getData(), StandardCharsets.UTF_8)).contains("pve1").doesNotContain("isError");
        assertThat(p.output()).contains("built-in simulator");

        // and the agents run a workflow, submitted from outside over NATS
        Message accepted = raw.request("ai.orchestrator.submit", ("{\"workflow_id\":\"jar-hc\",\"workflow_type\":"
            + "\"health_check\",\"parameters\":{},\"requester_id\":\"e2e\"}").getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(10));
        assertThat(new String(accepted.getData(), StandardCharsets.UTF_8)).contains("jar-hc");
        Subscription done = raw.subscribe("ai.events.workflow.jar-hc");
        String status = "";
        long end2 = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!status.contains("\"status\":\"completed\"") && System.nanoTime() < end2) {
          Message get = raw.request("ai.orchestrator.get", "{\"workflow_id\":\"jar-hc\"}"
              .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
          status = get == null ? "" : new String(get.getData(), StandardCharsets.UTF_8);
          done.nextMessage(Duration.ofMillis(500));
        }
        assertThat(status).as("health_check run by the all-in-one jar").contains("\"status\":\"completed\"");
      } finally {
        assertThat(p.stop(Duration.ofSeconds(30))).as("exits after SIGTERM").isTrue();
      }
      Heartbeat last = null;
      Message m;
      while ((m = sub.nextMessage(Duration.ofSeconds(2))) != null) {
        Heartbeat hb = Heartbeat.decode(m.getData());
        if (hb.agentId().equals(orchestrator)) {
          last = hb;
        }
      }
      assertThat(last).isNotNull();
      assertThat(last.status()).as("the last heartbeat says offline").isEqualTo(AgentStatus.OFFLINE);
      assertThat(p.output()).contains("connected to").doesNotContain("Exception");
    }
  }
}
