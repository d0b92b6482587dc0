package io.agentnet.dashboard.api;

import io.agentnet.dashboard.DashboardOptions;
import io.agentnet.dashboard.topology.Topology;
import io.agentnet.runtime.mcp.client.McpClient;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.registry.AgentRegistry;
import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API of DESIGN.md on a router: reads answer from this process's registry or by asking
 * the orchestrator and the MCP servers over the bus (locally or through NATS, as {@link Messenger}
 * decides); every POST needs the dashboard token. Errors are JSON {@link ApiError}s.
 */
public final class RestApi {

  private static final String ORCHESTRATOR = "the orchestrator";
  private static final String MCP_PREFIX = "mcp:";
  private static final Pattern WHERE = Pattern.compile("line: (\\d+), column: (\\d+)");

  private final Vertx vertx;
  private final DashboardOptions options;
  private final TokenGuard guard;
  private final Supplier<AgentRegistry> registry;
  private final Topology topology;
  private final Messenger messenger;
  private final McpClient mcp;
  private final boolean natsMode;

  public RestApi(Vertx vertx, DashboardOptions options, TokenGuard guard, Supplier<AgentRegistry> registry,
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
    // the body limit applies before anything is parsed; the token before anything is done
    router.post("/api/*").handler(BodyHandler.create().setBodyLimit(options.getMaxBodyBytes()));
    router.post("/api/*").handler(this::requireToken);
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
    List<AgentInfo> agents = new ArrayList<>(registry.get().agents());
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
    for (AgentInfo a : registry.get().agents()) {
      if (AgentRegistry.MCP_SERVER_TYPE.equals(a.agentType()) && a.online()) {
        serverNames(a).forEach(server -> servers.computeIfAbsent(server, s -> new ArrayList<>()).add(a.agentId()));
      }
    }
    return servers;
  }

  private static Set<String> serverNames(AgentInfo mcpServer) {
    Set<String> names = new TreeSet<>();
    for (String capability : mcpServer.capabilities()) {
      if (capability.startsWith(MCP_PREFIX) && capability.length() > MCP_PREFIX.length()) {
        names.add(capability.substring(MCP_PREFIX.length()).split("/", 2)[0]);
      }
    }
    return names;
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
    JsonObject arguments;
    try {
      arguments = bodyObject(ctx, "the tool's arguments");
    } catch (IllegalArgumentException e) {
      fail(ctx, new ApiError(400, e.getMessage()));
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
    return orchestrator("definitions", new JsonObject()).onSuccess(d -> {
      if (!topology.hasDefinitions()) {
        topology.definitions(d);
      }
    });
  }

  private void topology(RoutingContext ctx) {
    Future<?> ready = topology.hasDefinitions() ? Future.succeededFuture() : definitions().recover(e -> Future.succeededFuture());
    ready.onComplete(v -> {
      List<Topology.AgentNode> agents = new ArrayList<>();
      Map<String, Boolean> servers = new TreeMap<>();
      for (AgentInfo a : registry.get().agents()) {
        if (AgentRegistry.MCP_SERVER_TYPE.equals(a.agentType())) {
          serverNames(a).forEach(s -> servers.merge(s, a.online(), Boolean::logicalOr));
        } else {
          agents.add(new Topology.AgentNode(a.agentId(), a.agentType(), a.capabilities(), a.online()));
        }
      }
      json(ctx, 200, topology.graph(agents, servers));
    });
  }

  private void submit(RoutingContext ctx) {
    JsonObject request;
    try {
      request = bodyObject(ctx, "a WorkflowRequest");
    } catch (IllegalArgumentException e) {
      fail(ctx, new ApiError(400, e.getMessage()));
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
    JsonObject body;
    try {
      // no body at all is fine here (length() is -1 then, not 0)
      body = ctx.body().isEmpty() || ctx.body().asString().isBlank() ? new JsonObject()
          : bodyObject(ctx, "an optional {reason}");
    } catch (IllegalArgumentException e) {
      fail(ctx, new ApiError(400, e.getMessage()));
      return;
    }
    JsonObject request = new JsonObject().put("workflow_id", ctx.pathParam("id"))
        .put("reason", body.getString("reason", "cancelled from the dashboard"));
    reply(ctx, 200, orchestrator("cancel", request));
  }

  private Future<JsonObject> orchestrator(String verb, JsonObject body) {
    return messenger.<Object>request("ai.orchestrator." + verb, body, options.getRequestTimeout())
        .map(RestApi::asJson);
  }

  private static JsonObject asJson(Message<Object> reply) {
    Object body = reply.body();
    return body instanceof JsonObject o ? o : new JsonObject(String.valueOf(body));
  }

  private static JsonObject bodyObject(RoutingContext ctx, String what) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the request body must be a JSON object: " + what);
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonObject o) {
        return o;
      }
      throw new IllegalArgumentException("the request body must be a JSON object (" + what + "), not a JSON "
          + io.agentnet.bridge.config.JsonTypes.name(parsed));
    } catch (DecodeException e) {
      throw new IllegalArgumentException("the request body is not valid JSON: " + jsonProblem(e));
    }
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
