package io.agentnet.dashboard.api;

import io.agentnet.bridge.config.JsonTypes;
import io.agentnet.dashboard.DashboardOptions;
import io.agentnet.dashboard.topology.Topology;
import io.agentnet.runtime.mcp.client.McpClient;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.registry.AgentRegistry;
import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API of DESIGN.md on a router: reads answer from this process's registry or by asking
 * the orchestrator and the MCP servers over the bus (locally or through NATS, as {@link Messenger}
 * decides); every POST needs the dashboard token. Errors are JSON {@link ApiError}s.
 */
public final class RestApi {

  private static final String ORCHESTRATOR = "the orchestrator";
  private static final Pattern WHERE = Pattern.compile("line: (\\d+), column: (\\d+)");

  private final Vertx vertx;
  private final DashboardOptions options;
  private final TokenGuard guard;
  private final AgentRegistry registry;
  private final Topology topology;
  private final Messenger messenger;
  private final McpClient mcp;
  private final boolean natsMode;

  public RestApi(Vertx vertx, DashboardOptions options, TokenGuard guard, AgentRegistry registry,
                 Topology topology) {
    this.vertx = vertx;
    this.options = options;
    this.guard = guard;
    this.registry = registry;
    this.topology = topology;
    this.messenger = Messenger.create(vertx);
    this.mcp = McpClient.create(vertx);
    this.natsMode = Messenger.natsMode(vertx);
  }

  public void mount(Router router) {
    // the token first, so a caller without it cannot even make the dashboard read a body; then the body limit
    router.post("/api/*").handler(this::requireToken);
    router.post("/api/*").handler(BodyHandler.create().setBodyLimit(options.getMaxBodyBytes()));
    router.get("/api/info").handler(this::info);
    router.get("/api/agents").handler(this::agents);
    router.get("/api/tools").handler(this::tools);
    router.post("/api/tools/:server/:tool").handler(this::callTool);
    router.get("/api/definitions").handler(ctx -> reply(ctx, 200, definitions()));
    router.get("/api/topology").handler(this::topology);
    router.post("/api/workflows").handler(this::submit);
    router.get("/api/workflows").handler(this::list);
    router.get("/api/workflows/:id").handler(ctx -> reply(ctx, 200,
        orchestrator("get", new JsonObject().put("workflow_id", ctx.pathParam("id")))));
    router.post("/api/workflows/:id/cancel").handler(this::cancel);
    router.route("/api/*").handler(ctx -> fail(ctx, new ApiError(404, "no API route " + ctx.request().method() + " "
        + ctx.request().path() + "; see GET /api/info and docs/ARCHITECTURE.md")));
    router.route("/api/*").failureHandler(this::failure);
  }

