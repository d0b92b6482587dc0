package io.agentnet.runtime.mcp.impl;

import io.agentnet.runtime.mcp.Incoming;
import io.agentnet.runtime.mcp.JsonRpc;
import io.agentnet.runtime.mcp.McpProtocol;
import io.agentnet.runtime.mcp.McpServer;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpSession;
import io.agentnet.runtime.mcp.McpSession.LogLevel;
import io.agentnet.runtime.mcp.SchemaMessages;
import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolCall;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolProvider;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The transport-free MCP protocol: JSON-RPC checks, lifecycle, tools/list paging, tools/call. */
public final class McpServerImpl implements McpServer {

  private static final Logger LOG = LoggerFactory.getLogger(McpServerImpl.class);
  private static final String CURSOR_PREFIX = "offset:";
  private static final int BLOCKING_POOL_SIZE = 16;

  private final Vertx vertx;
  private final ToolProvider provider;
  private final McpServerOptions options;
  private final List<Tool> tools;
  private final Map<String, Tool> byName = new LinkedHashMap<>();
  private final Map<String, SchemaMessages> inputChecks = new LinkedHashMap<>();
  private final Map<String, SchemaMessages> outputChecks = new LinkedHashMap<>();
  private final List<JsonObject> toolDescriptions = new ArrayList<>();
  private final String toolNames;
  /**
   * Blocking tools run on the server's own pool, not on Vert.x's shared one: slow tools (S3 retries, Kubernetes
   * waits, big tree walks) must not starve the bridge's JetStream calls, which use the shared pool.
   */
  private WorkerExecutor blockingPool;

  public McpServerImpl(Vertx vertx, ToolProvider provider, McpServerOptions options) {
    this.vertx = vertx;
    this.provider = provider;
    this.options = options;
    this.tools = List.copyOf(provider.tools());
    for (Tool tool : tools) {
      if (byName.put(tool.name(), tool) != null) {
        throw new IllegalArgumentException("server " + provider.serverName() + " has two tools named " + tool.name());
      }
      inputChecks.put(tool.name(), SchemaMessages.of(tool.inputSchema()));
      if (tool.outputSchema() != null) {
        outputChecks.put(tool.name(), SchemaMessages.of(tool.outputSchema(), "field", " (not in the tool's outputSchema)"));
      }
      toolDescriptions.add(tool.toJson());
    }
    this.toolNames = String.join(", ", byName.keySet());
  }

  @Override
  public String name() {
    return provider.serverName();
  }

  @Override
  public List<Tool> tools() {
    return tools;
  }

  @Override
  public McpServerOptions options() {
    return options;
  }

  @Override
  public Incoming parse(Buffer raw) {
    if (raw.length() > options.getMaxRequestBytes()) {
      return Incoming.refused(JsonRpc.INVALID_REQUEST, "request is " + raw.length() + " bytes; this server takes at most "
          + options.getMaxRequestBytes());
    }
    Object value;
    try {
      value = raw.length() == 0 ? null : raw.toJsonValue();
    } catch (DecodeException e) {
      return Incoming.refused(JsonRpc.PARSE_ERROR, "Parse error: the request is not valid JSON ("
          + firstLine(e.getMessage()) + ")");
    }
    if (value instanceof JsonObject message) {
      return Incoming.of(List.of(message), false);
    }
    if (value instanceof JsonArray batch) {
      if (batch.isEmpty()) {
        return Incoming.refused(JsonRpc.INVALID_REQUEST, "Invalid request: an empty batch");
      }
      List<JsonObject> messages = new ArrayList<>(batch.size());
      for (Object entry : batch) {
        messages.add(entry instanceof JsonObject m ? m : null);
      }
      return Incoming.of(Collections.unmodifiableList(messages), true);
    }
    return Incoming.refused(JsonRpc.INVALID_REQUEST,
        "Invalid request: expected a JSON-RPC 2.0 object (or a batch array), got " + describe(value));
  }

