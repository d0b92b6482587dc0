package io.agentnet.mcp.proxmox.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An asynchronous client of the Proxmox VE JSON API ({@code https://HOST:PORT/api2/json}) on the
 * JDK HTTP client: no call ever blocks the caller's thread. It authenticates with an API token or
 * with a ticket (user and password, renewed before its two-hour lifetime ends or after a 401),
 * unwraps PVE's {@code {"data": ...}} envelope and turns error responses into
 * {@link ProxmoxException}s.
 */
public class ProxmoxClient {

  /** PVE tickets live two hours; renew well before. */
  static final Duration TICKET_RENEW_AFTER = Duration.ofMinutes(100);

  /** Called on each poll while waiting for a task or a guest command. */
  @FunctionalInterface
  public interface PollListener {
    void polled(Duration elapsed, JsonObject status);
  }

  private record Ticket(String ticket, String csrf, Instant obtained) {
  }

  private final ProxmoxOptions options;
  private final HttpClient http;
  private final String baseUrl;
  private final Clock clock;
  private final AtomicReference<CompletableFuture<Ticket>> ticket = new AtomicReference<>();

  public ProxmoxClient(ProxmoxOptions options) {
    this(options, Clock.systemUTC());
  }

  ProxmoxClient(ProxmoxOptions options, Clock clock) {
    String problem = options.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.options = options;
    this.clock = clock;
    this.baseUrl = options.baseUrl();
    this.http = HttpClient.newBuilder()
        .sslContext(TlsTrust.sslContext(options))
        .connectTimeout(options.connectTimeout())
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public ProxmoxOptions options() {
    return options;
  }

  /** Builds an API path from segments, each URL-encoded ({@code path("nodes", node, "qemu")}). */
  public static String path(Object... segments) {
    StringBuilder sb = new StringBuilder();
    for (Object segment : segments) {
      sb.append('/').append(URLEncoder.encode(String.valueOf(segment), StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  public CompletableFuture<Object> get(String path, Map<String, ?> params) {
    return call("GET", path, params);
  }

  public CompletableFuture<Object> post(String path, Map<String, ?> params) {
    return call("POST", path, params);
  }

  public CompletableFuture<Object> put(String path, Map<String, ?> params) {
    return call("PUT", path, params);
  }

  public CompletableFuture<Object> delete(String path, Map<String, ?> params) {
    return call("DELETE", path, params);
  }

  /** A GET whose data is an object. */
  public CompletableFuture<JsonObject> getObject(String path, Map<String, ?> params) {
    return get(path, params).thenApply(data -> expect(data, JsonObject.class, path));
  }

  /** A GET whose data is a list. */
  public CompletableFuture<JsonArray> getArray(String path, Map<String, ?> params) {
    return get(path, params).thenApply(data -> expect(data, JsonArray.class, path));
  }

  private static <T> T expect(Object data, Class<T> type, String path) {
    if (type.isInstance(data)) {
      return type.cast(data);
    }
    throw new ProxmoxException(200, null, null, "Proxmox answered " + path + " with "
        + (data == null ? "no data" : data.getClass().getSimpleName()) + ", expected " + type.getSimpleName());
  }

  /**
   * One API call: GET and DELETE send parameters in the query, POST and PUT as a form. A list value
   * becomes the parameter repeated (as PVE's array parameters expect). The future completes with
   * the unwrapped {@code data}: a JsonObject, JsonArray, String, Number or null.
   */
  public CompletableFuture<Object> call(String method, String path, Map<String, ?> params) {
    if (options.usesToken()) {
      return send(method, path, params, null).thenApply(response -> unwrap(method, path, response));
    }
    return withTicket(false).thenCompose(t -> send(method, path, params, t).thenCompose(response -> {
      if (response.statusCode() == 401) {
        // The ticket may have been revoked or outlived: log in again once.
        return withTicket(true).thenCompose(fresh -> send(method, path, params, fresh));
      }
      return CompletableFuture.completedFuture(response);
    })).thenApply(response -> unwrap(method, path, response));
  }

  private CompletableFuture<HttpResponse<String>> send(String method, String path, Map<String, ?> params, Ticket t) {
    String encoded = form(params);
    boolean bodyMethod = method.equals("POST") || method.equals("PUT");
    String url = baseUrl + path + (!bodyMethod && !encoded.isEmpty() ? "?" + encoded : "");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(options.requestTimeout())
        .header("Accept", "application/json");
    if (bodyMethod) {
      request.header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString(encoded));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (t == null) {
      request.header("Authorization", "PVEAPIToken=" + options.user() + "!" + options.tokenName() + "=" + options.tokenValue());
    } else {
      request.header("Cookie", "PVEAuthCookie=" + t.ticket());
      if (!method.equals("GET")) {
        request.header("CSRFPreventionToken", t.csrf());
      }
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .exceptionally(e -> {
          throw transportError(method, path, e);
        });
  }

  /** The current ticket, logging in when there is none, it is old, or {@code renew} is asked. */
  private CompletableFuture<Ticket> withTicket(boolean renew) {
    while (true) {
      CompletableFuture<Ticket> current = ticket.get();
      boolean usable = current != null && !renew && (!current.isDone() || fresh(current));
      if (usable) {
        return current;
      }
      CompletableFuture<Ticket> login = new CompletableFuture<>();
      if (ticket.compareAndSet(current, login)) {
        login().whenComplete((t, e) -> {
          if (e != null) {
            ticket.compareAndSet(login, null);
            login.completeExceptionally(e);
          } else {
            login.complete(t);
          }
        });
        return login;
      }
    }
  }

  private boolean fresh(CompletableFuture<Ticket> done) {
    if (done.isCompletedExceptionally()) {
      return false;
    }
    Ticket t = done.join();
    return Duration.between(t.obtained(), clock.instant()).compareTo(TICKET_RENEW_AFTER) < 0;
  }

  private CompletableFuture<Ticket> login() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("username", options.user());
    params.put("password", options.password());
    String body = form(params);
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/access/ticket"))
        .timeout(options.requestTimeout())
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .exceptionally(e -> {
          throw transportError("POST", "/access/ticket", e);
        })
        .thenApply(response -> {
          Object data = unwrap("POST", "/access/ticket", response);
          if (!(data instanceof JsonObject json) || json.getString("ticket") == null) {
            // PVE answers a wrong password with 401; an empty answer means the same.
            throw ProxmoxException.fromResponse(401, "POST", "/access/ticket", "authentication failure", null, false);
          }
          return new Ticket(json.getString("ticket"), json.getString("CSRFPreventionToken"), clock.instant());
        });
  }

  private Object unwrap(String method, String path, HttpResponse<String> response) {
    int status = response.statusCode();
    JsonObject body = parse(response.body());
    if (status >= 200 && status < 300) {
      if (body == null) {
        throw new ProxmoxException(status, null, null, "Proxmox answered " + method + " " + path + " with a body that is not JSON");
      }
      return body.getValue("data");
    }
    String message = body == null ? null : body.getString("message");
    if (message == null && body == null && response.body() != null && !response.body().isBlank()
        && response.body().length() < 300 && !response.body().trim().startsWith("<")) {
      message = response.body();
    }
    Map<String, String> errors = new LinkedHashMap<>();
    JsonObject errorMap = body == null ? null : body.getJsonObject("errors");
    if (errorMap != null) {
      errorMap.forEach(e -> errors.put(e.getKey(), String.valueOf(e.getValue()).strip()));
    }
    throw ProxmoxException.fromResponse(status, method, path, message, errors, options.usesToken());
  }

  private static JsonObject parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(body);
      return value instanceof JsonObject json ? json : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private ProxmoxException transportError(String method, String path, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ProxmoxException pe) {
      return pe;
    }
    String where = options.host() + ":" + options.port();
    CertificateException certProblem = find(cause, CertificateException.class);
    if (certProblem != null && options.fingerprint() != null) {
      return ProxmoxException.unreachable("TLS with Proxmox at " + where + " refused: " + certProblem.getMessage());
    }
    if (find(cause, SSLException.class) != null) {
      return ProxmoxException.unreachable("TLS with Proxmox at " + where + " failed: the server certificate is not trusted"
          + " (set PROXMOX_FINGERPRINT to the certificate's SHA-256 fingerprint or PROXMOX_CA_FILE to its CA)");
    }
    if (cause instanceof HttpTimeoutException) {
      return ProxmoxException.unreachable("Proxmox at " + where + " did not answer " + method + " " + path + " within "
          + options.requestTimeout().toMillis() + " ms");
    }
    if (find(cause, ConnectException.class) != null) {
      return ProxmoxException.unreachable("cannot connect to Proxmox at " + where + ": " + cause.getClass().getSimpleName());
    }
    if (cause instanceof IOException) {
      return ProxmoxException.unreachable("Proxmox at " + where + " could not be reached for " + method + " " + path + ": "
          + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }
    return ProxmoxException.unreachable("calling Proxmox " + method + " " + path + " failed: " + cause);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  static String form(Map<String, ?> params) {
    if (params == null || params.isEmpty()) {
      return "";
    }
    StringJoiner joiner = new StringJoiner("&");
    params.forEach((key, value) -> {
      if (value == null) {
        return;
      }
      Iterable<?> values = value instanceof Collection<?> c ? c : value instanceof JsonArray a ? a : List.of(value);
      for (Object v : values) {
        Object plain = v instanceof Boolean b ? (b ? 1 : 0) : v;
        joiner.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(String.valueOf(plain), StandardCharsets.UTF_8));
      }
    });
    return joiner.toString();
  }

  // ---- tasks and guest commands ------------------------------------------------------------

  /** The status of a task (GET /nodes/{node}/tasks/{upid}/status). */
  public CompletableFuture<JsonObject> taskStatus(String node, String upid) {
    return getObject(path("nodes", node, "tasks", upid, "status"), null);
  }

  /**
   * Polls a task until it has stopped, reporting each poll, and completes with its last status.
   * Completes exceptionally with a {@link java.util.concurrent.TimeoutException} when it is still
   * running after {@code timeout}.
   */
  public CompletableFuture<JsonObject> waitForTask(String node, String upid, Duration timeout, PollListener listener) {
    long start = System.nanoTime();
    return poll(() -> taskStatus(node, upid), status -> "stopped".equals(status.getString("status")),
        start, timeout, listener, "task " + upid);
  }

  /**
   * Runs a command through the QEMU guest agent and polls {@code exec-status} until it has exited;
   * completes with that status ({@code exitcode}, {@code out-data}, {@code err-data}).
   */
  public CompletableFuture<JsonObject> execInGuest(String node, long vmid, List<String> command, String inputData,
                                                  Duration timeout, PollListener listener) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("command", command);
    if (inputData != null) {
      params.put("input-data", inputData);
    }
    long start = System.nanoTime();
    return post(path("nodes", node, "qemu", vmid, "agent", "exec"), params)
        .thenApply(data -> expect(data, JsonObject.class, "agent/exec"))
        .thenCompose(started -> {
          Object pid = started.getValue("pid");
          if (pid == null) {
            throw new ProxmoxException(200, null, null, "the guest agent started the command but returned no pid");
          }
          return poll(() -> getObject(path("nodes", node, "qemu", vmid, "agent", "exec-status"), Map.of("pid", pid)),
              status -> ProxmoxJson.bool(status.getValue("exited")), start, timeout, listener,
              "command (pid " + pid + ") in VM " + vmid);
        });
  }

  private interface StatusSource {
    CompletableFuture<JsonObject> fetch();
  }

  private interface Done {
    boolean test(JsonObject status);
  }

  private CompletableFuture<JsonObject> poll(StatusSource source, Done done, long startNanos, Duration timeout,
                                             PollListener listener, String what) {
    return source.fetch().thenCompose(status -> {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      if (listener != null) {
        listener.polled(elapsed, status);
      }
      if (done.test(status)) {
        return CompletableFuture.completedFuture(status);
      }
      Duration left = timeout.minus(elapsed);
      if (left.isNegative() || left.isZero()) {
        return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException(
            what + " still running after " + timeout.toSeconds() + " s"));
      }
      long waitMs = Math.max(1, Math.min(options.taskPollInterval().toMillis(), left.toMillis()));
      Executor later = CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(ignored -> poll(source, done, startNanos, timeout, listener, what));
    });
  }
}
