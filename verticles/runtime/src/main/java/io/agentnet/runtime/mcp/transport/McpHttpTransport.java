package io.agentnet.runtime.mcp.transport;

import io.agentnet.runtime.mcp.Incoming;
import io.agentnet.runtime.mcp.JsonRpc;
import io.agentnet.runtime.mcp.McpProtocol;
import io.agentnet.runtime.mcp.McpServer;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * MCP's Streamable HTTP transport (spec 2025-11-25) at {@code /mcp}: POST carries client messages
 * and is answered with JSON, or with an SSE stream when the call reports progress; GET opens the
 * session's SSE stream for server notifications; DELETE ends the session. Sessions are issued at
 * initialize; the Origin header is checked against an allow-list to stop DNS rebinding.
 */
public final class McpHttpTransport {

  public static final String PATH = "/mcp";
  public static final String SESSION_HEADER = "Mcp-Session-Id";
  public static final String VERSION_HEADER = "MCP-Protocol-Version";
  private static final Logger LOG = LoggerFactory.getLogger(McpHttpTransport.class);
  private static final long KEEPALIVE_MS = 15_000;

  private final Vertx vertx;
  private final McpServer server;
  private final McpServerOptions options;
  private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, HttpServerResponse> streams = new ConcurrentHashMap<>();
  private HttpServer http;
  private long sweeper = -1;

  public McpHttpTransport(Vertx vertx, McpServer server) {
    this.vertx = vertx;
    this.server = server;
    this.options = server.options();
  }

