package io.agentnet.bench;

import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.config.RequestMapping;
import io.agentnet.bridge.testkit.FileTrees;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.agentnet.mcp.filesystem.FilesystemOptions;
import io.agentnet.mcp.filesystem.FilesystemToolProvider;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpServerVerticle;
import io.agentnet.runtime.mcp.client.McpClient;
import io.agentnet.runtime.mcp.transport.McpBusTransport;
import io.agentnet.runtime.mcp.transport.McpHttpTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Measures the MCP filesystem server in one run, loopback only:
 *
 * <ul>
 *   <li><b>Part A</b>, tools/call from an agent over NATS: {@link McpClient} in a Vert.x "agent" instance →
 *       its bridge (request mapping) → nats-server → the bridge of a second Vert.x instance (the server's
 *       service mapping) → {@link McpServerVerticle} and back, sequentially. Beside it, the same JSON-RPC
 *       bytes as a raw jnats request to the same service, and raw jnats request/reply against an echo
 *       responder, the floor any NATS round trip pays. Target: p50 of the agent path within 3x the echo's.</li>
 *   <li><b>Part B</b>, one client for all: the official MCP Java SDK calls read_text_file (4 KiB) and
 *       list_directory (50 entries) on our server over Streamable HTTP and over stdio (the shaded
 *       agentnet-mcp jar as a child process) and on the reference {@code @modelcontextprotocol/server-filesystem}
 *       (node, stdio), with 1 and with 16 callers sharing one client. Target: ours at least 2x the
 *       reference's calls/s. A last diagnostic row drives our HTTP server with bare JDK HttpClient POSTs, to tell
 *       the server's cost from the SDK HTTP transport's.</li>
 * </ul>
 *
 * Settings are system properties {@code -Dbench.mcp.<name>=value}, see {@link #USAGE}. It exits 0 whatever
 * the figures are, 1 if the run itself broke.
 */
public final class McpBenchmark implements AutoCloseable {

  static final String USAGE = """
      usage: java -cp agentnet-bench.jar [-Dbench.mcp.name=value ...] io.agentnet.bench.McpBenchmark
        calls=N            Part A: measured sequential calls per path          (default 3000)
        warmup=N           Part A: uncounted calls per path before measuring   (default 1000)
        b-calls=N          Part B: measured calls per server, tool and concurrency (default 1500)
        b-warmup=N         Part B: uncounted calls before each measurement      (default 300)
        concurrency=C      Part B: callers in the concurrent runs               (default 16)
        jar=PATH           our stdio server       (default verticles/mcp/target/agentnet-mcp.jar)
        ref-dir=DIR        npm prefix of the reference server, installed there if missing (default /tmp/mcp-ref)
        max-seconds=S      abort (exit 1) if the run takes longer               (default 300)
      """;

  static final String SERVER = "filesystem";
  static final String RAW_ECHO = "bench.mcp.echo";
  static final double P50_TARGET = 3.0;
  static final double THROUGHPUT_TARGET = 2.0;
  static final int FILE_BYTES = 4096;
  static final int DIR_ENTRIES = 50;
  static final String REF_PACKAGE = "@modelcontextprotocol/server-filesystem";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final int calls = setting("calls", 3000, 1);
  private final int warmup = setting("warmup", 1000, 0);
  private final int bCalls = setting("b-calls", 1500, 1);
  private final int bWarmup = setting("b-warmup", 300, 1);
  private final int concurrency = setting("concurrency", 16, 1);
  private final Path jar = Path.of(System.getProperty("bench.mcp.jar", "verticles/mcp/target/agentnet-mcp.jar"));
  private final Path refDir = Path.of(System.getProperty("bench.mcp.ref-dir", "/tmp/mcp-ref"));

  private final Cleanup closers = new Cleanup();
  private Path root;
  private Path file;
  private Path dir;
  private String fileText;

  public static void main(String[] args) {
    // As in BridgeBenchmark: the bench's logback.xml (WARN), not the bridge test-jar's logback-test.xml.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback.xml");
    }
    if (args.length > 0) {
      System.err.print(USAGE);
      System.exit(args[0].equals("-h") || args[0].equals("--help") ? 0 : 2);
    }
    int code = 0;
    try (McpBenchmark bench = new McpBenchmark()) {
      startWatchdog(setting("max-seconds", 300, 10));
      bench.run();
    } catch (Throwable t) {
      System.out.flush();
      System.err.println("BENCHMARK FAILED: " + t);
      t.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  private static int setting(String name, int def, int min) {
    String v = System.getProperty("bench.mcp." + name);
    int n = v == null || v.isBlank() ? def : Integer.parseInt(v.trim().replace("_", ""));
    if (n < min) {
      throw new IllegalArgumentException("bench.mcp." + name + " must be at least " + min + ": " + v);
    }
    return n;
  }

  /** A hung child process or client must not hang the run: exit 1 after the limit (shutdown hooks still run). */
  private static void startWatchdog(int maxSeconds) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
      } catch (InterruptedException e) {
        return;
      }
      System.out.flush();
      System.err.println("BENCHMARK FAILED: the run took longer than " + maxSeconds + " s; aborting");
      System.exit(1);
    }, "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  void run() throws Exception {
    long start = System.nanoTime();
    createFiles();
    System.out.printf(Locale.ROOT, "MCP benchmark: Part A calls=%d (warm-up %d) per path; Part B calls=%d (warm-up %d) "
        + "per row, concurrency 1 and %d; %d cores; Java %s%n", calls, warmup, bCalls, bWarmup, concurrency,
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    partA();
    partB();
    System.out.printf(Locale.ROOT, "%nrun took %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private void createFiles() throws IOException {
    root = Files.createTempDirectory("mcp-bench-").toRealPath();
    closers.add(() -> FileTrees.deleteQuietly(root));
    // Printable ASCII, so every server returns exactly FILE_BYTES characters of text.
    StringBuilder text = new StringBuilder(FILE_BYTES);
    for (int i = 0; i < FILE_BYTES; i++) {
      text.append(i % 64 == 63 ? '\n' : (char) ('a' + i % 26));
    }
    fileText = text.toString();
    file = Files.writeString(root.resolve("small.txt"), fileText);
    dir = Files.createDirectory(root.resolve("listing"));
    for (int i = 0; i < DIR_ENTRIES; i++) {
      Files.writeString(dir.resolve(String.format(Locale.ROOT, "file-%02d.txt", i)), "entry " + i + "\n");
    }
  }

  // ------------------------------------------------------------------------------------------------ Part A

  private void partA() throws Exception {
    NatsServerProcess nats = NatsServerProcess.start();
    Cleanup partClosers = new Cleanup();
    partClosers.add(nats::close);
    try {
      Connection raw = Nats.connect(new Options.Builder().server(nats.url()).connectionName("mcp-bench-raw").build());
      partClosers.add(raw::close);
      Connection echoSide = Nats.connect(new Options.Builder().server(nats.url()).connectionName("mcp-bench-echo")
          .build());
      partClosers.add(echoSide::close);
      Dispatcher echo = echoSide.createDispatcher(msg -> echoSide.publish(msg.getReplyTo(), msg.getData()));
      echo.subscribe(RAW_ECHO);
      echoSide.flush(Duration.ofSeconds(5));

      // "Server process": the MCP server on its bus, exposed on NATS as a micro service by its own bridge.
      Vertx serverVertx = Vertx.vertx();
      partClosers.add(() -> serverVertx.close().await(15, TimeUnit.SECONDS));
      deployBridge(serverVertx, bridgeOptions(nats, "mcp-bench-server")
          .addService(McpServerVerticle.serviceMapping(SERVER, TIMEOUT)));
      serverVertx.deployVerticle(filesystemServer(new McpServerOptions())).await(20, TimeUnit.SECONDS);

      // "Agent process": no MCP server here, so ai.mcp.filesystem has no local consumer and goes to NATS.
      Vertx agentVertx = Vertx.vertx();
      partClosers.add(() -> agentVertx.close().await(15, TimeUnit.SECONDS));
      String address = McpBusTransport.address(SERVER);
      deployBridge(agentVertx, bridgeOptions(nats, "mcp-bench-agent")
          .addRequest(new RequestMapping("mcp-" + SERVER, address, address, PayloadFormat.JSON, TIMEOUT)));
      McpClient client = McpClient.create(agentVertx);
      Context agentContext = agentVertx.getOrCreateContext();
      JsonObject args = new JsonObject().put("path", file.toString());
      Supplier<Future<JsonObject>> agentCall = () -> client.callTool(SERVER, "read_text_file", args, TIMEOUT);
      Predicate<JsonObject> agentOk = r -> !r.getBoolean("isError", false) && McpClient.text(r).equals(fileText);
      awaitService(agentContext, agentCall);

      byte[] rpc = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
          .put("params", new JsonObject().put("name", "read_text_file").put("arguments", args)).toBuffer().getBytes();
      Predicate<byte[]> rawOk = reply -> {
        JsonObject result = new JsonObject(new String(reply, StandardCharsets.UTF_8)).getJsonObject("result");
        return result != null && McpClient.text(result).equals(fileText);
      };

      System.out.printf(Locale.ROOT, "%nPart A: sequential tools/call read_text_file (%d B), request %d B; "
          + "nats-server %s%n", FILE_BYTES, rpc.length, raw.getServerInfo().getVersion());
      // Warm-up, then the measured calls in alternating rounds so machine noise weighs on every path alike.
      int rounds = Math.min(4, calls);
      Results.Latency agent = null;
      Results.Latency rawMcp = null;
      Results.Latency rawEcho = null;
      for (int round = -1; round < rounds; round++) {
        int n = round < 0 ? warmup : calls / rounds + (round < calls % rounds ? 1 : 0);
        if (n == 0) {
          continue;
        }
        Results.Latency e = rawRequests(raw, RAW_ECHO, rpc, n, reply -> reply.length == rpc.length);
        Results.Latency m = rawRequests(raw, address, rpc, n, rawOk);
        Results.Latency a = agentRequests(agentContext, agentCall, agentOk, n);
        if (round >= 0) {
          rawEcho = rawEcho == null ? e : rawEcho.plus(e);
          rawMcp = rawMcp == null ? m : rawMcp.plus(m);
          agent = agent == null ? a : agent.plus(a);
        }
      }
      printLatencyHeader();
      printLatency("raw jnats request/reply, echo", rawEcho);
      printLatency("raw jnats -> bridge -> MCP server", rawMcp);
      printLatency("agent McpClient -> bridge -> NATS -> MCP", agent);
      double ratio = agent.micros(50) / rawEcho.micros(50);
      System.out.printf(Locale.ROOT, "  p50 agent / raw echo     %6.2fx   (target <= %.1fx: %s)%n", ratio, P50_TARGET,
          ratio <= P50_TARGET ? "MET" : "MISSED");
      System.out.printf(Locale.ROOT, "  p50 agent / raw MCP      %6.2fx   (what the agent side's bus + bridge add)%n",
          agent.micros(50) / rawMcp.micros(50));
      System.out.printf(Locale.ROOT, "  p50 raw MCP / raw echo   %6.2fx   (what the server side's bridge + MCP add)%n",
          rawMcp.micros(50) / rawEcho.micros(50));
    } finally {
      partClosers.close();
    }
  }

  private McpServerVerticle filesystemServer(McpServerOptions options) {
    return new McpServerVerticle(new FilesystemToolProvider(FilesystemOptions.ofRoots(List.of(root.toString()))),
        options, "mcp-filesystem-bench", Duration.ofSeconds(30));
  }

  private static BridgeOptions bridgeOptions(NatsServerProcess nats, String name) {
    // Core NATS only: JetStream provisioning would just add start-up noise.
    return new BridgeOptions().setServer(nats.url()).setConnectionName(name).setProvisionStreams(false)
        .setStartupWait(Duration.ofSeconds(10));
  }

  private static void deployBridge(Vertx vertx, BridgeOptions options) throws Exception {
    NatsBridge bridge = NatsBridge.create(options, new SimpleMeterRegistry());
    vertx.deployVerticle(bridge).await(20, TimeUnit.SECONDS);
    if (bridge.state() != ConnectionState.CONNECTED) {
      throw new IllegalStateException("bridge " + options.getConnectionName() + " is " + bridge.state());
    }
  }

  /** The service's subscription may reach nats-server a moment after deployment: retry "no responders". */
  private static void awaitService(Context context, Supplier<Future<JsonObject>> call) throws Exception {
    Responders.await("the MCP server over NATS", () -> agentRequests(context, call, r -> true, 1));
  }

  private static Results.Latency rawRequests(Connection c, String subject, byte[] body, int count,
                                             Predicate<byte[]> ok) throws InterruptedException {
    Histogram histogram = Results.newHistogram();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      Message reply = c.request(subject, body, TIMEOUT);
      long rtt = System.nanoTime() - t0;
      if (reply == null || !ok.test(reply.getData())) {
        throw new IllegalStateException("raw request " + (i + 1) + " on " + subject + ": "
            + (reply == null ? "no reply" : "unexpected reply " + new String(reply.getData(), StandardCharsets.UTF_8)));
      }
      Results.record(histogram, rtt);
    }
    return new Results.Latency(histogram, System.nanoTime() - start);
  }

  /** Sequential calls chained on the agent's event loop, as an agent verticle would make them. */
  private static Results.Latency agentRequests(Context context, Supplier<Future<JsonObject>> call,
                                               Predicate<JsonObject> ok, int count) throws Exception {
    CompletableFuture<Results.Latency> done = new CompletableFuture<>();
    Histogram histogram = Results.newHistogram();
    context.runOnContext(v -> nextAgentCall(call, ok, count, 0, histogram, System.nanoTime(), done));
    return done.get(TIMEOUT.toMillis() * 2 + count * 100L, TimeUnit.MILLISECONDS);
  }

  private static void nextAgentCall(Supplier<Future<JsonObject>> call, Predicate<JsonObject> ok, int count, int sent,
                                    Histogram histogram, long start, CompletableFuture<Results.Latency> done) {
    if (sent == count) {
      done.complete(new Results.Latency(histogram, System.nanoTime() - start));
      return;
    }
    long t0 = System.nanoTime();
    call.get().onComplete(ar -> {
      long rtt = System.nanoTime() - t0;
      if (ar.failed()) {
        done.completeExceptionally(ar.cause());
      } else if (!ok.test(ar.result())) {
        done.completeExceptionally(new IllegalStateException("call " + (sent + 1) + ": unexpected result "
            + ar.result().encode()));
      } else {
        Results.record(histogram, rtt);
        nextAgentCall(call, ok, count, sent + 1, histogram, start, done);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------ Part B

  /** One MCP server as Part B runs it: how to make a transport to it (each server gets one client). */
  private record Target(String name, Supplier<McpClientTransport> transport) {
  }

  private record Row(String target, String tool, int callers, Results.Latency latency) {
  }

  private void partB() throws Exception {
    Cleanup partClosers = new Cleanup();
    try {
      List<Target> targets = new ArrayList<>();
      Vertx httpVertx = Vertx.vertx();
      partClosers.add(() -> httpVertx.close().await(15, TimeUnit.SECONDS));
      McpServerVerticle http = filesystemServer(new McpServerOptions().setHttpPort(0));
      httpVertx.deployVerticle(http).await(20, TimeUnit.SECONDS);
      String url = "http://127.0.0.1:" + http.httpPort();
      targets.add(new Target("ours-HTTP", () -> HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp").build()));

      if (Files.isRegularFile(jar)) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        targets.add(new Target("ours-stdio", () -> stdio(ServerParameters.builder(java)
            .args("-jar", jar.toString(), SERVER, "--stdio", root.toString()).build())));
      } else {
        System.out.println("\nours-stdio skipped: " + jar.toAbsolutePath() + " not found (mvn install first, or "
            + "-Dbench.mcp.jar=PATH)");
      }

      Path index = referenceServer();
      if (index != null) {
        targets.add(new Target("reference-stdio", () -> stdio(ServerParameters.builder("node")
            .args(index.toString(), root.toString()).build())));
      }

      System.out.printf(Locale.ROOT, "%nPart B: MCP Java SDK client (sync, one per server; concurrent callers share "
          + "it); read_text_file %d B, list_directory %d entries%n", FILE_BYTES, DIR_ENTRIES);
      List<Row> rows = new ArrayList<>();
      for (Target target : targets) {
        McpSyncClient client = io.modelcontextprotocol.client.McpClient.sync(target.transport().get())
            .requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build();
        partClosers.add(client::closeGracefully);
        client.initialize();
        for (String tool : List.of("read_text_file", "list_directory")) {
          McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool,
              Map.of("path", (tool.equals("read_text_file") ? file : dir).toString()));
          Predicate<McpSchema.CallToolResult> ok = tool.equals("read_text_file")
              ? r -> text(r).equals(fileText)
              : r -> text(r).contains(String.format(Locale.ROOT, "file-%02d.txt", DIR_ENTRIES - 1));
          for (int callers : concurrency == 1 ? List.of(1) : List.of(1, concurrency)) {
            sdkCalls(client, request, ok, callers, bWarmup);
            Results.Latency latency = sdkCalls(client, request, ok, callers, bCalls);
            rows.add(new Row(target.name(), tool, callers, latency));
          }
        }
        client.closeGracefully();
      }
      printPartB(rows);
      rawHttp(url);
    } finally {
      partClosers.close();
    }
  }

  /**
   * Diagnostic: read_text_file on our HTTP server by bare JDK HttpClient POSTs (one session, sequential, no SDK),
   * so the ours-HTTP rows can be split into what the server costs and what the SDK's HTTP transport adds.
   */
  private void rawHttp(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI mcp = URI.create(url + "/mcp");
    JsonObject init = new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "mcp-bench-raw").put("version", "1")));
    HttpResponse<String> opened = http.send(post(mcp, init.encode(), null), HttpResponse.BodyHandlers.ofString());
    String session = opened.headers().firstValue(McpHttpTransport.SESSION_HEADER).orElse(null);
    http.send(post(mcp, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized").encode(),
        session), HttpResponse.BodyHandlers.discarding());
    String call = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "read_text_file")
            .put("arguments", new JsonObject().put("path", file.toString()))).encode();
    Results.Latency latency = null;
    for (int n : List.of(bWarmup, bCalls)) {
      Histogram histogram = Results.newHistogram();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> reply = http.send(post(mcp, call, session), HttpResponse.BodyHandlers.ofString());
        long rtt = System.nanoTime() - t0;
        JsonObject result = new JsonObject(reply.body()).getJsonObject("result");
        if (result == null || !McpClient.text(result).equals(fileText)) {
          throw new IllegalStateException("raw HTTP call: unexpected reply " + reply.statusCode() + " " + reply.body());
        }
        Results.record(histogram, rtt);
      }
      latency = new Results.Latency(histogram, System.nanoTime() - start);
    }
    System.out.printf(Locale.ROOT, "%n  diagnostic: read_text_file, 1 caller, our HTTP server without the SDK%n");
    printLatencyHeader();
    printLatency("ours-HTTP, bare JDK HttpClient POST", latency);
  }

  private static HttpRequest post(URI uri, String body, String session) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header(McpHttpTransport.SESSION_HEADER, session);
    }
    return b.build();
  }

  private static StdioClientTransport stdio(ServerParameters params) {
    // SDK 2.1's StdioClientTransport emits into a sink that rejects concurrent emitters ("Failed to enqueue
    // message", FAIL_NON_SERIALIZED) when several threads share one client; sending one at a time avoids that
    // and costs nothing measurable (a send only enqueues).
    StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper()) {
      @Override
      public synchronized Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return super.sendMessage(message);
      }
    };
    // Server logs go to stderr; only keep them out of the figures.
    transport.setStdErrorHandler(line -> { });
    return transport;
  }

  /** The reference server's entry point, installed with npm into ref-dir if missing; null (and why) if impossible. */
  private Path referenceServer() throws InterruptedException {
    Path index = refDir.resolve("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
    if (!Files.isRegularFile(index)) {
      System.out.println("\ninstalling " + REF_PACKAGE + " into " + refDir + " (npm)...");
      try {
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", refDir.toString(),
            REF_PACKAGE).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!npm.waitFor(120, TimeUnit.SECONDS)) {
          npm.destroyForcibly();
        }
      } catch (IOException e) {
        System.out.println("reference rows skipped: npm is not available (" + e.getMessage() + ")");
        return null;
      }
    }
    if (!Files.isRegularFile(index)) {
      System.out.println("reference rows skipped: npm could not install " + REF_PACKAGE + " into " + refDir);
      return null;
    }
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      node.waitFor(10, TimeUnit.SECONDS);
      System.out.println("\nreference: " + REF_PACKAGE + " " + packageVersion(index) + ", node " + version);
    } catch (IOException e) {
      System.out.println("reference rows skipped: node is not available (" + e.getMessage() + ")");
      return null;
    }
    return index;
  }

  private static String packageVersion(Path index) {
    try {
      return new JsonObject(Files.readString(index.getParent().getParent().resolve("package.json")))
          .getString("version", "?");
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** {@code count} calls by {@code callers} threads sharing one client; each thread calls again as soon as it has its reply. */
  private static Results.Latency sdkCalls(McpSyncClient client, McpSchema.CallToolRequest request,
                                          Predicate<McpSchema.CallToolResult> ok, int callers, int count)
      throws InterruptedException {
    AtomicInteger remaining = new AtomicInteger(count);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Histogram> histograms = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Histogram h = Results.newHistogram();
      histograms.add(h);
      threads.add(new Thread(() -> {
        try {
          while (failure.get() == null && remaining.getAndDecrement() > 0) {
            long t0 = System.nanoTime();
            McpSchema.CallToolResult result = client.callTool(request);
            long rtt = System.nanoTime() - t0;
            if (Boolean.TRUE.equals(result.isError()) || !ok.test(result)) {
              throw new IllegalStateException(request.name() + ": unexpected result " + text(result));
            }
            Results.record(h, rtt);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }, "mcp-caller-" + i));
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException("calls failed: " + failure.get(), failure.get());
    }
    Histogram all = Results.newHistogram();
    histograms.forEach(all::add);
    return new Results.Latency(all, elapsed);
  }

  private static String text(McpSchema.CallToolResult result) {
    StringBuilder sb = new StringBuilder();
    for (McpSchema.Content c : result.content()) {
      if (c instanceof McpSchema.TextContent t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  private static void printPartB(List<Row> rows) {
    for (String tool : List.of("read_text_file", "list_directory")) {
      List<Integer> callerCounts = rows.stream().filter(r -> r.tool().equals(tool)).map(Row::callers).distinct()
          .sorted().toList();
      for (int callers : callerCounts) {
        System.out.printf(Locale.ROOT, "%n  %s, %d caller(s)%n", tool, callers);
        List<Row> these = rows.stream().filter(r -> r.tool().equals(tool) && r.callers() == callers).toList();
        printLatencyHeader();
        these.forEach(r -> printLatency(r.target(), r.latency()));
        Row ref = these.stream().filter(r -> r.target().startsWith("reference")).findFirst().orElse(null);
        if (ref == null) {
          System.out.println("  (no reference row: no ratios)");
          continue;
        }
        these.stream().filter(r -> r != ref).sorted(Comparator.comparing(Row::target)).forEach(r -> {
          double ratio = r.latency().perSecond() / ref.latency().perSecond();
          System.out.printf(Locale.ROOT, "  calls/s %s / reference  %6.2fx   (target >= %.1fx: %s)%n", r.target(),
              ratio, THROUGHPUT_TARGET, ratio >= THROUGHPUT_TARGET ? "MET" : "MISSED");
        });
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ output, clean-up

  private static void printLatencyHeader() {
    System.out.printf(Locale.ROOT, "  %-42s %8s %10s %10s %10s%n", "path", "calls", "p50 µs", "p99 µs", "calls/s");
  }

  private static void printLatency(String name, Results.Latency l) {
    System.out.printf(Locale.ROOT, "  %-42s %8d %10.1f %10.1f %10.0f%n", name, l.count(), l.micros(50), l.micros(99),
        l.perSecond());
  }

  @Override
  public void close() {
    closers.close();
  }
}
