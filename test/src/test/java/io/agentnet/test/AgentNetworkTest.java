package io.agentnet.test;

import io.agentnet.bench.JarProcess;
import io.agentnet.bridge.testkit.FileTrees;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.agentnet.test.NetworkClient.data;
import static io.agentnet.test.NetworkClient.type;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agents and MCP servers as separate JVMs started from the fat jars, joined by a real
 * nats-server, driven from outside over raw NATS the way another program would: the seed's
 * workflows complete, and the network survives a killed specialist, a killed leader, an MCP
 * server going away, and a cancel.
 */
class AgentNetworkTest {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration FINISH = Duration.ofSeconds(90);

  /** The processes' logs stay in target/e2e/<test> as artifacts of a failed run. */
  private Path dir;
  private NatsServerProcess nats;
  private NetworkClient client;
  private final List<JarProcess> processes = new ArrayList<>();

  @BeforeEach
  void natsServer(TestInfo test) throws Exception {
    dir = Path.of("target", "e2e", test.getTestMethod().orElseThrow().getName());
    FileTrees.deleteQuietly(dir);
    nats = NatsServerProcess.start();
    client = new NetworkClient(nats.url());
  }

  @AfterEach
  void stopAll() throws Exception {
    for (JarProcess p : processes) {
      p.close();
    }
    client.close();
    nats.close();
  }

  private Map<String, String> env(String agentId, long taskMs) {
    Map<String, String> env = new HashMap<>();
    env.put("NATS_URL", nats.url());
    env.put("AGENT_ID", agentId);
    env.put("AGENT_HEARTBEAT_INTERVAL", "1");
    env.put("LEADER_ELECTION", "true");
    env.put("LEADER_LEASE_SECONDS", "3");
    env.put("METRICS_INTERVAL", "1");
    env.put("DRAIN_TIMEOUT", "2");
    env.put("PROXMOX_SIMULATOR_TASK_MS", Long.toString(taskMs));
    return env;
  }

  private JarProcess start(String name, Path jar, Map<String, String> env, String... args) throws Exception {
    JarProcess p = JarProcess.start(name, jar, dir, env, args);
    processes.add(p);
    return p;
  }

  private JarProcess proxmox(long taskMs) throws Exception {
    return start("mcp-proxmox", JarProcess.MCP, env("mcp-proxmox", taskMs), "proxmox");
  }

  private JarProcess orchestrator(String id) throws Exception {
    return start(id, JarProcess.AGENTS, env(id, 0), "orchestrator");
  }

  private JarProcess specialist(String id, int capacity) throws Exception {
    Map<String, String> env = env(id, 0);
    env.put("SPECIALIST_CAPACITY", Integer.toString(capacity));
    return start(id, JarProcess.AGENTS, env, "specialist");
  }

  private static void awaitRunning(JarProcess... ps) throws Exception {
    for (JarProcess p : ps) {
      p.awaitLog("is running", START);
    }
  }

