package io.agentnet.dashboard;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.agentnet.agents.AgentRoles;
import io.agentnet.bridge.config.Environment;
import io.agentnet.mcp.McpRoles;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.NodeVerticle;
import io.agentnet.runtime.launch.Role;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.threadchecker.BlockedThreadChecker;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One agentnet network in this JVM, local mode, for the dashboard's tests: the proxmox (with its
 * simulator) and filesystem MCP servers, the all-in-one agents (3 specialists, orchestrator,
 * monitor) and the dashboard on a free port with a known token. Vert.x reports to a Prometheus
 * registry as in the jars, and an event loop blocked over a second once the network is up fails the class.
 * HTTP goes through java.net.http from the test thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardTestNetwork {

  static final String TOKEN = "t0ken-for-tests";
  static final int MAX_BODY = 4096;
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);
  static final Duration STEADY = Duration.ofSeconds(10);

  protected Vertx vertx;
  protected int port;
  protected HttpClient http;
  /** Event loops blocked over a second once the network is up: each fails the class. */
  private final List<String> blocked = new CopyOnWriteArrayList<>();
  /**
   * The same while starting or stopping, only logged: a cold JVM initialises classes (Netty, TLS) on
   * the first event loops, and that is not what these tests are about.
   */
  private final List<String> blockedOutside = new CopyOnWriteArrayList<>();
  private volatile boolean counting;
  private BlockedThreadAppender blockedAppender;

  /** An HTTP answer. */
  record Answer(int status, String body, java.net.http.HttpHeaders headers) {
    JsonObject json() {
      assertThat(contentType()).as("content type of %s", body).startsWith("application/json");
      return new JsonObject(body);
    }

    String contentType() {
      return headers.firstValue("content-type").orElse("");
    }
  }

  @BeforeAll
  void startNetwork() throws Exception {
    blockedAppender = new BlockedThreadAppender(m -> (counting ? blocked : blockedOutside).add(m));
    blockedAppender.start();
    ((Logger) LoggerFactory.getLogger(BlockedThreadChecker.LOGGER_NAME)).addAppender(blockedAppender);

    vertx = Vertx.builder()
        // Over a second is blocking, not the JVM loading a class or collecting garbage on a busy machine
        // (first uses measured up to 142 ms, GC pauses 152 ms); the stack goes in the log at once.
        .with(new VertxOptions().setBlockedThreadCheckInterval(100).setMaxEventLoopExecuteTime(1)
            .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
            .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.SECONDS)
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
        .build();
    Path workspace = Files.createTempDirectory("agentnet-dashboard");
    AppConfig config = AppConfig.of(new JsonObject().put("dashboard", new JsonObject().put("maxBodyBytes", MAX_BODY)),
        new Environment(Map.of("AGENT_HEARTBEAT_INTERVAL", "1", "METRICS_INTERVAL", "3600",
            "WORKSPACE_DIR", workspace.toString(), "MCP_FILESYSTEM_PORT", "0", "MCP_PROXMOX_PORT", "0",
            "MCP_CLOUD_PORT", "0", "DASHBOARD_PORT", "0", "DASHBOARD_HOST", "127.0.0.1",
            "DASHBOARD_TOKEN", TOKEN)));
    List<Role> roles = new ArrayList<>(McpRoles.roles(List.of("proxmox", "filesystem"), config));
    roles.addAll(AgentRoles.allInOne(config));
    roles.add(DashboardRoles.dashboard(config));
    vertx.deployVerticle(new NodeVerticle(config, "dashboard-test", roles)).await(60, TimeUnit.SECONDS);
    // the port the dashboard bound: one picked beforehand could be taken by the MCP servers' listeners
    port = DashboardVerticle.announcedPort(String.join("\n", NodeVerticle.announcements(vertx))).orElseThrow();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // every role beats once a second: wait until the dashboard has heard all seven
    await("the dashboard hears 3 specialists, the orchestrator, the monitor and 2 MCP servers", Duration.ofSeconds(20),
        () -> {
          JsonArray agents = get("/api/agents").json().getJsonArray("agents");
          return agents.size() >= 7 && agents.stream().allMatch(a -> ((JsonObject) a).getBoolean("online"))
              ? Optional.of(agents) : Optional.empty();
        });
    counting = true;
  }

  @AfterAll
  void stopNetwork() throws Exception {
    counting = false;
    try {
      if (vertx != null) {
        vertx.close().await(60, TimeUnit.SECONDS);
      }
    } finally {
      ((Logger) LoggerFactory.getLogger(BlockedThreadChecker.LOGGER_NAME)).detachAppender(blockedAppender);
    }
    if (!blockedOutside.isEmpty()) {
      LoggerFactory.getLogger(getClass()).info("blocked while starting or stopping (not counted): {}", blockedOutside);
    }
    assertThat(blocked).as("event loops blocked over a second while the tests ran").isEmpty();
  }

  /** Polls until the supplier has a value or the deadline passes; failures while polling are retried. */
  static <T> T await(String what, Duration within, Check<T> check) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    Throwable last = null;
    while (true) {
      try {
        Optional<T> value = check.get();
        if (value.isPresent()) {
          return value.get();
        }
      } catch (Exception | AssertionError e) {
        last = e;
      }
      if (System.nanoTime() > end) {
        AssertionError e = new AssertionError("not within " + within.toMillis() + " ms: " + what);
        if (last != null) {
          e.initCause(last);
        }
        throw e;
      }
      Thread.sleep(50);
    }
  }

  @FunctionalInterface
  interface Check<T> {
    Optional<T> get() throws Exception;
  }

  /**
   * Runs assertions about the live network until they hold. Every role beats once a second and is
   * offline after three silent seconds, so a pause of this JVM (GC, a busy machine) can show an agent
   * offline until its next beat is heard.
   */
  static void eventually(String what, Assertions assertions) throws InterruptedException {
    await(what, STEADY, () -> {
      assertions.run();
      return Optional.of(Boolean.TRUE);
    });
  }

  @FunctionalInterface
  interface Assertions {
    void run() throws Exception;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** POST with the test token. */
  Answer post(String path, String body) throws IOException, InterruptedException {
    return post(path, body, "Bearer " + TOKEN);
  }

  /** POST with this Authorization header (none when null). */
  Answer post(String path, String body, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b);
  }

  Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body(), r.headers());
  }

  /** Submits a workflow through the API and returns its id (202). */
  String submit(String type, JsonObject parameters) throws Exception {
    Answer a = post("/api/workflows", new JsonObject().put("workflow_type", type).put("parameters", parameters).encode());
    assertThat(a.status()).as(a.body()).isEqualTo(202);
    String id = a.json().getString("workflow_id");
    assertThat(id).isNotBlank();
    return id;
  }

  /** The workflow record once its status is final. */
  JsonObject awaitFinished(String id) throws InterruptedException {
    return await("workflow " + id + " finishes", Duration.ofSeconds(30), () -> {
      JsonObject record = get("/api/workflows/" + id).json();
      return List.of("completed", "failed", "cancelled").contains(record.getString("status"))
          ? Optional.of(record) : Optional.empty();
    });
  }

  int workflowsTotal() throws Exception {
    Answer a = get("/api/workflows");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json().getInteger("total");
  }

  /** Collects Vert.x's blocked-thread warnings about event loops. */
  private static final class BlockedThreadAppender extends AppenderBase<ILoggingEvent> {
    private final Consumer<String> sink;

    BlockedThreadAppender(Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    protected void append(ILoggingEvent event) {
      String message = event.getFormattedMessage();
      if (message != null && message.contains("vert.x-eventloop-thread")) {
        sink.accept(message);
      }
    }
  }
}
