package io.agentnet.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's HTTP API against the real agents and MCP servers in one JVM (local mode): what
 * docs/ARCHITECTURE.md "The dashboard" promises, status codes and JSON errors included.
 */
@ExtendWith(VertxExtension.class)
class DashboardApiTest extends DashboardTestNetwork {

  private static List<JsonObject> objects(JsonArray a) {
    return a.stream().map(o -> (JsonObject) o).toList();
  }

  private static void assertError(Answer a, int status, String... fragments) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    JsonObject body = a.json();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("error")).isNotBlank();
    for (String fragment : fragments) {
      assertThat(body.getString("error")).contains(fragment);
    }
  }

  @Test
  void infoSaysLocalModeAndTheIntervals() throws Exception {
    long before = System.currentTimeMillis();
    Answer a = get("/api/info");
    assertThat(a.status()).isEqualTo(200);
    JsonObject info = a.json();
    assertThat(info.getString("mode")).isEqualTo("local");
    assertThat(info.getLong("heartbeat_interval_ms")).isEqualTo(1000L);
    assertThat(info.getLong("stale_after_ms")).isEqualTo(3000L);
    assertThat(info.getLong("stream_flush_ms")).isEqualTo(250L);
    assertThat(info.getLong("now")).isBetween(before, System.currentTimeMillis());
    assertThat(a.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  void agentsListsEveryRoleOnlineWithCapabilitiesAndHeartbeatAge() throws Exception {
    eventually("every role listed online", this::everyRoleIsListedOnline);
  }

  private void everyRoleIsListedOnline() throws Exception {
    Answer a = get("/api/agents");
    assertThat(a.status()).isEqualTo(200);
    JsonObject body = a.json();
    assertThat(body.getLong("now")).isPositive();
    List<JsonObject> agents = objects(body.getJsonArray("agents"));
    assertThat(agents).hasSize(7);
    Map<String, Long> byType = agents.stream().collect(Collectors.groupingBy(x -> x.getString("agent_type"),
        Collectors.counting()));
    assertThat(byType).containsExactlyInAnyOrderEntriesOf(Map.of("general", 2L, "machine_learning", 1L,
        "orchestrator", 1L, "monitor", 1L, "mcp-server", 2L));
    assertThat(agents).extracting(x -> x.getString("agent_id")).isSorted();
    for (JsonObject agent : agents) {
      String id = agent.getString("agent_id");
      assertThat(agent.getBoolean("online")).as(id).isTrue();
      assertThat(agent.getString("status")).as(id).isIn("available", "busy");
      assertThat(agent.getJsonArray("capabilities")).as(id).isNotEmpty();
      assertThat(agent.getDouble("load")).as(id).isBetween(0.0, 1.0);
      assertThat(agent.getString("last_seen")).as(id).isNotBlank();
      // beats every second, so the dashboard heard it well within the 3 s after which it is stale
      assertThat(agent.getLong("heartbeat_age_ms")).as(id).isBetween(0L, 3000L);
    }
    Map<String, JsonObject> byId = agents.stream().collect(Collectors.toMap(x -> x.getString("agent_id"),
        Function.identity()));
    assertThat(byId.keySet()).filteredOn(id -> id.startsWith("specialist-general-")).hasSize(2);
    assertThat(byId.keySet()).filteredOn(id -> id.startsWith("specialist-machine-learning-")).hasSize(1);
    assertThat(byId.keySet()).filteredOn(id -> id.startsWith("orchestrator-")).hasSize(1);
    assertThat(byId.keySet()).filteredOn(id -> id.startsWith("monitor-")).hasSize(1);
    JsonObject proxmox = byId.values().stream().filter(x -> x.getString("agent_id").startsWith("mcp-proxmox-"))
        .findFirst().orElseThrow();
    assertThat(proxmox.getString("agent_type")).isEqualTo("mcp-server");
    assertThat(proxmox.getJsonArray("capabilities").getList()).contains("mcp:proxmox", "mcp:proxmox/list_nodes");
    JsonObject filesystem = byId.values().stream().filter(x -> x.getString("agent_id").startsWith("mcp-filesystem-"))
        .findFirst().orElseThrow();
    assertThat(filesystem.getJsonArray("capabilities").getList()).contains("mcp:filesystem");
    JsonObject specialist = byId.values().stream().filter(x -> x.getString("agent_type").equals("general"))
        .findFirst().orElseThrow();
    assertThat(specialist.getJsonArray("capabilities").getList()).contains("diagnosis");
    assertThat(specialist.getInteger("capacity")).isPositive();
  }

  @Test
  void toolsListsBothServersWithTheirToolsAndSchemas() throws Exception {
    eventually("both MCP servers listed online with their tools", this::bothServersAreListedWithTheirTools);
  }

  private void bothServersAreListedWithTheirTools() throws Exception {
    Answer a = get("/api/tools");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    List<JsonObject> servers = objects(a.json().getJsonArray("servers"));
    assertThat(servers).extracting(s -> s.getString("server")).containsExactly("filesystem", "proxmox");
    for (JsonObject s : servers) {
      assertThat(s.getBoolean("online")).as(s.encode()).isTrue();
      assertThat(s.containsKey("error")).as(s.encode()).isFalse();
      assertThat(s.getJsonArray("agent_ids").getList()).singleElement().asString()
          .startsWith("mcp-" + s.getString("server") + "-");
      for (JsonObject tool : objects(s.getJsonArray("tools"))) {
        assertThat(tool.getString("name")).isNotBlank();
        assertThat(tool.getString("description")).as(tool.getString("name")).isNotBlank();
        assertThat(tool.getJsonObject("inputSchema").getString("type")).as(tool.getString("name")).isEqualTo("object");
      }
    }
    Map<String, JsonObject> proxmox = objects(servers.get(1).getJsonArray("tools")).stream()
        .collect(Collectors.toMap(t -> t.getString("name"), Function.identity()));
    assertThat(proxmox).containsKeys("list_nodes", "get_node_status", "list_vms", "get_vm_status", "start_vm",
        "create_vm");
    assertThat(proxmox.get("get_vm_status").getJsonObject("inputSchema").getJsonArray("required").getList())
        .contains("vmid");
    assertThat(proxmox.get("get_vm_status").getJsonObject("inputSchema").getJsonObject("properties")
        .getJsonObject("vmid").getString("type")).isEqualTo("integer");
    assertThat(proxmox.get("list_nodes").getJsonObject("annotations").getBoolean("readOnlyHint")).isTrue();
    assertThat(objects(servers.get(0).getJsonArray("tools"))).extracting(t -> t.getString("name"))
        .contains("read_text_file", "write_file", "list_directory");
  }

  @Test
  void callingAToolAnswersItsResult() throws Exception {
    Answer a = post("/api/tools/proxmox/list_nodes", "{}");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonObject body = a.json();
    assertThat(body.getString("server")).isEqualTo("proxmox");
    assertThat(body.getString("tool")).isEqualTo("list_nodes");
    JsonObject result = body.getJsonObject("result");
    assertThat(result.getBoolean("isError", false)).isFalse();
    assertThat(result.getJsonArray("content")).isNotEmpty();
    assertThat(result.getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("text");
    List<JsonObject> nodes = objects(result.getJsonObject("structuredContent").getJsonArray("nodes"));
    assertThat(nodes).isNotEmpty();
    assertThat(nodes).allSatisfy(n -> assertThat(n.getString("node")).isNotBlank());
  }

  @Test
  void aToolNeedsTheToken() throws Exception {
    assertError(post("/api/tools/proxmox/list_nodes", "{}", null), 401, "token");
    assertError(post("/api/tools/proxmox/list_nodes", "{}", "Bearer nope"), 403, "wrong");
  }

  @Test
  void anUnknownToolIs400NamingIt() throws Exception {
    assertError(post("/api/tools/proxmox/brew_coffee", "{}"), 400, "brew_coffee", "list_nodes");
  }

  @Test
  void anUnknownServerIs404NamingTheOnlineOnes() throws Exception {
    eventually("a 404 naming both online servers",
        () -> assertError(post("/api/tools/kettle/list_nodes", "{}"), 404, "kettle", "filesystem", "proxmox"));
  }

  @Test
  void argumentsOfTheWrongTypeAreAToolErrorNamingTheField() throws Exception {
    // observed: the MCP server checks the arguments against the input schema and, at the protocol version
    // the dashboard's client negotiates, answers a tool error (isError: true), not a JSON-RPC -32602; so 200
    Answer a = post("/api/tools/proxmox/get_vm_status", new JsonObject().put("vmid", "one hundred").encode());
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonObject result = a.json().getJsonObject("result");
    assertThat(result.getBoolean("isError")).as(a.body()).isTrue();
    assertThat(result.getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("Invalid arguments for tool get_vm_status: argument 'vmid': expected integer, got string");
    // a missing required argument the same way
    Answer missing = post("/api/tools/proxmox/get_vm_status", "{}");
    assertThat(missing.status()).as(missing.body()).isEqualTo(200);
    assertThat(missing.json().getJsonObject("result").getBoolean("isError")).isTrue();
    assertThat(missing.json().getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"))
        .contains("get_vm_status", "vmid");
  }

  @Test
  void aToolErrorIsIsErrorWith200() throws Exception {
    Answer a = post("/api/tools/proxmox/get_vm_status", new JsonObject().put("vmid", 999_999).encode());
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonObject result = a.json().getJsonObject("result");
    assertThat(result.getBoolean("isError")).as(a.body()).isTrue();
    assertThat(result.getJsonArray("content").getJsonObject(0).getString("text")).contains("999999");
  }

  @Test
  void toolArgumentsMustBeAJsonObject() throws Exception {
    assertError(post("/api/tools/proxmox/list_nodes", "[1]"), 400, "JSON object", "array");
    assertError(post("/api/tools/proxmox/list_nodes", "{nope"), 400, "not valid JSON");
  }

  @Test
  void submittingWithoutTheRightTokenIsRefusedAndSubmitsNothing() throws Exception {
    int before = workflowsTotal();
    String health = new JsonObject().put("workflow_type", "health_check").put("parameters", new JsonObject()).encode();

    Answer none = post("/api/workflows", health, null);
    assertError(none, 401, "Authorization: Bearer");
    assertThat(none.body()).doesNotContain(TOKEN);
    Answer wrong = post("/api/workflows", health, "Bearer " + TOKEN + "-not");
    assertError(wrong, 403, "token is wrong");
    assertThat(wrong.body()).doesNotContain(TOKEN);
    assertError(post("/api/workflows", health, "Basic " + TOKEN), 401, "Bearer");
    // the token is checked before the body is even parsed
    assertError(post("/api/workflows", "{nope", null), 401);

    // nothing was submitted: a submit answers 202 only once the orchestrator has the workflow, so it would be listed
    assertThat(workflowsTotal()).isEqualTo(before);
  }

  @Test
  void aBodyThatIsNotJsonIs400() throws Exception {
    assertError(post("/api/workflows", "{\"workflow_type\": health_check}"), 400, "not valid JSON", "line 1");
    assertError(post("/api/workflows", ""), 400, "must be a JSON object");
  }

  @Test
  void aJsonArrayIs400() throws Exception {
    assertError(post("/api/workflows", "[{\"workflow_type\":\"health_check\"}]"), 400, "JSON object", "array");
    assertError(post("/api/workflows", "\"health_check\""), 400, "JSON object", "string");
  }

  @Test
  void anUnknownWorkflowTypeIs400NamingIt() throws Exception {
    assertError(post("/api/workflows", new JsonObject().put("workflow_type", "make_coffee")
        .put("parameters", new JsonObject()).encode()), 400, "make_coffee", "health_check");
  }

  @Test
  void invalidParametersAre400NamingTheField() throws Exception {
    assertError(post("/api/workflows", new JsonObject().put("workflow_type", "vm_deployment")
        .put("parameters", new JsonObject().put("name", "x").put("cores", "many")).encode()), 400, "cores");
  }

  @Test
  void aBodyOverTheLimitIs413Json() throws Exception {
    int before = workflowsTotal();
    String big = new JsonObject().put("workflow_type", "health_check")
        .put("parameters", new JsonObject().put("node", "x".repeat(MAX_BODY))).encode();
    assertThat(big.length()).isGreaterThan(MAX_BODY);
    assertError(post("/api/workflows", big), 413, "over the limit of " + MAX_BODY + " bytes");
    assertError(post("/api/tools/proxmox/list_nodes", "{\"pad\":\"" + "y".repeat(MAX_BODY) + "\"}"), 413,
        String.valueOf(MAX_BODY));
    assertThat(workflowsTotal()).isEqualTo(before);
  }

  @Test
  void aHealthCheckRunsToCompletionAndShowsInTheListAndTopology() throws Exception {
    // the definitions first: the dashboard learns which step uses which server from them
    assertThat(get("/api/definitions").status()).isEqualTo(200);
    String id = submit("health_check", new JsonObject());

    JsonObject record = awaitFinished(id);

    assertThat(record.getString("workflow_id")).isEqualTo(id);
    assertThat(record.getString("workflow_type")).isEqualTo("health_check");
    assertThat(record.getString("status")).as(record.encode()).isEqualTo("completed");
    assertThat(record.getString("submitted_at")).isNotBlank();
    assertThat(record.getString("finished_at")).isNotBlank();
    JsonObject steps = record.getJsonObject("steps");
    assertThat(steps.fieldNames()).containsExactlyInAnyOrder("diagnose", "remediate", "verify");
    for (String step : steps.fieldNames()) {
      JsonObject s = steps.getJsonObject(step);
      assertThat(s.getString("status")).as(step + ": " + s.encode()).isEqualTo("succeeded");
      assertThat(s.getString("agent_id")).as(step).startsWith("specialist-");
      assertThat(s.getInteger("attempts")).as(step).isGreaterThanOrEqualTo(1);
      assertThat(s.getJsonArray("history")).as(step).isNotEmpty();
    }
    assertThat(record.getJsonObject("step_status").getMap()).containsOnly(Map.entry("diagnose", "succeeded"),
        Map.entry("remediate", "succeeded"), Map.entry("verify", "succeeded"));

    JsonObject list = get("/api/workflows").json();
    assertThat(list.getInteger("total")).isGreaterThanOrEqualTo(1);
    JsonObject listed = objects(list.getJsonArray("workflows")).stream()
        .filter(w -> id.equals(w.getString("workflow_id"))).findFirst().orElseThrow();
    assertThat(listed.getString("status")).isEqualTo("completed");
    assertThat(listed.getString("workflow_type")).isEqualTo("health_check");
    assertThat(listed.getJsonObject("step_status").getString("verify")).isEqualTo("succeeded");
    assertThat(objects(get("/api/workflows?status=completed&workflow_type=health_check").json()
        .getJsonArray("workflows"))).extracting(w -> w.getString("workflow_id")).contains(id);
    assertThat(objects(get("/api/workflows?status=failed").json().getJsonArray("workflows")))
        .extracting(w -> w.getString("workflow_id")).doesNotContain(id);

    // the agent that diagnosed used proxmox (seen in the workflow.step events)
    String diagnoser = steps.getJsonObject("diagnose").getString("agent_id");
    JsonObject topology = await("topology shows " + diagnoser + " using proxmox", Duration.ofSeconds(5), () -> {
      JsonObject t = get("/api/topology").json();
      return edges(t).contains("agent:" + diagnoser + " -uses-> mcp:proxmox") ? Optional.of(t) : Optional.empty();
    });
    assertThat(edges(topology)).contains("agent:" + diagnoser + " -has-> cap:diagnosis");

    // finished: a cancel is a conflict
    assertError(post("/api/workflows/" + id + "/cancel", "{}"), 409, id, "already finished: completed");
    assertThat(get("/api/workflows/" + id).json().getString("status")).isEqualTo("completed");
  }

  @Test
  void aRunningWorkflowCanBeCancelled() throws Exception {
    String id = submit("vm_deployment", new JsonObject().put("name", "dash-cancel").put("cores", 1).put("memory_mb", 256));
    Answer a = post("/api/workflows/" + id + "/cancel", new JsonObject().put("reason", "test cancel").encode());
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().getString("workflow_id")).isEqualTo(id);
    assertThat(a.json().getString("status")).isIn("cancelled", "cancelling");
    assertThat(awaitFinished(id).getString("status")).isEqualTo("cancelled");
  }

  @Test
  void unknownWorkflowsAre404() throws Exception {
    assertError(get("/api/workflows/nope"), 404, "no workflow nope");
    assertError(post("/api/workflows/nope/cancel", "{}"), 404, "no workflow nope");
    assertError(post("/api/workflows/nope/cancel", "{\"reason\":\"because\"}"), 404, "no workflow nope");
    assertError(post("/api/workflows/nope/cancel", "{}", null), 401);
    assertError(post("/api/workflows/nope/cancel", "[]"), 400, "JSON object");
  }

  @Test
  void aCancelWithoutABodyIsAccepted() throws Exception {
    assertError(post("/api/workflows/nope/cancel", ""), 404, "no workflow nope");
    String id = submit("vm_deployment", new JsonObject().put("name", "dash-cancel-nobody").put("cores", 1)
        .put("memory_mb", 256));
    Answer a = post("/api/workflows/" + id + "/cancel", "");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(awaitFinished(id).getString("status")).isEqualTo("cancelled");
    assertError(post("/api/workflows/" + id + "/cancel", ""), 409, "already finished");
  }

  @Test
  void aLimitThatIsNotANumberIs400() throws Exception {
    assertError(get("/api/workflows?limit=ten"), 400, "limit", "ten");
  }

  @Test
  void definitionsHaveTheThreeWorkflowTypesWithParametersAndSteps() throws Exception {
    Answer a = get("/api/definitions");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    Map<String, JsonObject> byType = objects(a.json().getJsonArray("workflows")).stream()
        .collect(Collectors.toMap(w -> w.getString("workflow_type"), Function.identity()));
    assertThat(byType).containsOnlyKeys("health_check", "vm_deployment", "resource_optimization");
    for (JsonObject w : byType.values()) {
      String type = w.getString("workflow_type");
      assertThat(w.getString("description")).as(type).isNotBlank();
      assertThat(w.getJsonObject("parameters").getString("type")).as(type).isEqualTo("object");
      assertThat(w.getJsonArray("steps")).as(type).isNotEmpty();
      for (JsonObject step : objects(w.getJsonArray("steps"))) {
        assertThat(step.fieldNames()).as(type).contains("id", "action", "capability", "mcp_tools", "depends_on",
            "timeout_seconds");
      }
    }
    JsonObject diagnose = objects(byType.get("health_check").getJsonArray("steps")).get(0);
    assertThat(diagnose.getString("id")).isEqualTo("diagnose");
    assertThat(diagnose.getString("capability")).isEqualTo("diagnosis");
    assertThat(diagnose.getJsonArray("mcp_tools").getList()).contains("proxmox/list_nodes");
    assertThat(byType.get("vm_deployment").getJsonObject("parameters").getJsonObject("properties").fieldNames())
        .contains("name", "cores", "memory_mb");
  }

  private static Set<String> edges(JsonObject topology) {
    return objects(topology.getJsonArray("edges")).stream()
        .map(e -> e.getString("from") + " -" + e.getString("kind") + "-> " + e.getString("to"))
        .collect(Collectors.toSet());
  }

  @Test
  void topologyHasAgentsCapabilitiesServersAndTheirEdges() throws Exception {
    eventually("the topology of the online network", this::topologyShowsTheOnlineNetwork);
  }

  private void topologyShowsTheOnlineNetwork() throws Exception {
    Answer a = get("/api/topology");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonObject t = a.json();
    Map<String, JsonObject> nodes = objects(t.getJsonArray("nodes")).stream()
        .collect(Collectors.toMap(n -> n.getString("id"), Function.identity()));
    assertThat(nodes.values()).extracting(n -> n.getString("kind")).containsOnly("agent", "capability", "mcp_server");
    assertThat(nodes.values()).filteredOn(n -> n.getString("kind").equals("agent")).hasSize(5)
        .allSatisfy(n -> assertThat(n.getString("status")).isEqualTo("online"));
    assertThat(nodes.get("mcp:proxmox").getString("kind")).isEqualTo("mcp_server");
    assertThat(nodes.get("mcp:proxmox").getString("status")).isEqualTo("online");
    assertThat(nodes.get("mcp:filesystem").getString("status")).isEqualTo("online");
    assertThat(nodes.get("cap:diagnosis").getString("kind")).isEqualTo("capability");
    assertThat(edges(t)).contains("cap:diagnosis -uses-> mcp:proxmox", "cap:provisioning -uses-> mcp:proxmox");
    assertThat(edges(t)).anyMatch(e -> e.matches("agent:specialist-general-[0-9a-f]{8} -has-> cap:diagnosis"));
    // MCP servers are server nodes, not agents
    assertThat(nodes.keySet()).noneMatch(id -> id.startsWith("agent:mcp-"));
  }

  @Test
  void healthIsUpWithTheBridgeAndDashboardChecks() throws Exception {
    eventually("health UP with all seven online", this::healthIsUpWithAllSevenOnline);
  }

  private void healthIsUpWithAllSevenOnline() throws Exception {
    Answer a = get("/health");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonObject health = new JsonObject(a.body());
    assertThat(health.getString("status")).isEqualTo("UP");
    Map<String, JsonObject> checks = objects(health.getJsonArray("checks")).stream()
        .collect(Collectors.toMap(c -> c.getString("id"), Function.identity()));
    assertThat(checks).containsKeys("bridge", "dashboard");
    assertThat(checks.get("bridge").getString("status")).isEqualTo("UP");
    assertThat(checks.get("dashboard").getString("status")).isEqualTo("UP");
    assertThat(checks.get("dashboard").getJsonObject("data").getInteger("agents")).isEqualTo(7);
    assertThat(checks.get("dashboard").getJsonObject("data").getInteger("online")).isEqualTo(7);
  }

  @Test
  void metricsArePrometheusTextWithTheDashboardsAndVertxMeters() throws Exception {
    eventually("metrics counting seven agents online", this::metricsCountAllSevenOnline);
  }

  private void metricsCountAllSevenOnline() throws Exception {
    String text = await("agent load gauges on /metrics", Duration.ofSeconds(5), () -> {
      Answer a = get("/metrics");
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      return a.body().contains("agentnet_agent_load{") ? Optional.of(a.body()) : Optional.empty();
    });
    assertThat(text).containsPattern("(?m)^agentnet_dashboard_agents\\{state=\"online\"} 7(\\.0)?$");
    assertThat(text).containsPattern("(?m)^agentnet_dashboard_agents\\{state=\"offline\"} 0(\\.0)?$");
    assertThat(text).containsPattern("(?m)^agentnet_agent_load\\{agent_id=\"orchestrator-[0-9a-f]{8}\",agent_type=\"orchestrator\"} ");
    assertThat(text).containsPattern("(?m)^vertx_\\w+");
  }

  @Test
  void theUiLibrariesAreServed() throws Exception {
    for (String lib : List.of("/vendor/chart.umd.min.js", "/vendor/sockjs.min.js", "/vendor/vertx-eventbus.js")) {
      Answer a = get(lib);
      assertThat(a.status()).as(lib).isEqualTo(200);
      assertThat(a.contentType()).as(lib).contains("javascript");
      assertThat(a.body().length()).as(lib).isGreaterThan(1000);
    }
    assertThat(get("/vendor/vertx-eventbus.js").body()).contains("EventBus");
    assertThat(get("/vendor/nope.js").status()).isEqualTo(404);
  }

  @Test
  void theRootServesTheUiWhichBrowsersRevalidateWhileTheLibrariesMayBeCached() throws Exception {
    Answer a = get("/");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("text/html");
    assertThat(a.body()).contains("/vendor/vertx-eventbus.js");
    assertThat(a.headers().firstValue("cache-control")).contains("no-cache");
    assertThat(get("/js/app.js").headers().firstValue("cache-control")).contains("no-cache");
    assertThat(get("/vendor/chart.umd.min.js").headers().firstValue("cache-control").orElse(""))
        .doesNotContain("no-cache").contains("max-age");
  }

  @Test
  void anUnknownApiRouteIs404Json() throws Exception {
    assertError(get("/api/unknown"), 404, "GET /api/unknown");
    assertError(send(HttpRequest.newBuilder(uri("/api/info")).DELETE()), 404, "DELETE /api/info");
  }
}
