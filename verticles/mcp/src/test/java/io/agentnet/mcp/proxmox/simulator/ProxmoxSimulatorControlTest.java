package io.agentnet.mcp.proxmox.simulator;

import io.agentnet.bridge.config.Environment;
import io.agentnet.mcp.proxmox.ProxmoxToolProvider;
import io.agentnet.mcp.proxmox.client.ProxmoxOptions;
import io.agentnet.mcp.proxmox.client.TlsTrust;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's control API over HTTPS, as a test in another process would use it. */
class ProxmoxSimulatorControlTest {

  private static final long MIB = 1024L * 1024;

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ProxmoxSimulator simulator(boolean control) throws Exception {
    return ProxmoxSimulator.start(vertx, new SimulatorOptions().taskDurationMs(100).controlApi(control))
        .await(20, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> post(ProxmoxSimulator sim, String path, String token, String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(TlsTrust.sslContext(sim.clientOptions())).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + sim.port() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(ProxmoxSimulator sim) {
    return "PVEAPIToken=" + sim.user() + "!" + sim.tokenName() + "=" + sim.tokenValue();
  }

  private static HttpResponse<String> control(ProxmoxSimulator sim, String action, JsonObject body) throws Exception {
    return post(sim, ProxmoxSimulator.CONTROL_PREFIX + "/" + action, token(sim), body.encode());
  }

  private static String message(HttpResponse<String> response) {
    JsonObject body = new JsonObject(response.body());
    return body.getString("message", "") + body.getJsonObject("errors", new JsonObject()).encode();
  }

  @Test
  void withoutTheOptionThereIsNoControlApi() throws Exception {
    ProxmoxSimulator sim = simulator(false);
    HttpResponse<String> response = control(sim, "stop-vm", new JsonObject().put("vmid", 100));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(sim.cluster().isRunning(100)).isTrue();
  }

  @Test
  void eachActionChangesTheSimulatedCluster() throws Exception {
    ProxmoxSimulator sim = simulator(true);
    SimulatedCluster cluster = sim.cluster();

    HttpResponse<String> stopped = control(sim, "stop-vm", new JsonObject().put("vmid", 100));
    assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
    assertThat(new JsonObject(stopped.body()).getJsonObject("data"))
        .isEqualTo(new JsonObject().put("action", "stop-vm").put("done", true));
    assertThat(cluster.isRunning(100)).isFalse();

    assertThat(control(sim, "node-usage", new JsonObject().put("node", "pve2").put("cpu", 0.97)
        .put("mem_bytes", 31L * 1024 * MIB)).statusCode()).isEqualTo(200);
    assertThat(cluster.memoryUsed("pve2")).isEqualTo(31L * 1024 * MIB);
    assertThat(cluster.nodeStatus("pve2").getDouble("cpu")).isGreaterThanOrEqualTo(0.97);

    assertThat(control(sim, "node-online", new JsonObject().put("node", "pve3").put("online", false)).statusCode())
        .isEqualTo(200);
    assertThat(cluster.nodes().getJsonObject(2).getString("status")).isEqualTo("offline");
    assertThat(control(sim, "node-online", new JsonObject().put("node", "pve3").put("online", true)).statusCode())
        .isEqualTo(200);
    assertThat(cluster.nodes().getJsonObject(2).getString("status")).isEqualTo("online");

    assertThat(control(sim, "fail-next-task", new JsonObject().put("type", "qmstart").put("exitstatus", "start failed"))
        .statusCode()).isEqualTo(200);
    String upid = cluster.vmAction("pve1", 101, "start", "root@pam");
    long deadline = System.currentTimeMillis() + 5000;
    while (!"stopped".equals(cluster.taskStatus("pve1", upid).getString("status")) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(cluster.taskStatus("pve1", upid).getString("exitstatus")).isEqualTo("start failed");

    assertThat(control(sim, "guest-agent", new JsonObject().put("vmid", 102).put("running", true)).statusCode())
        .isEqualTo(200);
    assertThat(cluster.agentExec("pve2", 102, java.util.List.of("true"), null).getLong("pid")).isPositive();
  }

  @Test
  void badRequestsAreRefusedWithWhatWasWrong() throws Exception {
    ProxmoxSimulator sim = simulator(true);
    HttpResponse<String> noToken = post(sim, ProxmoxSimulator.CONTROL_PREFIX + "/stop-vm", null, "{\"vmid\":100}");
    assertThat(noToken.statusCode()).isEqualTo(401);
    HttpResponse<String> readOnly = post(sim, ProxmoxSimulator.CONTROL_PREFIX + "/stop-vm",
        "PVEAPIToken=" + sim.user() + "!" + sim.readOnlyTokenName() + "=" + sim.readOnlyTokenValue(), "{\"vmid\":100}");
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(sim.cluster().isRunning(100)).isTrue();

    HttpResponse<String> unknownAction = control(sim, "explode", new JsonObject());
    assertThat(unknownAction.statusCode()).isEqualTo(404);
    assertThat(message(unknownAction)).contains("unknown control action 'explode'").contains("stop-vm");
    HttpResponse<String> unknownVm = control(sim, "stop-vm", new JsonObject().put("vmid", 555));
    assertThat(unknownVm.statusCode()).isEqualTo(404);
    assertThat(message(unknownVm)).contains("no VM 555");
    HttpResponse<String> unknownNode = control(sim, "node-online", new JsonObject().put("node", "pve9").put("online", false));
    assertThat(unknownNode.statusCode()).isEqualTo(404);
    assertThat(message(unknownNode)).contains("no node pve9");

    HttpResponse<String> missing = control(sim, "node-usage", new JsonObject().put("node", "pve1").put("cpu", 0.5));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(message(missing)).contains("mem_bytes").contains("missing");
    HttpResponse<String> wrongType = control(sim, "node-online", new JsonObject().put("node", "pve1").put("online", "no"));
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(message(wrongType)).contains("online").contains("expected true or false");
    HttpResponse<String> badType = control(sim, "fail-next-task", new JsonObject().put("type", "qmfly").put("exitstatus", "x"));
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(message(badType)).contains("qmigrate");
    HttpResponse<String> notJson = post(sim, ProxmoxSimulator.CONTROL_PREFIX + "/stop-vm", token(sim), "vmid=100");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(message(notJson)).contains("JSON object");
  }

  @Test
  void theProxmoxRoleTakesControlPortAndCredentialsFromTheEnvironment() throws Exception {
    Environment env = new Environment(Map.of("PROXMOX_SIMULATOR_CONTROL", "true", "PROXMOX_TOKEN_NAME", "chaos",
        "PROXMOX_TOKEN_VALUE", "s3cret-token"));
    SimulatorOptions options = SimulatorOptions.fromEnv(env);
    assertThat(options.controlApi()).isTrue();
    assertThat(options.port()).isZero();
    assertThat(SimulatorOptions.fromEnv(new Environment(Map.of())).controlApi()).isFalse();

    ProxmoxToolProvider provider = ProxmoxToolProvider.create(vertx, ProxmoxOptions.fromConfig(null, env), options)
        .await(20, TimeUnit.SECONDS);
    try {
      ProxmoxSimulator sim = provider.simulator();
      assertThat(sim.tokenName()).isEqualTo("chaos");
      HttpResponse<String> response = post(sim, ProxmoxSimulator.CONTROL_PREFIX + "/stop-vm",
          "PVEAPIToken=root@pam!chaos=s3cret-token", "{\"vmid\":100}");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(sim.cluster().isRunning(100)).isFalse();
    } finally {
      provider.close();
    }
  }
}
