package io.agentnet.dashboard.topology;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The network as a graph: agents, the capabilities they offer, and the MCP servers those
 * capabilities use. A capability uses a server when a workflow step needing it lists one of that
 * server's tools ({@code mcp_tools: ["proxmox/start_vm"]}); an agent uses a server when it has run
 * such a step ({@link #observeStep}). Node ids are prefixed by kind ({@code agent:}, {@code cap:},
 * {@code mcp:}) so an agent and a capability of the same name stay apart. Not thread safe.
 */
public final class Topology {

  /** An agent as the registry sees it. */
  public record AgentNode(String id, String type, List<String> capabilities, boolean online) {
  }

  private final Map<String, Set<String>> serversByCapability = new TreeMap<>();
  /** workflow type -> step id -> servers its tools belong to */
  private final Map<String, Map<String, Set<String>>> stepServers = new HashMap<>();
  private final Map<String, Set<StepKey>> observed = new TreeMap<>();

  /** Takes the workflow definitions ({@code {workflows: [...]}} of the orchestrator's {@code definitions}). */
  public void definitions(JsonObject definitions) {
    serversByCapability.clear();
    stepServers.clear();
    for (Object w : definitions.getJsonArray("workflows", new JsonArray())) {
      if (!(w instanceof JsonObject workflow)) {
        continue;
      }
      Map<String, Set<String>> steps = stepServers.computeIfAbsent(workflow.getString("workflow_type", ""),
          t -> new HashMap<>());
      for (Object s : workflow.getJsonArray("steps", new JsonArray())) {
        if (!(s instanceof JsonObject step)) {
          continue;
        }
        Set<String> servers = new TreeSet<>();
        for (Object tool : step.getJsonArray("mcp_tools", new JsonArray())) {
          String name = String.valueOf(tool);
          int slash = name.indexOf('/');
          if (slash > 0) {
            servers.add(name.substring(0, slash));
          }
        }
        steps.put(step.getString("id", ""), servers);
        String capability = step.getString("capability");
        if (capability != null) {
          serversByCapability.computeIfAbsent(capability, c -> new TreeSet<>()).addAll(servers);
        }
      }
    }
  }

  public boolean hasDefinitions() {
    return !stepServers.isEmpty();
  }

  /**
   * An agent ran a step: it uses that step's servers. Kept as the step itself, so steps seen before
   * the definitions arrive count too.
   */
  public void observeStep(String workflowType, String stepId, String agentId) {
    if (agentId == null || workflowType == null || stepId == null) {
      return;
    }
    observed.computeIfAbsent(agentId, a -> new TreeSet<>()).add(new StepKey(workflowType, stepId));
  }

  private Set<String> serversUsedBy(String agentId) {
    Set<String> servers = new TreeSet<>();
    for (StepKey step : observed.getOrDefault(agentId, Set.of())) {
      servers.addAll(stepServers.getOrDefault(step.workflowType(), Map.of()).getOrDefault(step.stepId(), Set.of()));
    }
    return servers;
  }

  private record StepKey(String workflowType, String stepId) implements Comparable<StepKey> {
    @Override
    public int compareTo(StepKey o) {
      int c = workflowType.compareTo(o.workflowType);
      return c != 0 ? c : stepId.compareTo(o.stepId);
    }
  }

  /**
   * The graph: {@code {nodes: [{id, kind, label, status}], edges: [{from, to, kind}]}}. MCP servers
   * are the ones running ({@code runningServers}: name -> online) and the ones the definitions use.
   */
  public JsonObject graph(Collection<AgentNode> agents, Map<String, Boolean> runningServers) {
    JsonArray nodes = new JsonArray();
    JsonArray edges = new JsonArray();
    Set<String> capabilities = new TreeSet<>();
    Set<String> servers = new TreeSet<>(runningServers.keySet());
    serversByCapability.values().forEach(servers::addAll);
    Set<String> edgeKeys = new LinkedHashSet<>();
    List<AgentNode> sorted = new ArrayList<>(agents);
    sorted.sort((a, b) -> a.id().compareTo(b.id()));
    for (AgentNode agent : sorted) {
      nodes.add(node("agent:" + agent.id(), "agent", agent.id(), agent.online() ? "online" : "offline")
          .put("agent_type", agent.type()));
      for (String capability : agent.capabilities()) {
        capabilities.add(capability);
        edge(edges, edgeKeys, "agent:" + agent.id(), "cap:" + capability, "has");
      }
      for (String server : serversUsedBy(agent.id())) {
        edge(edges, edgeKeys, "agent:" + agent.id(), "mcp:" + server, "uses");
      }
    }
    for (String capability : capabilities) {
      nodes.add(node("cap:" + capability, "capability", capability, null));
      for (String server : serversByCapability.getOrDefault(capability, Set.of())) {
        edge(edges, edgeKeys, "cap:" + capability, "mcp:" + server, "uses");
      }
    }
    for (String server : servers) {
      Boolean online = runningServers.get(server);
      nodes.add(node("mcp:" + server, "mcp_server", server,
          online == null ? "not running" : online ? "online" : "offline"));
    }
    return new JsonObject().put("nodes", nodes).put("edges", edges);
  }

  private static JsonObject node(String id, String kind, String label, String status) {
    JsonObject n = new JsonObject().put("id", id).put("kind", kind).put("label", label);
    return status == null ? n : n.put("status", status);
  }

  private static void edge(JsonArray edges, Set<String> keys, String from, String to, String kind) {
    if (keys.add(from + "|" + to + "|" + kind)) {
      edges.add(new JsonObject().put("from", from).put("to", to).put("kind", kind));
    }
  }
}
