package io.agentnet.bench;

import io.agentnet.bench.browser.HeadlessChromium;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Nats;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The dashboard under a fleet's heartbeats, measured in a real browser: nats-server, the dashboard
 * jar as its own process, a heartbeat generator in this JVM (one beat per synthetic agent per second,
 * spread over the second) and headless chromium on {@code #/agents}. Two phases of {@code seconds}
 * each, after a warm-up that waits for the page to show every agent: a baseline of 5 agents, then
 * {@code agents} (500). For each it reads the page's own counters ({@code window.agentnetStats()}),
 * the DevTools performance counters of the page's main thread, and the delay of a 100 ms
 * {@code setInterval} probe (and long tasks, where the browser reports them); it prints the
 * figures side by side with the load/baseline ratio and a verdict.
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * cd test && java -cp target/agentnet-bench.jar io.agentnet.bench.DashboardBenchmark [agents=500] [seconds=30]
 * </pre>
 * Arguments are positional ({@code 500 20}) or named ({@code agents=500 seconds=20}). Needs
 * nats-server, /usr/bin/chromium and /usr/bin/chromedriver (see {@link HeadlessChromium}); the
 * machine's and each process's CPU come from /proc (Linux), to tell the page's own cost from other
 * work competing for the cores. {@value #WEBROOT_ENV}=<dir> serves the UI files of that directory
 * instead of the jar's, to measure a UI change without a rebuild. It stops by itself: whatever
 * happens, after {@link #hardLimit} everything it started is stopped and the JVM exits. Exit status
 * 0 when every verdict and check holds, 1 when one does not, 2 on a hard stop, 3 when it could not
 * run to the end.
 */
public final class DashboardBenchmark {

  static final int BASELINE_AGENTS = 5;
  /** Optional: a directory of UI files to serve instead of the jar's webroot (see {@link #overrideWebroot}). */
  static final String WEBROOT_ENV = "DASHBOARD_BENCH_WEBROOT";
  /** The probe's period, and the p99 lag under which the page counts as responsive. */
  static final int PROBE_MS = 100;
  static final double RESPONSIVE_P99_MS = 100;
  /** The page must apply at least this share of the heartbeats published to keep up. */
  static final double SUSTAINED_SHARE = 0.95;
  static final Duration WARMUP_DEADLINE = Duration.ofSeconds(90);
  /** After the rows are there: let the burst of inserting them pass before measuring. */
  static final Duration SETTLE = Duration.ofSeconds(3);

  /** Installs (or re-installs) the responsiveness probe: a 100 ms setInterval and a long-task observer. */
  private static final String PROBE_JS = """
      const period = arguments[0];
      const old = window.__dbenchProbe;
      if (old) { clearInterval(old.timer); if (old.observer) old.observer.disconnect(); }
      const p = { lags: [], longtasks: [], last: performance.now(), timer: 0, observer: null, longtaskSupported: false };
      p.timer = setInterval(() => {
        const now = performance.now();
        p.lags.push(Math.max(0, now - p.last - period));
        p.last = now;
      }, period);
      const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
      if (types.includes('longtask')) {
        p.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) p.longtasks.push(e.duration); });
        p.observer.observe({ type: 'longtask' });
        p.longtaskSupported = true;
      }
      window.__dbenchProbe = p;
      return true;
      """;

  /** Stops the probe and hands over what it saw. */
  private static final String PROBE_READ_JS = """
      const p = window.__dbenchProbe;
      if (!p) return null;
      clearInterval(p.timer);
      if (p.observer) { for (const e of p.observer.takeRecords()) p.longtasks.push(e.duration); p.observer.disconnect(); }
      window.__dbenchProbe = null;
      return { lags: p.lags, longtasks: p.longtasks, longtaskSupported: p.longtaskSupported };
      """;

  /** The page's counters and what the agents table shows. */
  private static final String SNAPSHOT_JS = """
      const prefix = arguments[0];
      const stats = typeof window.agentnetStats === 'function' ? window.agentnetStats() : null;
      const rows = document.querySelectorAll('#agents-table tr[data-agent-id]');
      let online = 0, bench = 0, benchOnline = 0;
      for (const r of rows) {
        const on = r.dataset.online === 'true';
        if (on) online++;
        if ((r.dataset.agentId || '').startsWith(prefix)) { bench++; if (on) benchOnline++; }
      }
      const conn = document.getElementById('connection');
      return { stats, now: performance.now(), rows: rows.length, online, bench, benchOnline,
        connection: conn ? (conn.dataset.state || '') : null };
      """;

  /**
   * Everything this run started. Main stops it in its finally block; the watchdog and a shutdown hook
   * too when it comes to that. Each is taken once, so a stop that hangs on one does not keep another
   * caller from stopping the rest.
   */
  private static final class Started {
    final AtomicReference<NatsServerProcess> nats = new AtomicReference<>();
    final AtomicReference<JarProcess> dashboard = new AtomicReference<>();
    final AtomicReference<Connection> nc = new AtomicReference<>();
    final AtomicReference<HeartbeatGenerator> generator = new AtomicReference<>();
    final AtomicReference<HeadlessChromium> browser = new AtomicReference<>();

    void stopAll() {
      stop("generator", generator, HeartbeatGenerator::close);
      stop("browser", browser, HeadlessChromium::close);
      stop("nats connection", nc, Connection::close);
      stop("dashboard", dashboard, JarProcess::close);
      stop("nats-server", nats, NatsServerProcess::close);
    }

    private static <T> void stop(String what, AtomicReference<T> ref, Closer<T> closer) {
      T it = ref.getAndSet(null);
      if (it == null) {
        return;
      }
      try {
        closer.close(it);
      } catch (Exception | Error e) {
        System.err.println("dashboard benchmark: stopping the " + what + " failed: " + e);
      }
    }
  }

  @FunctionalInterface
  private interface Closer<T> {
    void close(T it) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int agents = intArg(args, 0, "agents", 500);
    int seconds = intArg(args, 1, "seconds", 30);
    if (agents < BASELINE_AGENTS || seconds < 1) {
      throw new IllegalArgumentException("agents must be at least " + BASELINE_AGENTS + " and seconds at least 1");
    }
    if (!Files.isRegularFile(JarProcess.DASHBOARD)) {
      throw new IllegalStateException("no " + JarProcess.DASHBOARD.toAbsolutePath().normalize()
          + ": run from the test module after building (mvn -B -q -ntp install -DskipTests)");
    }
    if (!HeadlessChromium.available()) {
      throw new IllegalStateException("no chromium/chromedriver at " + HeadlessChromium.binary() + " and "
          + HeadlessChromium.driverBinary() + " (apt-get install chromium chromium-driver)");
    }
    Duration limit = hardLimit(seconds);
    long deadline = System.nanoTime() + limit.toNanos();
    Started started = new Started();
    Thread hook = new Thread(started::stopAll, "dashboard-benchmark-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(limit.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("dashboard benchmark: hard stop after " + limit.toSeconds() + " s; stopping everything");
      Thread stopper = new Thread(started::stopAll, "dashboard-benchmark-stopper");
      stopper.setDaemon(true);
      stopper.start();
      try {
        stopper.join(TimeUnit.SECONDS.toMillis(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // whatever did not stop in time: only this JVM's own child processes, each by its id
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
      System.exit(2);
    }, "dashboard-benchmark-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    int status;
    Path dir = Files.createTempDirectory("agentnet-dashboard-bench");
    try {
      status = run(started, dir, agents, seconds, deadline);
    } catch (Exception e) {
      System.err.println("dashboard benchmark: did not run to the end (logs in " + dir + ")");
      e.printStackTrace();
      status = 3;
    } finally {
      started.stopAll();
      watchdog.interrupt();
    }
    System.exit(status);
  }

  /** A few minutes whatever the phases' length: the warm-ups, both phases and the starts and stops, with room. */
  static Duration hardLimit(int seconds) {
    return Duration.ofSeconds(240 + 2L * seconds);
  }

  private static int run(Started s, Path dir, int agents, int seconds, long deadline) throws Exception {
    NatsServerProcess nats = NatsServerProcess.start();
    s.nats.set(nats);
    int port = freePort();
    Path webroot = overrideWebroot(dir);
    JarProcess dashboard = JarProcess.start("dashboard", JarProcess.DASHBOARD, dir, Map.of(
        "NATS_URL", nats.url(),
        "DASHBOARD_PORT", Integer.toString(port),
        "DASHBOARD_HOST", "127.0.0.1",
        "DASHBOARD_TOKEN", "bench",
        "AGENT_HEARTBEAT_INTERVAL", "1",
        "AGENT_ID", "dashboard-bench",
        "LOG_LEVEL", "INFO"));
    s.dashboard.set(dashboard);
    dashboard.awaitLog("is running", Duration.ofSeconds(90));

    Connection nc = Nats.connect(nats.url());
    s.nc.set(nc);
    HeartbeatGenerator generator = new HeartbeatGenerator(nc, deadline);
    s.generator.set(generator);
    generator.agents(BASELINE_AGENTS);
    generator.start();

    HeadlessChromium browser = HeadlessChromium.start(1400, 900);
    s.browser.set(browser);
    String url = "http://127.0.0.1:" + port + "/#/agents";
    browser.driver().get(url);
    browser.performanceMetrics(); // Performance.enable: the counters run from here on

    Phase baseline = measure(browser, generator, "baseline", BASELINE_AGENTS, seconds);
    Phase load = measure(browser, generator, "load", agents, seconds);
    List<String> consoleErrors = browser.consoleErrors();
    if (generator.failure() != null) {
      throw new IllegalStateException("the heartbeat generator failed", generator.failure());
    }
    return report(url, agents, seconds, baseline, load, consoleErrors, generator.lateTicks(), dashboard, webroot);
  }

  // ------------------------------------------------------------------------------------------------ one phase

  /** What one phase measured; rates per second of the page's (or the generator's) own clock. */
  record Phase(String name, int agents, double warmupSeconds, double wallSeconds,
      double published, double heartbeats, double batches, double renders,
      double busyPct, double cpuPct, double rendererCpuPct, double scriptPct, double layoutPct, double stylePct,
      double layoutsPerSec, double stylesPerSec, double heapMiB, double domNodes,
      long rows, long rowsOnline, long benchRows, long benchOnline, long statsAgents,
      int probeSamples, double probeP99, double probeMax, boolean longtaskSupported, int longtasks,
      double longtaskMs, double longtaskMax, Map<String, Double> cpu) {
  }

  private static Phase measure(HeadlessChromium browser, HeartbeatGenerator generator, String name, int agents,
      int seconds) throws Exception {
    long warmStart = System.nanoTime();
    generator.agents(agents);
    awaitRows(browser, generator, agents);
    Thread.sleep(SETTLE.toMillis());
    double warmup = (System.nanoTime() - warmStart) / 1e9;

    browser.script(PROBE_JS, PROBE_MS);
    long published0 = generator.published();
    Map<String, Long> cpu0 = ProcessCpu.sample();
    long t0 = System.nanoTime();
    Map<String, Double> perf0 = browser.performanceMetrics();
    Map<String, Object> page0 = snapshot(browser);

    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));

    Map<String, Object> page1 = snapshot(browser);
    Map<String, Double> perf1 = browser.performanceMetrics();
    long published1 = generator.published();
    long t1 = System.nanoTime();
    Map<String, Long> cpu1 = ProcessCpu.sample();
    Map<String, Object> probe = map(browser.script(PROBE_READ_JS));

    double pageWall = (num(page1, "now") - num(page0, "now")) / 1000.0;
    double cdpWall = perf1.getOrDefault("Timestamp", 0.0) - perf0.getOrDefault("Timestamp", 0.0);
    if (cdpWall <= 0) {
      cdpWall = (t1 - t0) / 1e9;
    }
    double genWall = (t1 - t0) / 1e9;
    Map<String, Object> stats0 = map(page0.get("stats"));
    Map<String, Object> stats1 = map(page1.get("stats"));
    double[] lags = doubles(probe == null ? null : probe.get("lags"));
    double[] longtasks = doubles(probe == null ? null : probe.get("longtasks"));
    Arrays.sort(lags);
    final double wall = cdpWall;
    ToDoubleFunction<String> pct = k -> 100.0 * (perf1.getOrDefault(k, 0.0) - perf0.getOrDefault(k, 0.0)) / wall;
    return new Phase(name, agents, warmup, pageWall,
        (published1 - published0) / genWall,
        (num(stats1, "heartbeats") - num(stats0, "heartbeats")) / pageWall,
        (num(stats1, "batches") - num(stats0, "batches")) / pageWall,
        (num(stats1, "renders") - num(stats0, "renders")) / pageWall,
        pct.applyAsDouble("TaskDuration"), pct.applyAsDouble("ThreadTime"), pct.applyAsDouble("ProcessTime"),
        pct.applyAsDouble("ScriptDuration"), pct.applyAsDouble("LayoutDuration"),
        pct.applyAsDouble("RecalcStyleDuration"),
        pct.applyAsDouble("LayoutCount") / 100.0, pct.applyAsDouble("RecalcStyleCount") / 100.0,
        perf1.getOrDefault("JSHeapUsedSize", 0.0) / (1024.0 * 1024.0), perf1.getOrDefault("Nodes", 0.0),
        (long) num(page1, "rows"), (long) num(page1, "online"), (long) num(page1, "bench"),
        (long) num(page1, "benchOnline"), (long) num(stats1, "agents"),
        lags.length, percentile(lags, 99), lags.length == 0 ? Double.NaN : lags[lags.length - 1],
        probe != null && Boolean.TRUE.equals(probe.get("longtaskSupported")), longtasks.length,
        Arrays.stream(longtasks).sum(), Arrays.stream(longtasks).max().orElse(0),
        ProcessCpu.percent(cpu0, cpu1, genWall));
  }

  /** Until the page shows every agent of the phase online and its counter moves, or the warm-up deadline. */
  private static void awaitRows(HeadlessChromium browser, HeartbeatGenerator generator, int agents) throws Exception {
    long end = System.nanoTime() + WARMUP_DEADLINE.toNanos();
    Map<String, Object> last = null;
    double firstHeartbeats = Double.NaN;
    while (System.nanoTime() < end) {
      if (generator.failure() != null) {
        throw new IllegalStateException("the heartbeat generator failed", generator.failure());
      }
      last = snapshot(browser);
      double heartbeats = num(map(last.get("stats")), "heartbeats");
      if (Double.isNaN(firstHeartbeats)) {
        firstHeartbeats = heartbeats;
      } else if (heartbeats > firstHeartbeats && num(last, "bench") >= agents && num(last, "benchOnline") >= agents) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the page did not show " + agents + " online agents within " + WARMUP_DEADLINE
        + "; last look: " + last + "; console errors: " + browser.consoleErrors());
  }

  private static Map<String, Object> snapshot(HeadlessChromium browser) {
    Map<String, Object> m = map(browser.script(SNAPSHOT_JS, HeartbeatGenerator.ID_PREFIX));
    return m == null ? Map.of() : m;
  }

  // ------------------------------------------------------------------------------------------------ the report

  private static int report(String url, int agents, int seconds, Phase a, Phase b, List<String> consoleErrors,
      long lateTicks, JarProcess dashboard, Path webroot) throws IOException {
    String nB = "load (" + agents + ")";
    String nA = "baseline (" + BASELINE_AGENTS + ")";
    System.out.printf(Locale.ROOT, "agentnet dashboard benchmark: %s in headless chromium 1400x900, the dashboard jar "
        + "over nats-server, each synthetic agent beating once a second (spread over the second), %d s measured per "
        + "phase after the page showed every agent (+%d s settle)%n", url, seconds, SETTLE.toSeconds());
    if (webroot != null) {
      System.out.println("UI files from " + webroot + " (" + WEBROOT_ENV + "), over the jar's own");
    }
    System.out.printf(Locale.ROOT, "%-44s %16s %16s %12s%n", "figure", nA, nB, "load/base");
    row("heartbeats published/s (generator)", a.published, b.published, "%.1f");
    row("heartbeats applied/s (page)", a.heartbeats, b.heartbeats, "%.1f");
    row("batches/s (page)", a.batches, b.batches, "%.2f");
    row("renders/s (page)", a.renders, b.renders, "%.2f");
    row("main thread busy % (TaskDuration/wall)", a.busyPct, b.busyPct, "%.1f");
    row("main thread CPU % (ThreadTime/wall)", a.cpuPct, b.cpuPct, "%.1f");
    row("renderer process CPU % (ProcessTime/wall)", a.rendererCpuPct, b.rendererCpuPct, "%.1f");
    row("script % (ScriptDuration/wall)", a.scriptPct, b.scriptPct, "%.1f");
    row("layout % (LayoutDuration/wall)", a.layoutPct, b.layoutPct, "%.1f");
    row("style % (RecalcStyleDuration/wall)", a.stylePct, b.stylePct, "%.1f");
    row("layouts/s (LayoutCount)", a.layoutsPerSec, b.layoutsPerSec, "%.1f");
    row("style recalcs/s (RecalcStyleCount)", a.stylesPerSec, b.stylesPerSec, "%.1f");
    row("JS heap used MiB (end)", a.heapMiB, b.heapMiB, "%.1f");
    row("DOM nodes (end)", a.domNodes, b.domNodes, "%.0f");
    row("rows shown (#agents-table tr[data-agent-id])", a.rows, b.rows, "%.0f");
    row("rows shown online (data-online=true)", a.rowsOnline, b.rowsOnline, "%.0f");
    row("agentnetStats().agents", a.statsAgents, b.statsAgents, "%.0f");
    row("probe lag p99 ms (100 ms setInterval)", a.probeP99, b.probeP99, "%.1f");
    row("probe lag max ms (100 ms setInterval)", a.probeMax, b.probeMax, "%.1f");
    if (a.longtaskSupported || b.longtaskSupported) {
      row("long tasks (>50 ms, PerformanceObserver) n", a.longtasks, b.longtasks, "%.0f");
      row("long tasks total ms", a.longtaskMs, b.longtaskMs, "%.0f");
      row("long task max ms", a.longtaskMax, b.longtaskMax, "%.0f");
    } else {
      System.out.println("long tasks: PerformanceObserver('longtask') not supported by this browser");
    }
    for (String group : b.cpu.keySet()) {
      row("CPU % of one core: " + group, a.cpu.getOrDefault(group, Double.NaN), b.cpu.get(group), "%.0f");
    }
    if (a.cpu.containsKey(ProcessCpu.MACHINE) && b.cpu.containsKey(ProcessCpu.MACHINE)) {
      row("CPU % of one core: the rest of the machine", others(a.cpu), others(b.cpu), "%.0f");
    }
    System.out.printf(Locale.ROOT, "%-44s %16s %16s%n", "warm-up s (until all rows online, + settle)",
        fmt("%.1f", a.warmupSeconds), fmt("%.1f", b.warmupSeconds));
    System.out.printf(Locale.ROOT, "%-44s %16s %16s%n", "probe samples / measured wall s",
        a.probeSamples + " / " + fmt("%.1f", a.wallSeconds), b.probeSamples + " / " + fmt("%.1f", b.wallSeconds));
    if (lateTicks > 0) {
      System.out.printf(Locale.ROOT, "note: the generator started %d of its 20 ms ticks more than a tick late%n",
          lateTicks);
    }

    double share = b.published > 0 ? b.heartbeats / b.published : 0;
    boolean sustained = share >= SUSTAINED_SHARE;
    boolean responsive = b.probeSamples > 0 && b.probeP99 < RESPONSIVE_P99_MS;
    boolean allRows = b.benchRows == agents && b.benchOnline == agents;
    boolean noErrors = consoleErrors.isEmpty();
    System.out.printf(Locale.ROOT, "verdict: %s: page applies %.1f heartbeats/s for %.1f published/s (%.1f%%, "
            + "needs >= %.0f%%); main thread busy %.1f%% (baseline %.1f%%), JS heap %.1f MiB (baseline %.1f MiB); "
            + "%s: probe p99 lag %.1f ms (threshold %.0f ms, max %.1f ms)%n",
        sustained ? "sustained" : "NOT sustained", b.heartbeats, b.published, share * 100, SUSTAINED_SHARE * 100,
        b.busyPct, a.busyPct, b.heapMiB, a.heapMiB, responsive ? "responsive" : "NOT responsive", b.probeP99,
        RESPONSIVE_P99_MS, b.probeMax);
    System.out.printf(Locale.ROOT, "check: %s: the page shows %d of %d benchmark agents, %d of them online (%d rows "
        + "in all)%n", allRows ? "ok" : "FAILED", b.benchRows, agents, b.benchOnline, b.rows);
    System.out.printf(Locale.ROOT, "check: %s: %d console errors%n", noErrors ? "ok" : "FAILED", consoleErrors.size());
    consoleErrors.stream().limit(10).forEach(e -> System.out.println("  console: " + e));
    List<String> dashboardProblems = new ArrayList<>();
    for (String line : dashboard.output().split("\n")) {
      if (line.contains(" WARN ") || line.contains(" ERROR ")) {
        dashboardProblems.add(line);
      }
    }
    if (!dashboardProblems.isEmpty()) {
      System.out.printf(Locale.ROOT, "dashboard log: %d WARN/ERROR lines (%s), first ones:%n", dashboardProblems.size(),
          dashboard.log().toAbsolutePath());
      dashboardProblems.stream().limit(5).forEach(l -> System.out.println("  " + l));
    }
    return sustained && responsive && allRows && noErrors ? 0 : 1;
  }

  /** The machine's busy time not spent by this run's processes: other work competing for the cores. */
  private static double others(Map<String, Double> cpu) {
    double mine = cpu.entrySet().stream().filter(e -> !e.getKey().equals(ProcessCpu.MACHINE))
        .mapToDouble(Map.Entry::getValue).sum();
    return Math.max(0, cpu.get(ProcessCpu.MACHINE) - mine);
  }

  private static void row(String label, double base, double load, String format) {
    String ratio = base == 0 || Double.isNaN(base) || Double.isNaN(load) ? "-" : fmt("%.2f", load / base) + "x";
    System.out.printf(Locale.ROOT, "%-44s %16s %16s %12s%n", label, fmt(format, base), fmt(format, load), ratio);
  }

  private static String fmt(String format, double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(sorted.length * p / 100.0) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  private static double num(Map<String, Object> m, String key) {
    return m != null && m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static double[] doubles(Object o) {
    if (!(o instanceof List<?> list)) {
      return new double[0];
    }
    return list.stream().filter(Number.class::isInstance).mapToDouble(x -> ((Number) x).doubleValue()).toArray();
  }

  /** Positional ({@code 500}) or named ({@code agents=500}). */
  static int intArg(String[] args, int position, String name, int fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return Integer.parseInt(a.substring(name.length() + 1));
      }
    }
    int positional = 0;
    for (String a : args) {
      if (!a.contains("=")) {
        if (positional == position) {
          return Integer.parseInt(a);
        }
        positional++;
      }
    }
    return fallback;
  }

  /**
   * With {@value #WEBROOT_ENV} set, its files go to the dashboard's working directory as {@code webroot/},
   * where Vert.x's static handler finds them before the jar's: a UI change measured without a rebuild.
   */
  private static Path overrideWebroot(Path workDir) throws IOException {
    String from = System.getenv(WEBROOT_ENV);
    if (from == null || from.isBlank()) {
      return null;
    }
    Path source = Path.of(from).toAbsolutePath().normalize();
    if (!Files.isRegularFile(source.resolve("index.html"))) {
      throw new IllegalArgumentException(WEBROOT_ENV + "=" + from + " has no index.html");
    }
    Path target = workDir.resolve("webroot");
    try (var files = Files.walk(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return source;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private DashboardBenchmark() {
  }
}
