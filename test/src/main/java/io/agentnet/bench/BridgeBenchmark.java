package io.agentnet.bench;

import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.config.InboundMapping;
import io.agentnet.bridge.config.OutboundMapping;
import io.agentnet.bridge.config.RequestMapping;
import io.agentnet.bridge.impl.BridgeMetrics;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Measures what the NATS bridge costs compared with talking to NATS directly, in one run against one
 * local nats-server (loopback only):
 *
 * <ul>
 *   <li><b>request/reply</b>: sequential round trips (one outstanding at a time). Raw: jnats client A
 *       requests on {@value #RAW_ECHO}, jnats client B answers from a Dispatcher. Bridged: an event bus
 *       request in Vert.x 1 → bridge 1 (request mapping) → NATS → bridge 2 (inbound request mapping, in
 *       Vert.x 2) → an event bus handler in Vert.x 2 that echoes the body → and back. p50, p99, req/s.
 *       The measured requests run in alternating raw/bridge rounds.</li>
 *   <li><b>publish</b>: M messages as fast as the publisher can. Raw: a jnats connection publishes to
 *       {@value #RAW_PUB} (jnats holds it back when its 5000-message writer queue is full). Bridged: an
 *       event bus publisher in Vert.x 1 sends to an outbound mapping's address in batches that yield to
 *       the event loop: paced (at most {@code --window} messages not yet handed to NATS by the bridge,
 *       the figure the target applies to) and unpaced (nothing holds it back). In all runs a separate raw
 *       jnats subscriber counts; throughput = M / (first publish → M-th message received).</li>
 * </ul>
 *
 * Warm-up rounds of both paths come first and are not counted. The ratios bridge/raw are printed with
 * the targets (p50 ratio ≤ 1.5, publish ratio ≥ 0.5) and a final {@code RESULT ...} line. It exits 0
 * whatever the figures are, 1 if the run itself broke, 2 on a usage error.
 */
public final class BridgeBenchmark implements AutoCloseable {

  static final String RAW_ECHO = "bench.echo";
  static final String BRIDGE_ECHO = "bench.bridge.echo";
  static final String RAW_PUB = "bench.pub";
  static final String BRIDGE_PUB = "bench.bridge.pub";
  static final String REQUEST_ADDRESS = "bench.request";
  static final String HANDLER_ADDRESS = "bench.echo.handler";
  static final String PUBLISH_ADDRESS = "bench.publish";
  static final String REQUEST_MAPPING = "bench-request";
  static final String INBOUND_MAPPING = "bench-echo-in";
  static final String OUTBOUND_MAPPING = "bench-publish";

  static final double P50_TARGET = 1.5;
  static final double PUBLISH_TARGET = 0.5;

  private static final Duration STALL = Duration.ofSeconds(3);
  private static final Duration PUBLISH_DEADLINE = Duration.ofSeconds(60);
  private static final int PUBLISH_ATTEMPTS = 3;
  private static final int MIN_MESSAGES = 10_000;

  private final BenchConfig config;
  private final BenchPayload payload;
  private final Cleanup closers = new Cleanup();
  private final AtomicLong slowConsumerEvents = new AtomicLong();

  private NatsServerProcess nats;
  private String serverVersion;
  private Connection rawRequester;
  private Connection rawSubscriber;
  private MeterRegistry registry1;
  private MeterRegistry registry2;
  private BusDriver driver;
  private String loadAtStart;

  BridgeBenchmark(BenchConfig config) {
    this.config = config;
    this.payload = new BenchPayload(config.payloadBytes(), config.format());
  }

  public static void main(String[] args) {
    // Before anything touches SLF4J: the bench's own logback.xml (root WARN). The bridge's test-jar, on the
    // classpath for the nats-server test kit, carries a logback-test.xml that logback would otherwise prefer.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback.xml");
    }
    BenchConfig config;
    try {
      config = BenchConfig.parse(args);
    } catch (BenchConfig.UsageException e) {
      if (e.getMessage() != null) {
        System.err.println(e.getMessage());
      }
      System.err.print(BenchConfig.USAGE);
      System.exit(e.getMessage() == null ? 0 : 2);
      return;
    }
    startWatchdog(config.maxSeconds());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!finished) {
        System.out.flush();
        System.err.println("BENCHMARK INTERRUPTED: the JVM is shutting down before the run finished (a signal?); "
            + "no figures");
      }
    }, "bench-interrupted"));
    int code = 0;
    try (BridgeBenchmark bench = new BridgeBenchmark(config)) {
      bench.run();
    } catch (Throwable t) {
      System.out.flush();
      System.err.println("BENCHMARK FAILED: " + t);
      t.printStackTrace();
      code = 1;
    }
    finished = true;
    System.exit(code);
  }

  /** Set when main is done (or the watchdog gives up), so the shutdown hook can tell an interruption apart. */
  private static volatile boolean finished;

  /** A hung run must not hang forever: after the limit, exit 1 (shutdown hooks still stop nats-server). */
  private static void startWatchdog(int maxSeconds) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
      } catch (InterruptedException e) {
        return;
      }
      finished = true;
      System.out.flush();
      System.err.println("BENCHMARK FAILED: the run took longer than " + maxSeconds + " s (--max-seconds); aborting");
      System.exit(1);
    }, "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  // ------------------------------------------------------------------------------------------------ run

  void run() throws Exception {
    long runStart = System.nanoTime();
    loadAtStart = loadAverage();
    setUp();
    printHeader();
    RequestReply requestReply = requestReplyPhase();
    Publish publish = publishPhase();
    printResults(requestReply, publish);
    System.out.printf(Locale.ROOT, "%nrun took %.1f s (set-up, warm-ups and measurements; not the JVM start); "
        + "load average %s at the start, %s at the end (the run's own load included)%n",
        (System.nanoTime() - runStart) / 1e9, loadAtStart, loadAverage());
  }

  private void setUp() throws Exception {
    nats = NatsServerProcess.start();
    closers.add(nats::close);

    rawRequester = connect("bench-raw-a");
    Connection rawResponder = connect("bench-raw-b");
    Dispatcher echo = rawResponder.createDispatcher(msg -> rawResponder.publish(msg.getReplyTo(), msg.getData()));
    echo.subscribe(RAW_ECHO);
    rawResponder.flush(Duration.ofSeconds(5));
    rawSubscriber = connect("bench-raw-subscriber");
    serverVersion = rawRequester.getServerInfo().getVersion();

    PayloadFormat format = config.format() == BenchConfig.Format.JSON ? PayloadFormat.JSON : PayloadFormat.BINARY;
    Duration timeout = Duration.ofMillis(config.requestTimeoutMs());

    // Vert.x 2, the "service" process: NATS requests on bench.bridge.echo become bus requests to the echo handler.
    Vertx vertx2 = Vertx.vertx(vertxOptions());
    closers.add(() -> vertx2.close().await(15, TimeUnit.SECONDS));
    registry2 = new SimpleMeterRegistry();
    deploy(vertx2, registry2, bridgeOptions("bench-bridge-2").addInbound(new InboundMapping(INBOUND_MAPPING,
        BRIDGE_ECHO, "bench", HANDLER_ADDRESS, InboundMapping.Delivery.REQUEST, format, timeout)));
    vertx2.deployVerticle(new EchoVerticle()).await(10, TimeUnit.SECONDS);

    // Vert.x 1, the "caller" process: bus requests to bench.request become NATS requests; bench.publish goes out.
    Vertx vertx1 = Vertx.vertx(vertxOptions());
    closers.add(() -> vertx1.close().await(15, TimeUnit.SECONDS));
    registry1 = new SimpleMeterRegistry();
    deploy(vertx1, registry1, bridgeOptions("bench-bridge-1")
        .addRequest(new RequestMapping(REQUEST_MAPPING, REQUEST_ADDRESS, BRIDGE_ECHO, format, timeout))
        .addOutbound(new OutboundMapping(OUTBOUND_MAPPING, PUBLISH_ADDRESS, BRIDGE_PUB, false)));
    driver = new BusDriver();
    vertx1.deployVerticle(driver).await(10, TimeUnit.SECONDS);

    awaitBridgedEcho();
  }

  private VertxOptions vertxOptions() {
    VertxOptions options = new VertxOptions();
    if (config.eventLoops() > 0) {
      options.setEventLoopPoolSize(config.eventLoops());
    }
    return options;
  }

  private BridgeOptions bridgeOptions(String name) {
    // No stream provisioning: these runs use core NATS only, and JetStream set-up would only add noise.
    return new BridgeOptions().setServer(nats.url()).setConnectionName(name).setProvisionStreams(false)
        .setStartupWait(Duration.ofSeconds(10));
  }

  private void deploy(Vertx vertx, MeterRegistry registry, BridgeOptions options) throws Exception {
    NatsBridge bridge = NatsBridge.create(options, registry);
    String id = vertx.deployVerticle(bridge).await(20, TimeUnit.SECONDS);
    // Undeployed before its Vert.x closes (closers run in reverse order), so its stop is waited for.
    closers.add(() -> vertx.undeploy(id).await(15, TimeUnit.SECONDS));
    if (bridge.state() != ConnectionState.CONNECTED) {
      throw new IllegalStateException("bridge " + options.getConnectionName() + " is " + bridge.state()
          + " after deployment: " + bridge.status().encode());
    }
  }

  private Connection connect(String name) throws Exception {
    Connection c = Nats.connect(new Options.Builder().server(nats.url()).connectionName(name)
        .errorListener(new ErrorListener() {
          @Override
          public void slowConsumerDetected(Connection conn, Consumer consumer) {
            slowConsumerEvents.incrementAndGet();
          }
        }).build());
    closers.add(c::close);
    return c;
  }

  /** The inbound subscription of bridge 2 may reach the server a moment after deployment: wait for it. */
  private void awaitBridgedEcho() throws Exception {
    Responders.await("the bridged echo path", () -> driver.requests(REQUEST_ADDRESS, payload.busBody(), payload.size(),
        1, config.requestTimeoutMs()).get(config.requestTimeoutMs() + 5_000L, TimeUnit.MILLISECONDS));
  }

  /** The Vert.x 2 application handler: replies with the request's body. */
  private static final class EchoVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
      return vertx.eventBus().consumer(HANDLER_ADDRESS, msg -> msg.reply(msg.body())).completion();
    }
  }

  // ------------------------------------------------------------------------------------------------ request/reply

  /** Both paths' round trips, and the means of the bridges' own request timers over the measured requests. */
  private record RequestReply(Results.Latency raw, Results.Latency bridged, TimerSnapshot bridge1,
                              TimerSnapshot bridge2) {
  }

  private RequestReply requestReplyPhase() throws Exception {
    phase("request/reply warm-up: raw %d, bridge %d", config.warmupRequests(), config.warmupRequests());
    rawRequests(config.warmupRequests());
    bridgeRequests(config.warmupRequests());

    // Alternating rounds: whatever else the machine does meanwhile weighs on both paths alike.
    Results.Latency raw = null;
    Results.Latency bridged = null;
    TimerSnapshot bridge1 = new TimerSnapshot(0, 0);
    TimerSnapshot bridge2 = new TimerSnapshot(0, 0);
    for (int round = 0; round < config.rounds(); round++) {
      int count = config.requests() / config.rounds() + (round < config.requests() % config.rounds() ? 1 : 0);
      quiesce();
      phase("request/reply measured, round %d of %d: raw %d, bridge %d", round + 1, config.rounds(), count, count);
      Results.Latency r = rawRequests(count);
      raw = raw == null ? r : raw.plus(r);
      TimerSnapshot bridge1Before = timer(registry1, REQUEST_MAPPING);
      TimerSnapshot bridge2Before = timer(registry2, INBOUND_MAPPING);
      Results.Latency b = bridgeRequests(count);
      bridged = bridged == null ? b : bridged.plus(b);
      bridge1 = bridge1.plus(timer(registry1, REQUEST_MAPPING).minus(bridge1Before));
      bridge2 = bridge2.plus(timer(registry2, INBOUND_MAPPING).minus(bridge2Before));
    }
    return new RequestReply(raw, bridged, bridge1, bridge2);
  }

  private Results.Latency rawRequests(int count) throws InterruptedException {
    Histogram histogram = Results.newHistogram();
    Duration timeout = Duration.ofMillis(config.requestTimeoutMs());
    byte[] body = payload.bytes();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      Message reply = rawRequester.request(RAW_ECHO, body, timeout);
      long rtt = System.nanoTime() - t0;
      if (reply == null) {
        throw new IllegalStateException("raw request " + (i + 1) + " got no reply within " + timeout.toMillis()
            + " ms");
      }
      if (reply.getData().length != body.length) {
        throw new IllegalStateException("raw reply " + (i + 1) + " has " + reply.getData().length + " bytes");
      }
      Results.record(histogram, rtt);
    }
    return new Results.Latency(histogram, System.nanoTime() - start);
  }

  private Results.Latency bridgeRequests(int count) throws Exception {
    if (count == 0) {
      return new Results.Latency(Results.newHistogram(), 1);
    }
    long limitMs = (long) count * config.requestTimeoutMs() + 10_000;
    try {
      return driver.requests(REQUEST_ADDRESS, payload.busBody(), payload.size(), count, config.requestTimeoutMs())
          .get(limitMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a bridged request failed: " + e.getCause(), e.getCause());
    }
  }

  /** A bridge's request latency timer for one mapping: count and total, for the measured requests' mean. */
  private record TimerSnapshot(long count, double totalNanos) {
    TimerSnapshot minus(TimerSnapshot before) {
      return new TimerSnapshot(count - before.count, totalNanos - before.totalNanos);
    }

    TimerSnapshot plus(TimerSnapshot other) {
      return new TimerSnapshot(count + other.count, totalNanos + other.totalNanos);
    }

    double meanMicros() {
      return count == 0 ? Double.NaN : totalNanos / count / 1_000.0;
    }
  }

  private static TimerSnapshot timer(MeterRegistry registry, String mapping) {
    Timer t = registry.find(BridgeMetrics.REQUEST_LATENCY).tag("mapping", mapping).timer();
    return t == null ? new TimerSnapshot(0, 0) : new TimerSnapshot(t.count(), t.totalTime(TimeUnit.NANOSECONDS));
  }

  // ------------------------------------------------------------------------------------------------ publish

  /** One publish run: its figure, or why there is none; for bridged runs the overflow buffer's peak too. */
  private record PublishRun(Results.Throughput result, String problem, long bufferPeak) {
  }

  /** The measured publish runs per path; {@code paced} is null when the window is off. */
  private record Publish(Results.Series raw, Results.Series paced, Results.Series unpaced, long pacedBufferPeak,
                         long unpacedBufferPeak, List<String> notes) {

    /** The bridged series the target applies to: paced when there is one. */
    Results.Series target() {
      return paced != null ? paced : unpaced;
    }
  }

  /**
   * Warm-up, then {@code --publish-rounds} rounds of raw, paced bridged and unpaced bridged runs of the same
   * M. When a run loses messages its figure would be wrong: that is reported and all rounds are run again
   * with half as many messages.
   */
  private Publish publishPhase() throws Exception {
    List<String> notes = new ArrayList<>();
    if (config.warmupMessages() > 0) {
      // Generous, and alternating like the measured runs: on 2 cores the JIT (it still deoptimises and recompiles
      // the shared jnats and Vert.x paths after the first few hundred thousand messages) and G1's heap sizing
      // take a while to settle.
      int half = Math.max(1, config.warmupMessages() / 2);
      for (int round = 1; round <= 2; round++) {
        phase("publish warm-up, round %d of 2: raw, bridge paced and bridge unpaced, %d each", round, half);
        warn(notes, "warm-up raw", publishRaw(half));
        if (config.window() > 0) {
          warn(notes, "warm-up bridge paced", publishBridged(half, config.window()));
        }
        warn(notes, "warm-up bridge unpaced", publishBridged(half, 0));
      }
    }
    int messages = config.messages();
    for (int attempt = 1; ; attempt++) {
      List<String> problems = new ArrayList<>();
      List<Results.Throughput> raw = new ArrayList<>();
      List<Results.Throughput> paced = new ArrayList<>();
      List<Results.Throughput> unpaced = new ArrayList<>();
      long pacedPeak = 0;
      long unpacedPeak = 0;
      for (int round = 1; round <= config.publishRounds() && problems.isEmpty(); round++) {
        quiesce();
        phase("publish measured, round %d of %d: raw %d", round, config.publishRounds(), messages);
        add(raw, problems, "raw", publishRaw(messages));
        if (config.window() > 0 && problems.isEmpty()) {
          quiesce();
          phase("publish measured, round %d of %d: bridge, paced (window %d), %d", round, config.publishRounds(),
              config.window(), messages);
          pacedPeak = Math.max(pacedPeak, add(paced, problems, "bridge paced", publishBridged(messages,
              config.window())));
        }
        if (problems.isEmpty()) {
          quiesce();
          phase("publish measured, round %d of %d: bridge, unpaced, %d", round, config.publishRounds(), messages);
          unpacedPeak = Math.max(unpacedPeak, add(unpaced, problems, "bridge unpaced", publishBridged(messages, 0)));
        }
      }
      if (problems.isEmpty()) {
        return new Publish(new Results.Series(raw), paced.isEmpty() ? null : new Results.Series(paced),
            new Results.Series(unpaced), pacedPeak, unpacedPeak, notes);
      }
      String problem = String.join("; ", problems);
      int smaller = messages / 2;
      if (attempt >= PUBLISH_ATTEMPTS || smaller < MIN_MESSAGES) {
        throw new IllegalStateException("publish runs with " + messages + " messages lost messages (" + problem
            + ") after " + attempt + " attempt(s); no valid throughput figure");
      }
      String note = "publish runs with " + messages + " messages lost messages (" + problem + "); all re-run with "
          + smaller;
      System.out.println("  NOTE " + note);
      notes.add(note);
      messages = smaller;
    }
  }

  /** Keeps a run's figure, or notes its problem; returns the run's overflow buffer peak. */
  private static long add(List<Results.Throughput> runs, List<String> problems, String what, PublishRun run) {
    if (run.problem() != null) {
      problems.add(what + ": " + run.problem());
    } else {
      runs.add(run.result());
    }
    return run.bufferPeak();
  }

  private static void warn(List<String> notes, String what, PublishRun run) {
    if (run.problem() != null) {
      String note = what + ": " + run.problem();
      System.out.println("  NOTE " + note);
      notes.add(note);
    }
  }

  private PublishRun publishRaw(int messages) throws Exception {
    long slowBefore = slowConsumerEvents.get();
    try (CountingSubscriber sub = new CountingSubscriber(rawSubscriber, RAW_PUB, messages)) {
      byte[] body = payload.bytes();
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        rawRequester.publish(RAW_PUB, body);
      }
      long sent = System.nanoTime();
      return outcome(sub, messages, start, sent, slowBefore, null, 0, 0);
    }
  }

  /** Bus publishes through bridge 1; {@code window} 0 is unpaced. */
  private PublishRun publishBridged(int messages, int window) throws Exception {
    long slowBefore = slowConsumerEvents.get();
    double bridgeErrorsBefore = errors(registry1);
    try (CountingSubscriber sub = new CountingSubscriber(rawSubscriber, BRIDGE_PUB, messages);
         GaugePeak buffered = new GaugePeak(registry1.find(BridgeMetrics.BUFFERED).gauge())) {
      long[] times;
      try {
        times = driver.publishes(PUBLISH_ADDRESS, payload.busBody(), messages, config.batch(), window,
                handedOverToNats()).get(PUBLISH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("publishing on the event bus failed: " + e.getCause(), e.getCause());
      }
      return outcome(sub, messages, times[0], times[1], slowBefore, registry1, bridgeErrorsBefore, buffered.peak());
    }
  }

  /** How many messages bridge 1 has handed to jnats on the outbound mapping: its messages{direction=out} counter. */
  private LongSupplier handedOverToNats() {
    return new LongSupplier() {
      private Counter counter;

      @Override
      public long getAsLong() {
        if (counter == null) {
          counter = registry1.find(BridgeMetrics.MESSAGES).tag("direction", "out").tag("mapping", OUTBOUND_MAPPING)
              .counter();
        }
        return counter == null ? 0 : (long) counter.count();
      }
    };
  }

  private PublishRun outcome(CountingSubscriber sub, int messages, long start, long sent, long slowBefore,
                             MeterRegistry bridgeRegistry, double bridgeErrorsBefore, long bufferPeak)
      throws InterruptedException {
    CountingSubscriber.Outcome o = sub.await(STALL, PUBLISH_DEADLINE);
    if (o.complete()) {
      return new PublishRun(new Results.Throughput(messages, payload.size(), o.completedAt() - start, sent - start),
          null, bufferPeak);
    }
    StringBuilder why = new StringBuilder().append(o.received()).append(" of ").append(messages).append(" received");
    if (o.dropped() > 0) {
      why.append("; subscriber dropped ").append(o.dropped());
    }
    long slow = slowConsumerEvents.get() - slowBefore;
    if (slow > 0) {
      why.append("; ").append(slow).append(" slow-consumer event(s)");
    }
    if (bridgeRegistry != null && errors(bridgeRegistry) > bridgeErrorsBefore) {
      why.append("; bridge errors so far: ").append(errorBreakdown(bridgeRegistry));
    }
    return new PublishRun(null, why.toString(), bufferPeak);
  }

  private static double errors(MeterRegistry registry) {
    return registry.find(BridgeMetrics.ERRORS).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static String errorBreakdown(MeterRegistry registry) {
    return registry.find(BridgeMetrics.ERRORS).counters().stream()
        .map(c -> c.getId().getTag("reason") + "=" + (long) c.count()).collect(Collectors.joining(", "));
  }

  /**
   * Samples a gauge every millisecond on a thread of its own and keeps the highest value: here how far the
   * bridge's outbound overflow buffer filled (it fills while jnats' writer queue is above the bridge's
   * high-water mark).
   */
  private static final class GaugePeak implements AutoCloseable {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peak;

    GaugePeak(Gauge gauge) {
      sampler = new Thread(() -> {
        while (running && gauge != null) {
          peak = Math.max(peak, (long) gauge.value());
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-gauge-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    long peak() {
      return peak;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      sampler.join(1_000);
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /**
   * Between measured phases: a moment for the previous phase's stragglers (writers flushing, the server
   * delivering) to settle. No System.gc(): with G1 a full collection shrinks the heap, and the next phase
   * would pay for growing it again; garbage collected during a phase is part of that path's cost.
   */
  private static void quiesce() throws InterruptedException {
    Thread.sleep(250);
  }

  private static void phase(String format, Object... args) {
    System.out.printf(Locale.ROOT, "  ... " + format + "%n", args);
  }

  @Override
  public void close() {
    closers.close();
  }

  // ------------------------------------------------------------------------------------------------ output

  private void printHeader() {
    Runtime rt = Runtime.getRuntime();
    String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining(", "));
    System.out.println("agentnet NATS bridge benchmark");
    System.out.println("==============================");
    System.out.println("config      : " + config.describe());
    System.out.println("payload     : " + payload.size() + " B each way; "
        + (config.format() == BenchConfig.Format.BINARY
        ? "bridged bodies are Buffers (PayloadFormat.BINARY): the same bytes as raw, no JSON work on either side"
        : "bridged bodies are JsonObjects (PayloadFormat.JSON): the bridge encodes/decodes JSON, raw does not"));
    System.out.printf(Locale.ROOT, "JVM         : %s %s (%s), %d CPUs, max heap %d MB, GC %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version",
            System.getProperty("java.version")), System.getProperty("java.vm.vendor"), rt.availableProcessors(),
        rt.maxMemory() / (1024 * 1024), gcs);
    System.out.printf(Locale.ROOT, "nats-server : %s at %s (loopback); jnats %s; Vert.x %s%n", serverVersion,
        nats.url(), Nats.CLIENT_VERSION, vertxVersion());
    System.out.printf(Locale.ROOT, "load average: %s (1 min) before the run; other work on the machine skews the"
        + " figures%n", loadAtStart);
    System.out.println("paths       : raw = jnats A -> nats-server -> jnats B (Dispatcher) -> back;");
    System.out.println("              bridge = bus (Vert.x 1) -> bridge 1 -> nats-server -> bridge 2 -> bus handler"
        + " (Vert.x 2) -> back");
    System.out.println();
  }

  private void printResults(RequestReply rr, Publish publish) {
    Results.Latency raw = rr.raw();
    Results.Latency bridged = rr.bridged();
    double p50Ratio = bridged.micros(50) / raw.micros(50);
    double p99Ratio = bridged.micros(99) / raw.micros(99);
    double rpsRatio = bridged.perSecond() / raw.perSecond();
    double publishRatio = publish.target().median().perSecond() / publish.raw().median().perSecond();
    double unpacedRatio = publish.unpaced().median().perSecond() / publish.raw().median().perSecond();
    boolean p50Pass = p50Ratio <= P50_TARGET;
    boolean publishPass = publishRatio >= PUBLISH_TARGET;

    System.out.println();
    System.out.printf(Locale.ROOT, "Request/reply: %d sequential round trips per path in %d alternating round(s), %d B"
        + " each way (latencies in µs)%n", raw.count(), config.rounds(), payload.size());
    String head = "  %-12s %9s %9s %9s %9s %9s %9s %11s%n";
    String row = "  %-12s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %11.0f%n";
    System.out.printf(Locale.ROOT, head, "", "p50", "p90", "p99", "p99.9", "max", "mean", "req/s");
    latencyRow(row, "raw jnats", raw);
    latencyRow(row, "bridge", bridged);
    System.out.printf(Locale.ROOT, "  %-12s %8.2fx %8.2fx %8.2fx %9s %9s %8.2fx %10.2fx%n", "bridge/raw", p50Ratio,
        bridged.micros(90) / raw.micros(90), p99Ratio, "", "", bridged.meanMicros() / raw.meanMicros(), rpsRatio);
    System.out.printf(Locale.ROOT, "  target: p50 ratio <= %.2f  -> %.2f  %s%n", P50_TARGET, p50Ratio,
        p50Pass ? "PASS" : "FAIL");
    System.out.printf(Locale.ROOT, "  inside a bridged round trip (means from the bridges' own timers): bridge 1, NATS"
            + " request -> reply back on its context: %.1f µs; bridge 2, bus request -> handler's reply: %.1f µs%n",
        rr.bridge1().meanMicros(), rr.bridge2().meanMicros());

    System.out.println();
    int runs = publish.raw().runs().size();
    System.out.printf(Locale.ROOT, "Publish: %d messages of %d B per run, first publish -> last message received by a"
        + " raw subscriber;%n  %d alternating run(s) per path, figures of the median run (min and max: msgs/s of all"
        + " its runs)%n", publish.raw().median().messages(), payload.size(), runs);
    String phead = "  %-24s %10s %10s %10s %8s %11s %11s %11s%n";
    String prow = "  %-24s %10.0f %10.0f %10.0f %8.1f %11.1f %11.1f %11.2fx%n";
    System.out.printf(Locale.ROOT, phead, "", "msgs/s", "min", "max", "MB/s", "elapsed ms", "sending ms",
        "bridge/raw");
    throughputRow(prow, "raw jnats", publish.raw(), publish.raw());
    if (publish.paced() != null) {
      throughputRow(prow, "bridge, paced (W=" + config.window() + ")", publish.paced(), publish.raw());
    }
    throughputRow(prow, "bridge, unpaced", publish.unpaced(), publish.raw());
    System.out.println("  every run, msgs/s in the order run: raw " + perSecond(publish.raw())
        + (publish.paced() != null ? "; paced " + perSecond(publish.paced()) : "") + "; unpaced "
        + perSecond(publish.unpaced()));
    System.out.printf(Locale.ROOT, "  target: %s publish ratio >= %.2f  -> %.2f  %s%n",
        publish.paced() != null ? "paced" : "unpaced", PUBLISH_TARGET, publishRatio, publishPass ? "PASS" : "FAIL");
    System.out.print("""
          raw: jnats holds the publisher back while its 5000-message writer queue is full. paced: the bus publisher
          keeps at most W messages not yet handed to NATS by the bridge (like for like). unpaced: nothing holds the
          bus publisher back; the backlog queues on bridge 1's event loop and costs GC. "sending ms": until the
          publisher had handed its last message to jnats / to the event bus.
        """);
    System.out.printf(Locale.ROOT, "  bridge 1's outbound overflow buffer peaked at %s%d (unpaced) message(s) (sampled"
        + " every ms;%n  it fills only while jnats' writer queue is above the bridge's high-water mark)%n",
        publish.paced() != null ? publish.pacedBufferPeak() + " (paced) / " : "", publish.unpacedBufferPeak());
    for (String note : publish.notes()) {
      System.out.println("  note: " + note);
    }

    System.out.println();
    System.out.println("Ratios are bridge/raw within this one run; absolute figures depend on the machine and its"
        + " load.");
    System.out.printf(Locale.ROOT, "RESULT reqrep_raw_p50_us=%.1f reqrep_raw_p99_us=%.1f reqrep_raw_rps=%.0f"
            + " reqrep_bridge_p50_us=%.1f reqrep_bridge_p99_us=%.1f reqrep_bridge_rps=%.0f%n",
        raw.micros(50), raw.micros(99), raw.perSecond(), bridged.micros(50), bridged.micros(99), bridged.perSecond());
    System.out.printf(Locale.ROOT, "RESULT publish_raw_msgs_per_s=%.0f publish_bridge_msgs_per_s=%.0f"
            + " publish_bridge_unpaced_msgs_per_s=%.0f publish_unpaced_ratio=%.2f publish_messages=%d%n",
        publish.raw().median().perSecond(), publish.target().median().perSecond(),
        publish.unpaced().median().perSecond(), unpacedRatio, publish.raw().median().messages());
    System.out.printf(Locale.ROOT, "RESULT reqrep_p50_ratio=%.2f reqrep_p99_ratio=%.2f reqrep_rps_ratio=%.2f"
            + " publish_ratio=%.2f reqrep_p50_target=%s publish_target=%s%n", p50Ratio, p99Ratio, rpsRatio,
        publishRatio, p50Pass ? "PASS" : "FAIL", publishPass ? "PASS" : "FAIL");
  }

  private static void latencyRow(String format, String name, Results.Latency l) {
    System.out.printf(Locale.ROOT, format, name, l.micros(50), l.micros(90), l.micros(99), l.micros(99.9),
        l.maxMicros(), l.meanMicros(), l.perSecond());
  }

  private static String perSecond(Results.Series series) {
    return series.runs().stream().map(t -> String.format(Locale.ROOT, "%.0f", t.perSecond()))
        .collect(Collectors.joining(" "));
  }

  private static void throughputRow(String format, String name, Results.Series series, Results.Series raw) {
    Results.Throughput t = series.median();
    System.out.printf(Locale.ROOT, format, name, t.perSecond(), series.minPerSecond(), series.maxPerSecond(),
        t.payloadMegabytesPerSecond(), t.elapsedNanos() / 1e6, t.sendNanos() / 1e6,
        t.perSecond() / raw.median().perSecond());
  }

  /** The 1-minute load average (n/a where the platform has none). */
  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
  }

  private static String vertxVersion() {
    try (InputStream in = Vertx.class.getClassLoader().getResourceAsStream("META-INF/vertx/vertx-version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