  private void requireToken(RoutingContext ctx) {
    guard.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).ifPresentOrElse(e -> fail(ctx, e), ctx::next);
  }

  private void info(RoutingContext ctx) {
    Duration interval = options.getHeartbeatInterval();
    json(ctx, 200, new JsonObject().put("mode", natsMode ? "nats" : "local")
        .put("heartbeat_interval_ms", interval.toMillis())
        .put("stale_after_ms", interval.toMillis() * AgentRegistry.MISSED_BEATS)
        .put("stream_flush_ms", options.getStreamFlush().toMillis())
        .put("now", System.currentTimeMillis()));
  }

  private void agents(RoutingContext ctx) {
    Instant now = Instant.now();
    List<AgentInfo> agents = new ArrayList<>(registry.agents());
    agents.sort((a, b) -> a.agentId().compareTo(b.agentId()));
    JsonArray out = new JsonArray();
    for (AgentInfo a : agents) {
      out.add(a.toJson().put("last_seen_ms", a.lastSeen().toEpochMilli())
          .put("heartbeat_age_ms", Math.max(0, now.toEpochMilli() - a.lastSeen().toEpochMilli())));
    }
    json(ctx, 200, new JsonObject().put("agents", out).put("now", now.toEpochMilli()));
  }

  /** MCP server name -> ids of the online agents serving it (their capabilities say {@code mcp:<server>/<tool>}). */
  private Map<String, List<String>> serversWithAgents() {
    Map<String, List<String>> servers = new TreeMap<>();
    for (AgentInfo a : registry.agents()) {
      if (a.online()) {
        a.mcpServerNames().forEach(server -> servers.computeIfAbsent(server, s -> new ArrayList<>()).add(a.agentId()));
      }
    }
    return servers;
  }

  private void tools(RoutingContext ctx) {
    Map<String, List<String>> servers = serversWithAgents();
    List<Future<JsonObject>> lists = new ArrayList<>();
    servers.forEach((server, ids) -> lists.add(mcp.listTools(server, options.getRequestTimeout())
        .map(tools -> new JsonObject().put("server", server).put("agent_ids", new JsonArray(ids)).put("online", true)
            .put("tools", tools))
        .otherwise(e -> new JsonObject().put("server", server).put("agent_ids", new JsonArray(ids)).put("online", false)
            .put("tools", new JsonArray()).put("error", ApiError.from(e, "MCP server " + server).message()))));
    Future.join(lists).onComplete(done -> {
      JsonArray out = new JsonArray();
      lists.forEach(f -> out.add(f.result()));
      json(ctx, 200, new JsonObject().put("servers", out));
    });
  }

  private void callTool(RoutingContext ctx) {
    String server = ctx.pathParam("server");
    String tool = ctx.pathParam("tool");
    JsonObject arguments = bodyObject(ctx, "the tool's arguments", false);
    if (arguments == null) {
      return;
    }
    Map<String, List<String>> servers = serversWithAgents();
    if (!servers.containsKey(server)) {
      fail(ctx, new ApiError(404, "no MCP server named \"" + server + "\" is online"
          + (servers.isEmpty() ? "" : "; online: " + String.join(", ", servers.keySet()))));
      return;
    }
    mcp.callTool(server, tool, arguments, options.getToolTimeout())
        .onSuccess(result -> json(ctx, 200, new JsonObject().put("server", server).put("tool", tool).put("result", result)))
        .onFailure(e -> fail(ctx, ApiError.from(e, "MCP server " + server)));
  }

  private Future<JsonObject> definitions() {
    return orchestrator("definitions", new JsonObject()).onSuccess(topology::definitions);
  }

  private void topology(RoutingContext ctx) {
    Future<?> ready = topology.hasDefinitions() ? Future.succeededFuture() : definitions().recover(e -> Future.succeededFuture());
    ready.onComplete(v -> {
      List<Topology.AgentNode> agents = new ArrayList<>();
      Map<String, Boolean> servers = new TreeMap<>();
      for (AgentInfo a : registry.agents()) {
        if (AgentRegistry.MCP_SERVER_TYPE.equals(a.agentType())) {
          a.mcpServerNames().forEach(s -> servers.merge(s, a.online(), Boolean::logicalOr));
        } else {
          agents.add(new Topology.AgentNode(a.agentId(), a.agentType(), a.capabilities(), a.online()));
        }
      }
      json(ctx, 200, topology.graph(agents, servers));
    });
  }

  private void submit(RoutingContext ctx) {
    JsonObject request = bodyObject(ctx, "a WorkflowRequest", false);
    if (request == null) {
      return;
    }
    if (!request.containsKey("requester_id")) {
      request.put("requester_id", "dashboard");
    }
    reply(ctx, 202, orchestrator("submit", request));
  }

  private void list(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    for (String key : List.of("status", "workflow_type")) {
      String value = ctx.queryParams().get(key);
      if (value != null && !value.isBlank()) {
        query.put(key, value);
      }
    }
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      try {
        query.put("limit", Integer.parseInt(limit));
      } catch (NumberFormatException e) {
        fail(ctx, new ApiError(400, "limit must be a whole number, got \"" + limit + "\""));
        return;
      }
    }
    reply(ctx, 200, orchestrator("list", query));
  }

  private void cancel(RoutingContext ctx) {
    JsonObject body = bodyObject(ctx, "an optional {reason}", true);
    if (body == null) {
      return;
    }
    JsonObject request = new JsonObject().put("workflow_id", ctx.pathParam("id"))
        .put("reason", body.getString("reason", "cancelled from the dashboard"));
    reply(ctx, 200, orchestrator("cancel", request));
  }

  private Future<JsonObject> orchestrator(String verb, JsonObject body) {
    return messenger.<Object>request("ai.orchestrator." + verb, body, options.getRequestTimeout())
        .map(reply -> Messenger.jsonBody(reply.body()));
  }

  /**
   * The request body as a JSON object; null once the request has been answered with a 400 saying
   * what is wrong with it. An {@code optional} body may be absent (an empty object then).
   */
  private static JsonObject bodyObject(RoutingContext ctx, String what, boolean optional) {
    String text = ctx.body().asString(); // null when there is no body at all
    if (text == null || text.isBlank()) {
      if (optional) {
        return new JsonObject();
      }
      fail(ctx, new ApiError(400, "the request body must be a JSON object: " + what));
      return null;
    }
    try {
      Object parsed = Json.decodeValue(text);
      if (parsed instanceof JsonObject o) {
        return o;
      }
      fail(ctx, new ApiError(400, "the request body must be a JSON object (" + what + "), not a JSON "
          + JsonTypes.name(parsed)));
    } catch (DecodeException e) {
      fail(ctx, new ApiError(400, "the request body is not valid JSON: " + jsonProblem(e)));
    }
    return null;
  }

  /** Jackson's complaint without its boilerplate, with where it is: "Unexpected character ('b') (line 1, column 2)". */
  static String jsonProblem(DecodeException e) {
    String message = String.valueOf(e.getMessage()).replaceFirst("^Failed to decode:\\s*", "");
    Matcher where = WHERE.matcher(message);
    int cut = message.indexOf("\n");
    String first = cut < 0 ? message : message.substring(0, cut);
    return where.find() ? first + " (line " + where.group(1) + ", column " + where.group(2) + ")" : first;
  }

  private void reply(RoutingContext ctx, int status, Future<JsonObject> answer) {
    answer.onSuccess(body -> json(ctx, status, body)).onFailure(e -> fail(ctx, ApiError.from(e, ORCHESTRATOR)));
  }

  private void failure(RoutingContext ctx) {
    int code = ctx.statusCode();
    if (code == 413) {
      fail(ctx, new ApiError(413, "the request body is over the limit of " + options.getMaxBodyBytes() + " bytes"));
    } else if (code >= 400 && code < 500) {
      fail(ctx, new ApiError(code, "bad request" + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage())));
    } else {
      fail(ctx, new ApiError(500, "the dashboard failed: " + (ctx.failure() == null ? "unknown" : ctx.failure().getMessage())));
    }
  }

  private static void fail(RoutingContext ctx, ApiError error) {
    json(ctx, error.status(), error.toJson());
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
  }
}
