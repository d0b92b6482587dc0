package io.agentnet.dashboard.topology;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyTest {

  private static JsonObject step(String id, String capability, String... tools) {
    JsonArray mcp = new JsonArray();
    for (String t : tools) {
      mcp.add(t);
    }
    return new JsonObject().put("id", id).put("capability", capability).put("mcp_tools", mcp);
  }

  /** Two workflows: diagnosis uses proxmox, storage uses filesystem and cloud, planning uses none. */
  private static JsonObject definitions() {
    return new JsonObject().put("workflows", new JsonArray()
        .add(new JsonObject().put("workflow_type", "health_check").put("steps", new JsonArray()
            .add(step("diagnose", "diagnosis", "proxmox/list_nodes", "proxmox/get_node_status"))
            .add(step("plan", "planning"))))
        .add(new JsonObject().put("workflow_type", "backup").put("steps", new JsonArray()
            .add(step("copy", "storage", "filesystem/read_file", "cloud/put_object", "no-slash-tool"))
            .add(step("check", "diagnosis", "proxmox/get_vm_status")))));
  }

  private static Set<String> edges(JsonObject graph) {
    return graph.getJsonArray("edges").stream().map(o -> (JsonObject) o)
        .map(e -> e.getString("from") + " -" + e.getString("kind") + "-> " + e.getString("to"))
        .collect(Collectors.toSet());
  }

  private static Map<String, JsonObject> nodes(JsonObject graph) {
    return graph.getJsonArray("nodes").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(n -> n.getString("id"), n -> n));
  }

  @Test
  void capabilitiesUseTheServersOfTheirStepsTools() {
    Topology t = new Topology();
    assertThat(t.hasDefinitions()).isFalse();
    t.definitions(definitions());
    assertThat(t.hasDefinitions()).isTrue();

    JsonObject graph = t.graph(List.of(
        new Topology.AgentNode("spec-1", "general", List.of("diagnosis", "storage", "planning"), true)),
        Map.of("proxmox", true, "filesystem", true, "cloud", true));

    assertThat(edges(graph)).containsExactlyInAnyOrder(
        "agent:spec-1 -has-> cap:diagnosis",
        "agent:spec-1 -has-> cap:storage",
        "agent:spec-1 -has-> cap:planning",
        "cap:diagnosis -uses-> mcp:proxmox",
        "cap:storage -uses-> mcp:filesystem",
        "cap:storage -uses-> mcp:cloud");
    Map<String, JsonObject> nodes = nodes(graph);
    assertThat(nodes).containsOnlyKeys("agent:spec-1", "cap:diagnosis", "cap:storage", "cap:planning",
        "mcp:proxmox", "mcp:filesystem", "mcp:cloud");
    assertThat(nodes.get("agent:spec-1").getString("kind")).isEqualTo("agent");
    assertThat(nodes.get("agent:spec-1").getString("label")).isEqualTo("spec-1");
    assertThat(nodes.get("agent:spec-1").getString("status")).isEqualTo("online");
    assertThat(nodes.get("agent:spec-1").getString("agent_type")).isEqualTo("general");
    assertThat(nodes.get("cap:diagnosis").getString("kind")).isEqualTo("capability");
    assertThat(nodes.get("cap:diagnosis").getString("label")).isEqualTo("diagnosis");
    assertThat(nodes.get("cap:diagnosis").containsKey("status")).isFalse();
    assertThat(nodes.get("mcp:proxmox").getString("kind")).isEqualTo("mcp_server");
    assertThat(nodes.get("mcp:proxmox").getString("status")).isEqualTo("online");
  }

  @Test
  void anAgentAndACapabilityOfTheSameNameStayApart() {
    Topology t = new Topology();
    JsonObject graph = t.graph(List.of(new Topology.AgentNode("x", "general", List.of("x"), true)), Map.of());
    assertThat(nodes(graph)).containsOnlyKeys("agent:x", "cap:x");
    assertThat(edges(graph)).containsExactly("agent:x -has-> cap:x");
  }

  @Test
  void anAgentThatRanAStepUsesThatStepsServers() {
    Topology t = new Topology();
    t.definitions(definitions());
    List<Topology.AgentNode> agents = List.of(
        new Topology.AgentNode("spec-1", "general", List.of("diagnosis"), true),
        new Topology.AgentNode("spec-2", "general", List.of("storage"), true));
    assertThat(edges(t.graph(agents, Map.of()))).noneMatch(e -> e.startsWith("agent:") && e.contains("-uses->"));

    t.observeStep("health_check", "diagnose", "spec-1");
    t.observeStep("backup", "copy", "spec-2");
    t.observeStep("backup", "copy", "spec-2"); // twice: one edge

    JsonObject graph = t.graph(agents, Map.of());
    assertThat(edges(graph)).contains("agent:spec-1 -uses-> mcp:proxmox", "agent:spec-2 -uses-> mcp:filesystem",
        "agent:spec-2 -uses-> mcp:cloud");
    assertThat(edges(graph)).doesNotContain("agent:spec-1 -uses-> mcp:filesystem", "agent:spec-2 -uses-> mcp:proxmox");
    assertThat(graph.getJsonArray("edges").stream().map(o -> (JsonObject) o)
        .filter(e -> e.getString("from").equals("agent:spec-2") && e.getString("to").equals("mcp:cloud"))).hasSize(1);
  }

  @Test
  void unknownStepsStepsWithoutToolsAndMissingAgentsAreIgnored() {
    Topology t = new Topology();
    t.definitions(definitions());
    t.observeStep("health_check", "nope", "spec-1");
    t.observeStep("nope", "diagnose", "spec-1");
    t.observeStep(null, "diagnose", "spec-1");
    t.observeStep("health_check", null, "spec-1");
    t.observeStep("health_check", "plan", "spec-1"); // no mcp_tools
    t.observeStep("health_check", "diagnose", null);
    JsonObject graph = t.graph(List.of(new Topology.AgentNode("spec-1", "general", List.of(), true)), Map.of());
    assertThat(edges(graph)).isEmpty();
  }

  @Test
  void aStepWithoutIdOfAnUnknownWorkflowIsIgnored() {
    Topology t = new Topology();
    t.observeStep("nope", null, "spec-1");
    t.observeStep(null, null, "spec-1");
    t.definitions(definitions());
    t.observeStep("nope", null, "spec-1");
    JsonObject graph = t.graph(List.of(new Topology.AgentNode("spec-1", "general", List.of(), true)), Map.of());
    assertThat(edges(graph)).isEmpty();
  }

  @Test
  void stepsObservedBeforeTheDefinitionsCountOnceTheyArrive() {
    Topology t = new Topology();
    t.observeStep("health_check", "diagnose", "spec-1");
    t.definitions(definitions());
    JsonObject graph = t.graph(List.of(new Topology.AgentNode("spec-1", "general", List.of(), true)), Map.of());
    assertThat(edges(graph)).containsExactly("agent:spec-1 -uses-> mcp:proxmox");
  }

  @Test
  void anOfflineAgentIsMarkedOffline() {
    Topology t = new Topology();
    JsonObject graph = t.graph(List.of(new Topology.AgentNode("gone", "general", List.of("diagnosis"), false),
        new Topology.AgentNode("here", "general", List.of("diagnosis"), true)), Map.of());
    Map<String, JsonObject> nodes = nodes(graph);
    assertThat(nodes.get("agent:gone").getString("status")).isEqualTo("offline");
    assertThat(nodes.get("agent:here").getString("status")).isEqualTo("online");
    // agents sorted by id, then capabilities
    assertThat(graph.getJsonArray("nodes").stream().map(o -> ((JsonObject) o).getString("id")).toList())
        .containsExactly("agent:gone", "agent:here", "cap:diagnosis");
  }

  @Test
  void aServerOnlyTheDefinitionsNameIsNotRunningAndAnOfflineOneIsOffline() {
    Topology t = new Topology();
    t.definitions(definitions());
    JsonObject graph = t.graph(List.of(), Map.of("proxmox", false, "weather", true));
    Map<String, JsonObject> nodes = nodes(graph);
    assertThat(nodes.get("mcp:proxmox").getString("status")).isEqualTo("offline");
    assertThat(nodes.get("mcp:filesystem").getString("status")).isEqualTo("not running");
    assertThat(nodes.get("mcp:cloud").getString("status")).isEqualTo("not running");
    assertThat(nodes.get("mcp:weather").getString("status")).isEqualTo("online");
    // no agents: no capability nodes, hence no capability edges
    assertThat(nodes).containsOnlyKeys("mcp:proxmox", "mcp:filesystem", "mcp:cloud", "mcp:weather");
    assertThat(edges(graph)).isEmpty();
  }

  @Test
  void newDefinitionsReplaceTheOldOnes() {
    Topology t = new Topology();
    t.definitions(definitions());
    t.definitions(new JsonObject().put("workflows", new JsonArray().add(new JsonObject().put("workflow_type", "w")
        .put("steps", new JsonArray().add(step("s", "diagnosis", "cloud/list"))))));
    JsonObject graph = t.graph(List.of(new Topology.AgentNode("a", "general", List.of("diagnosis"), true)), Map.of());
    assertThat(edges(graph)).containsExactlyInAnyOrder("agent:a -has-> cap:diagnosis", "cap:diagnosis -uses-> mcp:cloud");
    assertThat(nodes(graph)).doesNotContainKey("mcp:proxmox");
  }

  @Test
  void malformedDefinitionsAreSkipped() {
    Topology t = new Topology();
    t.definitions(new JsonObject().put("workflows", new JsonArray().add("not an object")
        .add(new JsonObject().put("workflow_type", "w").put("steps", new JsonArray().add(42)
            .add(step("s", "diagnosis", "proxmox/x"))))));
    JsonObject graph = t.graph(List.of(new Topology.AgentNode("a", "general", List.of("diagnosis"), true)), Map.of());
    assertThat(edges(graph)).contains("cap:diagnosis -uses-> mcp:proxmox");
  }
}