  /** Starts listening on the configured host and port (0: a free port); the future holds the port. */
  public Future<Integer> listen() {
    Router router = Router.router(vertx);
    router.route(PATH).handler(this::checkOrigin);
    router.post(PATH).handler(this::checkLength);
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(options.getMaxRequestBytes())).handler(this::post);
    router.get(PATH).handler(this::get);
    router.delete(PATH).handler(this::delete);
    router.route(PATH).handler(ctx -> ctx.response().putHeader(HttpHeaders.ALLOW, "GET, POST, DELETE")
        .setStatusCode(405).end());
    router.route(PATH).failureHandler(this::failure);
    long sweepEvery = Math.max(1000, Math.min(60_000, options.getSessionIdleTimeout().toMillis() / 2));
    sweeper = vertx.setPeriodic(sweepEvery, t -> expireIdleSessions());
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.getHttpHost()).setPort(options.getHttpPort()))
        .requestHandler(router)
        .listen()
        .map(s -> {
          http = s;
          LOG.info("MCP server {} on http://{}:{}{} (Streamable HTTP, origins {})", server.name(),
              options.getHttpHost(), s.actualPort(), PATH, options.getAllowedOrigins());
          return s.actualPort();
        });
  }

  public int port() {
    return http == null ? -1 : http.actualPort();
  }

  public int sessionCount() {
    return sessions.size();
  }

  public Future<Void> close() {
    vertx.cancelTimer(sweeper);
    streams.values().forEach(r -> {
      if (!r.ended()) {
        r.end();
      }
    });
    streams.clear();
    sessions.clear();
    return http == null ? Future.succeededFuture() : http.close();
  }

  private void checkOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !originAllowed(origin, options.getAllowedOrigins())) {
      LOG.warn("MCP {}: refused a request from origin {} (not in the allow-list)", server.name(), origin);
      error(ctx, 403, JsonRpc.INVALID_REQUEST, "Forbidden: origin " + origin + " is not allowed to call this MCP server");
      return;
    }
    String version = ctx.request().getHeader(VERSION_HEADER);
    if (version != null && !McpProtocol.supports(version)) {
      error(ctx, 400, JsonRpc.INVALID_REQUEST, "Bad Request: unsupported " + VERSION_HEADER + " " + version
          + " (supported: " + String.join(", ", McpProtocol.SUPPORTED) + ")");
      return;
    }
    ctx.next();
  }

  /** Refuses a declared oversized body before reading it (BodyHandler still guards chunked bodies). */
  private void checkLength(RoutingContext ctx) {
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared;
    try {
      declared = length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      error(ctx, 400, JsonRpc.INVALID_REQUEST, "Bad Request: Content-Length " + length + " is not a number");
      return;
    }
    if (declared > options.getMaxRequestBytes()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      error(ctx, 413, JsonRpc.INVALID_REQUEST, "Payload Too Large: the request is " + declared
          + " bytes; this server takes at most " + options.getMaxRequestBytes());
      return;
    }
    ctx.next();
  }

  /** True when the origin is listed; an entry ending in ":*" stands for any port of that host. */
  static boolean originAllowed(String origin, List<String> allowed) {
    String o = origin.toLowerCase(Locale.ROOT);
    for (String entry : allowed) {
      String e = entry.toLowerCase(Locale.ROOT);
      if (e.equals("*") || e.equals(o)) {
        return true;
      }
      if (e.endsWith(":*")) {
        String base = e.substring(0, e.length() - 2);
        if (o.equals(base) || (o.startsWith(base + ":") && o.substring(base.length() + 1).chars().allMatch(Character::isDigit))) {
          return true;
        }
      }
    }
    return false;
  }

  private void post(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      error(ctx, 415, JsonRpc.INVALID_REQUEST, "Unsupported Media Type: POST " + PATH + " takes application/json, got "
          + (contentType == null ? "no Content-Type" : contentType));
      return;
    }
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null && !accepts(accept, "application/json") && !accepts(accept, "text/event-stream")) {
      error(ctx, 406, JsonRpc.INVALID_REQUEST, "Not Acceptable: the client must accept application/json and "
          + "text/event-stream");
      return;
    }
    Buffer body = ctx.body().buffer();
    Incoming incoming = server.parse(body == null ? Buffer.buffer() : body);
    if (incoming.error() != null) {
      error(ctx, 400, incoming.errorCode(), incoming.error());
      return;
    }
    McpSession session;
    boolean opening = incoming.isInitialize();
    if (opening) {
      if (sessions.size() >= options.getMaxSessions()) {
        error(ctx, 503, JsonRpc.INTERNAL_ERROR, "Service Unavailable: " + sessions.size()
            + " sessions are open, the limit; DELETE unused sessions or retry later");
        return;
      }
      session = McpSession.create();
    } else {
      session = session(ctx);
      if (session == null) {
        return;
      }
    }
    if (!incoming.hasRequests()) {
      server.handle(incoming, session, null).onComplete(ar -> ctx.response().setStatusCode(202).end());
      return;
    }
    boolean stream = incoming.wantsProgress() && (accept == null || accepts(accept, "text/event-stream"));
    HttpServerResponse response = ctx.response();
    Consumer<JsonObject> progress = null;
    if (stream) {
      response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      progress = note -> {
        if (!response.ended() && !response.closed()) {
          response.write(sse(note.encode()));
        }
      };
    }
    server.handle(incoming, session, progress).onComplete(ar -> {
      if (response.ended() || response.closed()) {
        return;
      }
      Object reply = ar.succeeded() ? ar.result()
          : JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "Internal error: " + ar.cause().getMessage());
      if (opening && session.initialized()) {
        sessions.put(session.id(), session);
        response.putHeader(SESSION_HEADER, session.id());
        LOG.debug("MCP {}: session {} opened", server.name(), session.id());
      }
      String text = reply == null ? "" : reply instanceof JsonObject o ? o.encode() : reply.toString();
      if (stream) {
        response.end(sse(text));
      } else {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(text);
      }
    });
  }

  private void get(RoutingContext ctx) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept == null || !accepts(accept, "text/event-stream")) {
      ctx.response().putHeader(HttpHeaders.ALLOW, "POST, DELETE").setStatusCode(405)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(JsonRpc.error(null, JsonRpc.INVALID_REQUEST,
              "Method Not Allowed: GET " + PATH + " opens an SSE stream and needs Accept: text/event-stream").encode());
      return;
    }
    McpSession session = session(ctx);
    if (session == null) {
      return;
    }
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream").putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    HttpServerResponse previous = streams.put(session.id(), response);
    if (previous != null && !previous.ended()) {
      previous.end();
    }
    response.write(": stream open\n\n");
    session.notificationChannel(note -> {
      if (!response.ended() && !response.closed()) {
        response.write(sse(note.encode()));
      }
    });
    long keepalive = vertx.setPeriodic(KEEPALIVE_MS, t -> {
      if (!response.ended() && !response.closed()) {
        session.touch();
        response.write(": keepalive\n\n");
      }
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(keepalive);
      streams.remove(session.id(), response);
      session.notificationChannel(null);
    });
    response.endHandler(v -> vertx.cancelTimer(keepalive));
  }

  private void delete(RoutingContext ctx) {
    McpSession session = session(ctx);
    if (session == null) {
      return;
    }
    sessions.remove(session.id());
    HttpServerResponse stream = streams.remove(session.id());
    if (stream != null && !stream.ended()) {
      stream.end();
    }
    LOG.debug("MCP {}: session {} ended by the client", server.name(), session.id());
    ctx.response().setStatusCode(200).end();
  }

  /** The request's session, or null after answering 400 (no header) or 404 (unknown or expired). */
  private McpSession session(RoutingContext ctx) {
    String id = ctx.request().getHeader(SESSION_HEADER);
    if (id == null || id.isBlank()) {
      error(ctx, 400, JsonRpc.INVALID_REQUEST, "Bad Request: the " + SESSION_HEADER
          + " header is required; send initialize first to get one");
      return null;
    }
    McpSession session = sessions.get(id);
    if (session == null) {
      error(ctx, 404, JsonRpc.INVALID_REQUEST, "Not Found: session " + id + " does not exist or has expired; "
          + "initialize a new session");
      return null;
    }
    String version = ctx.request().getHeader(VERSION_HEADER);
    if (version != null && !version.equals(session.protocolVersion())) {
      error(ctx, 400, JsonRpc.INVALID_REQUEST, "Bad Request: " + VERSION_HEADER + " " + version
          + " differs from the version negotiated at initialize (" + session.protocolVersion() + ")");
      return null;
    }
    return session;
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (status == 413) {
      error(ctx, 413, JsonRpc.INVALID_REQUEST, "Payload Too Large: this server takes requests of at most "
          + options.getMaxRequestBytes() + " bytes");
    } else {
      LOG.warn("MCP {}: HTTP failure {}", server.name(), status, ctx.failure());
      error(ctx, status, JsonRpc.INTERNAL_ERROR, "Internal error");
    }
  }

  private void expireIdleSessions() {
    long limit = options.getSessionIdleTimeout().toNanos();
    sessions.values().removeIf(s -> {
      boolean expired = s.idleNanos() > limit && !streams.containsKey(s.id());
      if (expired) {
        LOG.debug("MCP {}: session {} expired after {} idle", server.name(), s.id(), options.getSessionIdleTimeout());
      }
      return expired;
    });
  }

  private static boolean accepts(String accept, String type) {
    String a = accept.toLowerCase(Locale.ROOT);
    return a.contains(type) || a.contains("*/*");
  }

  private static String sse(String data) {
    return "event: message\ndata: " + data + "\n\n";
  }

  private static void error(RoutingContext ctx, int status, int code, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(JsonRpc.error(null, code, message).encode());
  }
}