  private JsonObject proxmoxTool(String tool, JsonObject args) throws Exception {
    JsonObject rpc = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", args));
    var reply = client.nats().request("ai.mcp.proxmox", rpc.encode().getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10));
    JsonObject result = new JsonObject(new String(reply.getData(), StandardCharsets.UTF_8)).getJsonObject("result");
    assertThat(result.getBoolean("isError", false)).as(tool + ": " + result.encode()).isFalse();
    return result.getJsonObject("structuredContent");
  }

  private static JsonObject vmDeployment(String name) {
    return new JsonObject().put("name", name).put("cores", 1).put("memory_mb", 512).put("disk_gb", 8);
  }

  @Test
  void theSeedWorkflowsCompleteAcrossProcesses() throws Exception {
    JarProcess mcp = proxmox(200);
    JarProcess orchestrator = orchestrator("orch-1");
    JarProcess general = specialist("spec-general", 4);
    JarProcess monitor = start("monitor", JarProcess.AGENTS, env("monitor-1", 0), "monitor");
    awaitRunning(mcp, orchestrator, general, monitor);

    String deployment = client.submit("vm_deployment", vmDeployment("e2e-web"));
    JsonObject done = client.awaitFinished(deployment, FINISH);
    assertThat(done.getString("event_type")).as(done.encode()).isEqualTo("workflow.completed");
    JsonObject record = client.get(deployment);
    JsonObject verify = record.getJsonObject("steps").getJsonObject("verify").getJsonObject("result");
    assertThat(verify.getString("status")).isEqualTo("running");
    long vmid = verify.getLong("vmid");
    assertThat(proxmoxTool("get_vm_status", new JsonObject().put("vmid", vmid)).getString("status")).isEqualTo("running");

    String optimization = client.submit("resource_optimization", new JsonObject());
    JsonObject optimized = client.awaitFinished(optimization, FINISH);
    assertThat(optimized.getString("event_type")).as(optimized.encode()).isEqualTo("workflow.completed");
    JsonObject report = client.get(optimization).getJsonObject("steps").getJsonObject("report").getJsonObject("result");
    assertThat(report.getJsonObject("before")).isNotNull();
    assertThat(report.getJsonObject("after")).isNotNull();

    // health_check end to end: the VM stops, the monitor alerts and starts health_check, which restarts it.
    // The monitor alerts on a VM it saw running that then stopped: wait until it has seen it running.
    client.awaitEvent(e -> e.getString("_subject").startsWith("ai.metrics.")
            && Long.toString(vmid).equals(e.getJsonObject("tags", new JsonObject()).getString("vmid"))
            && Double.valueOf(1.0).equals(e.getJsonObject("metrics", new JsonObject()).getDouble("running")),
        FINISH, "the monitor reporting VM " + vmid + " running");
    proxmoxTool("stop_vm", new JsonObject().put("vmid", vmid).put("confirm", true));
    JsonObject alert = client.awaitEvent(e -> e.getString("_subject").startsWith("ai.events.alert.")
        && String.valueOf(data(e).getValue("target")).contains(Long.toString(vmid)), FINISH, "an alert about VM " + vmid);
    String healthCheck = data(alert).getString("workflow_id");
    assertThat(healthCheck).as("the alert names the health_check it started: " + alert.encode()).isNotNull();
    JsonObject healed = client.awaitFinished(healthCheck, FINISH);
    assertThat(healed.getString("event_type")).as(healed.encode()).isEqualTo("workflow.completed");
    assertThat(proxmoxTool("get_vm_status", new JsonObject().put("vmid", vmid)).getString("status")).isEqualTo("running");
    assertThat(client.events(type("agent.online"))).as("the monitor announces agents").isNotEmpty();
  }

  @Test
  void aSpecialistKilledMidStepIsReplacedAndTheStepCompletesOnce() throws Exception {
    JarProcess mcp = proxmox(4000);
    JarProcess orchestrator = orchestrator("orch-1");
    JarProcess a = specialist("spec-a", 1);
    JarProcess b = specialist("spec-b", 1);
    awaitRunning(mcp, orchestrator, a, b);

    String id = client.submit("vm_deployment", vmDeployment("e2e-failover"));
    JsonObject started = client.awaitEvent(e -> type("task.started").test(e) && id.equals(data(e).getString("workflow_id"))
        && "wait_create".equals(data(e).getString("step_id")), FINISH, "wait_create started");
    String victim = data(started).getString("agent_id");
    (victim.equals("spec-a") ? a : b).kill();

    JsonObject done = client.awaitFinished(id, FINISH);
    assertThat(done.getString("event_type")).as(done.encode()).isEqualTo("workflow.completed");
    List<JsonObject> completions = client.events(e -> type("task.completed").test(e)
        && id.equals(data(e).getString("workflow_id")) && "wait_create".equals(data(e).getString("step_id")));
    assertThat(completions).as("wait_create completed exactly once").hasSize(1);
    assertThat(data(completions.get(0)).getString("agent_id")).isNotEqualTo(victim);
    JsonArray history = client.get(id).getJsonObject("steps").getJsonObject("wait_create").getJsonArray("history");
    assertThat(history.encode()).contains("reassigned").contains(victim);
  }

  @Test
  void theStandbyResumesInFlightWorkflowsWhenTheLeaderIsKilled() throws Exception {
    JarProcess mcp = proxmox(1500);
    JarProcess first = orchestrator("orch-a");
    first.awaitLog("is the leader", START);
    JarProcess second = orchestrator("orch-b");
    JarProcess s1 = specialist("spec-1", 2);
    JarProcess s2 = specialist("spec-2", 2);
    awaitRunning(mcp, second, s1, s2);
    second.awaitLog("standing by", START);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(client.submit("vm_deployment", vmDeployment("e2e-leader-" + i)));
    }
    client.awaitEvent(e -> type("workflow.step").test(e) && "orch-a".equals(e.getString("source")), FINISH,
        "the leader handing out steps");
    first.kill();
    second.awaitLog("is the leader", Duration.ofSeconds(30));
    for (String id : ids) {
      JsonObject done = client.awaitFinished(id, FINISH);
      assertThat(done.getString("event_type")).as(done.encode()).isEqualTo("workflow.completed");
      assertThat(done.getString("source")).isEqualTo("orch-b");
    }
  }

  @Test
  void anMcpServerThatGoesAwayHoldsItsStepsUntilItReturns() throws Exception {
    JarProcess mcp = proxmox(200);
    // Three failed calls open the circuit in about a second; with 1 s beats the orchestrator's directory could
    // see the killed server offline first (after 2 to 3.5 s on a slow machine) and stop calling it. Its
    // directory waits 15 s here; the server's return is still seen at its first beat.
    Map<String, String> slowDirectory = env("orch-1", 0);
    slowDirectory.put("AGENT_HEARTBEAT_INTERVAL", "5");
    JarProcess orchestrator = start("orch-1", JarProcess.AGENTS, slowDirectory, "orchestrator");
    JarProcess specialist = specialist("spec-1", 2);
    awaitRunning(mcp, orchestrator, specialist);
    client.awaitFinished(client.submit("health_check", new JsonObject()), FINISH);

    mcp.kill();
    String id = client.submit("health_check", new JsonObject());
    client.awaitEvent(e -> type("task.failed").test(e) && id.equals(data(e).getString("workflow_id"))
            && "proxmox".equals(data(e).getString("mcp_server")), FINISH,
        "a step failing because mcp-proxmox is gone");
    JsonObject failed = client.events(e -> type("task.failed").test(e) && id.equals(data(e).getString("workflow_id")))
        .get(0);
    assertThat(data(failed).getString("error")).contains("proxmox");
    assertThat(client.get(id).getString("status")).as("the workflow waits").isIn("pending", "in_progress");

    JarProcess back = proxmox(200);
    back.awaitLog("is running", START);
    JsonObject done = client.awaitFinished(id, FINISH);
    assertThat(done.getString("event_type")).as(done.encode()).isEqualTo("workflow.completed");
    assertThat(orchestrator.output()).contains("circuit");
  }

  @Test
  void aCancelledWorkflowStopsMidWay() throws Exception {
    JarProcess mcp = proxmox(5000);
    JarProcess orchestrator = orchestrator("orch-1");
    JarProcess specialist = specialist("spec-1", 2);
    awaitRunning(mcp, orchestrator, specialist);

    String id = client.submit("vm_deployment", vmDeployment("e2e-cancel"));
    client.awaitEvent(e -> type("task.started").test(e) && id.equals(data(e).getString("workflow_id"))
        && "wait_create".equals(data(e).getString("step_id")), FINISH, "wait_create started");
    JsonObject reply = client.request("ai.orchestrator.cancel", new JsonObject().put("workflow_id", id)
        .put("reason", "e2e says stop"), Duration.ofSeconds(10));
    assertThat(reply.getString("status")).isIn("cancelled", "cancelling");
    JsonObject done = client.awaitFinished(id, FINISH);
    assertThat(done.getString("event_type")).isEqualTo("workflow.cancelled");
    client.awaitEvent(e -> type("task.cancelled").test(e) && id.equals(data(e).getString("workflow_id")), FINISH,
        "the running task told to stop");
    JsonObject record = client.get(id);
    assertThat(record.getString("status")).isEqualTo("cancelled");
    assertThat(record.getJsonObject("steps").getJsonObject("start").getString("status")).isEqualTo("cancelled");
    assertThat(client.events(e -> type("task.started").test(e) && id.equals(data(e).getString("workflow_id"))
        && "start".equals(data(e).getString("step_id")))).as("later steps never start").isEmpty();
  }
}