  @Override
  public Future<Object> handle(Incoming incoming, McpSession session, Consumer<JsonObject> streamed) {
    session.touch();
    if (incoming.error() != null) {
      return Future.succeededFuture(JsonRpc.error(null, incoming.errorCode(), incoming.error()));
    }
    if (!incoming.batch()) {
      return handleOne(incoming.messages().get(0), session, streamed).map(r -> r);
    }
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (JsonObject message : incoming.messages()) {
      replies.add(handleOne(message, session, streamed));
    }
    return Future.join(replies).transform(ignored -> {
      JsonArray out = new JsonArray();
      for (Future<JsonObject> reply : replies) {
        JsonObject r = reply.succeeded() ? reply.result() : internalError(null, reply.cause());
        if (r != null) {
          out.add(r);
        }
      }
      return Future.succeededFuture(out.isEmpty() ? null : out);
    });
  }

  private Future<JsonObject> handleOne(JsonObject m, McpSession session, Consumer<JsonObject> streamed) {
    if (m == null) {
      return done(JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Invalid request: a batch entry is not a JSON object"));
    }
    boolean hasId = m.containsKey("id");
    Object id = m.getValue("id");
    if (hasId && !(id instanceof String || id instanceof Number)) {
      return done(JsonRpc.error(null, JsonRpc.INVALID_REQUEST,
          "Invalid request: id must be a string or a number, got " + describe(id)));
    }
    if (!JsonRpc.VERSION.equals(m.getValue("jsonrpc"))) {
      return done(JsonRpc.error(id, JsonRpc.INVALID_REQUEST,
          "Invalid request: \"jsonrpc\" must be \"2.0\", got " + describe(m.getValue("jsonrpc"))));
    }
    Object method = m.getValue("method");
    if (method == null) {
      if (hasId && (m.containsKey("result") || m.containsKey("error"))) {
        return done(null); // a response to a request we never send: nothing to do
      }
      return done(JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "Invalid request: \"method\" is missing"));
    }
    if (!(method instanceof String name)) {
      return done(JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "Invalid request: \"method\" must be a string, got "
          + describe(method)));
    }
    Object rawParams = m.getValue("params");
    if (rawParams != null && !(rawParams instanceof JsonObject)) {
      return done(hasId ? JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: \"params\" must be an object, got "
          + describe(rawParams)) : null);
    }
    JsonObject params = rawParams == null ? new JsonObject() : (JsonObject) rawParams;
    if (!hasId) {
      onNotification(name, params, session);
      return done(null);
    }
    try {
      return switch (name) {
        case "initialize" -> done(initialize(id, params, session));
        case "ping" -> done(JsonRpc.result(id, new JsonObject()));
        case "tools/list" -> done(listTools(id, params));
        case "tools/call" -> callTool(id, params, session, streamed);
        case "logging/setLevel" -> done(setLevel(id, params, session));
        default -> done(JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Method not found: " + name
            + " (this server offers initialize, ping, tools/list, tools/call, logging/setLevel)"));
      };
    } catch (RuntimeException e) {
      return done(internalError(id, e));
    }
  }

  private void onNotification(String method, JsonObject params, McpSession session) {
    if ("notifications/initialized".equals(method)) {
      LOG.debug("{}: client initialized", name());
    } else if ("notifications/cancelled".equals(method)) {
      // Calls run to their end; the client ignores the late answer, as the spec allows.
      LOG.debug("{}: client cancelled request {}", name(), params.getValue("requestId"));
    }
  }

  private JsonObject initialize(Object id, JsonObject params, McpSession session) {
    Object requested = params.getValue("protocolVersion");
    if (!(requested instanceof String version)) {
      return JsonRpc.error(id, JsonRpc.INVALID_PARAMS,
          "Invalid params: initialize needs params.protocolVersion, a string such as \"" + McpProtocol.LATEST + "\"");
    }
    String negotiated = McpProtocol.negotiate(version);
    session.protocolVersion(negotiated);
    session.markInitialized(params.getJsonObject("clientInfo"));
    JsonObject result = new JsonObject()
        .put("protocolVersion", negotiated)
        .put("capabilities", new JsonObject()
            .put("tools", new JsonObject().put("listChanged", false))
            .put("logging", new JsonObject()))
        .put("serverInfo", new JsonObject().put("name", "agentnet-mcp-" + name())
            .put("title", "agentnet MCP server: " + name()).put("version", provider.version()));
    if (provider.instructions() != null) {
      result.put("instructions", provider.instructions());
    }
    return JsonRpc.result(id, result);
  }

  private JsonObject listTools(Object id, JsonObject params) {
    int offset = 0;
    Object cursor = params.getValue("cursor");
    if (cursor != null) {
      offset = decodeCursor(cursor);
      if (offset < 0) {
        return JsonRpc.error(id, JsonRpc.INVALID_PARAMS,
            "Invalid params: params.cursor is not a cursor this server issued (use the nextCursor of the last page)");
      }
    }
    int end = Math.min(toolDescriptions.size(), offset + options.getToolsPageSize());
    JsonArray page = new JsonArray(new ArrayList<>(toolDescriptions.subList(offset, end)));
    JsonObject result = new JsonObject().put("tools", page);
    if (end < toolDescriptions.size()) {
      result.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
          .encodeToString((CURSOR_PREFIX + end).getBytes(StandardCharsets.UTF_8)));
    }
    return JsonRpc.result(id, result);
  }

  private int decodeCursor(Object cursor) {
    if (!(cursor instanceof String text)) {
      return -1;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      if (!decoded.startsWith(CURSOR_PREFIX)) {
        return -1;
      }
      int offset = Integer.parseInt(decoded.substring(CURSOR_PREFIX.length()));
      return offset >= 0 && offset < toolDescriptions.size() ? offset : -1;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private JsonObject setLevel(Object id, JsonObject params, McpSession session) {
    Object value = params.getValue("level");
    LogLevel level = value instanceof String s ? LogLevel.parse(s) : null;
    if (level == null) {
      return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: params.level must be one of debug, info, "
          + "notice, warning, error, critical, alert, emergency; got " + describe(value));
    }
    session.logLevel(level);
    return JsonRpc.result(id, new JsonObject());
  }

  private Future<JsonObject> callTool(Object id, JsonObject params, McpSession session, Consumer<JsonObject> streamed) {
    Object nameValue = params.getValue("name");
    if (!(nameValue instanceof String toolName)) {
      return done(JsonRpc.error(id, JsonRpc.INVALID_PARAMS,
          "Invalid params: tools/call needs params.name, the tool to call (one of: " + toolNames + ")"));
    }
    Tool tool = byName.get(toolName);
    if (tool == null) {
      return done(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown tool: " + toolName + " (server " + name()
          + " has: " + toolNames + ")"));
    }
    Object rawArgs = params.getValue("arguments");
    if (rawArgs != null && !(rawArgs instanceof JsonObject)) {
      return done(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: params.arguments of " + toolName
          + " must be an object, got " + describe(rawArgs)));
    }
    JsonObject args = rawArgs == null ? new JsonObject() : (JsonObject) rawArgs;
    List<String> problems = inputChecks.get(toolName).problems(args);
    if (!problems.isEmpty()) {
      String message = "Invalid arguments for tool " + toolName + ": " + String.join("; ", problems);
      if (McpProtocol.argumentErrorsAreToolErrors(session.protocolVersion())) {
        return done(JsonRpc.result(id, ToolResult.error(message).toJson()));
      }
      return done(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, message));
    }
    ToolCall call = new ToolCall(toolName, args, progressSink(params, streamed));
    long start = System.nanoTime();
    Context context = vertx.getOrCreateContext();
    Future<ToolResult> running;
    if (tool.blockingHandler() != null) {
      running = blockingPool().executeBlocking(() -> tool.blockingHandler().call(call), false);
    } else {
      try {
        running = onContext(context, tool.handler().call(call));
      } catch (RuntimeException e) {
        running = Future.failedFuture(e);
      }
    }
    return running.timeout(options.getToolTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          long micros = (System.nanoTime() - start) / 1000;
          try {
            ToolResult result = ar.succeeded() ? checked(tool, ar.result()) : failure(tool, ar.cause());
            log(session, result.isError() ? LogLevel.WARNING : LogLevel.DEBUG, new JsonObject().put("tool", toolName)
                .put("micros", micros).put("error", result.isError() ? result.firstText() : null));
            return Future.succeededFuture(JsonRpc.result(id, result.toJson()));
          } catch (RuntimeException e) {
            return Future.succeededFuture(internalError(id, e));
          }
        });
  }

  private ToolResult checked(Tool tool, ToolResult result) {
    if (result == null) {
      return ToolResult.error("tool " + tool.name() + " returned nothing");
    }
    if (options.isValidateOutput() && result.structured() != null) {
      SchemaMessages check = outputChecks.get(tool.name());
      List<String> problems = check == null ? List.of("the tool declares no outputSchema") : check.problems(result.structured());
      if (!problems.isEmpty()) {
        throw new IllegalStateException("structured result of " + tool.name() + " does not match its outputSchema: "
            + String.join("; ", problems));
      }
    }
    return result;
  }

  private ToolResult failure(Tool tool, Throwable cause) {
    if (cause instanceof ToolException) {
      return ToolResult.error(cause.getMessage());
    }
    if (cause instanceof TimeoutException) {
      return ToolResult.error("tool " + tool.name() + " did not finish within " + options.getToolTimeout().toSeconds()
          + " s; it may still complete on the server side");
    }
    LOG.warn("{}: tool {} failed unexpectedly", name(), tool.name(), cause);
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return ToolResult.error("tool " + tool.name() + " failed: " + detail);
  }

  /** Progress notifications for a call that asked for them (params._meta.progressToken), strictly increasing. */
  private static ToolCall.ProgressSink progressSink(JsonObject params, Consumer<JsonObject> streamed) {
    JsonObject meta = params.getValue("_meta") instanceof JsonObject m ? m : null;
    Object token = meta == null ? null : meta.getValue("progressToken");
    if (token == null || streamed == null) {
      return ToolCall.ProgressSink.NONE;
    }
    double[] last = {Double.NEGATIVE_INFINITY};
    return (progress, total, message) -> {
      synchronized (last) {
        if (progress <= last[0]) {
          return;
        }
        last[0] = progress;
      }
      JsonObject p = new JsonObject().put("progressToken", token).put("progress", progress);
      if (total != null) {
        p.put("total", total);
      }
      if (message != null) {
        p.put("message", message);
      }
      streamed.accept(JsonRpc.notification("notifications/progress", p));
    };
  }

  private void log(McpSession session, LogLevel level, JsonObject data) {
    LogLevel wanted = session.logLevel();
    Consumer<JsonObject> channel = session.notificationChannel();
    if (wanted == null || channel == null || level.compareTo(wanted) < 0) {
      return;
    }
    channel.accept(JsonRpc.notification("notifications/message", new JsonObject().put("level", level.wireName())
        .put("logger", "agentnet.mcp." + name()).put("data", data)));
  }

  private JsonObject internalError(Object id, Throwable cause) {
    LOG.warn("{}: internal error", name(), cause);
    return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "Internal error: " + cause.getMessage());
  }

  private static <T> Future<T> onContext(Context context, Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        promise.handle(ar);
      } else {
        context.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  private static Future<JsonObject> done(JsonObject reply) {
    return Future.succeededFuture(reply);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    if (value instanceof Number n) {
      return "the number " + n;
    }
    if (value instanceof Boolean b) {
      return "the boolean " + b;
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    return value.getClass().getSimpleName();
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  private synchronized WorkerExecutor blockingPool() {
    if (blockingPool == null) {
      blockingPool = vertx.createSharedWorkerExecutor("agentnet-mcp-" + provider.serverName(), BLOCKING_POOL_SIZE,
          options.getToolTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    return blockingPool;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (blockingPool != null) {
        blockingPool.close();
      }
    }
    provider.close();
  }
}
