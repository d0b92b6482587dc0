package io.agentnet.bench;

import io.agentnet.dashboard.DashboardVerticle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agentnet fat jar running as its own JVM, as an operator starts it; its output goes to
 * {@code <name>.log} in the working directory, which tests read to wait for it and which stays
 * behind as an artifact when a test fails.
 */
public final class JarProcess implements AutoCloseable {

  /** The jars, relative to the test module, where Maven runs the tests and the benchmarks start. */
  public static final Path ALL = Path.of("..", "verticles", "all", "target", "agentnet-all.jar");
  public static final Path AGENTS = Path.of("..", "verticles", "agents", "target", "agentnet-agents.jar");
  public static final Path MCP = Path.of("..", "verticles", "mcp", "target", "agentnet-mcp.jar");
  public static final Path DASHBOARD = Path.of("..", "verticles", "dashboard", "target", "agentnet-dashboard.jar");

  private final String name;
  private final Path log;
  private final Process process;

  private JarProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  public static JarProcess start(String name, Path jar, Path workDir, Map<String, String> env, String... args)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": build the jars first (mvn -B -ntp package -DskipTests)");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // Only what the caller passes configures the child: a developer's own NATS_URL, DASHBOARD_TOKEN or
    // PROXMOX_HOST must not change what a test or benchmark runs against.
    pb.environment().keySet().removeIf(JarProcess::configuresAgentnet);
    pb.environment().putAll(Map.of("MCP_FILESYSTEM_PORT", "0", "MCP_PROXMOX_PORT", "0", "MCP_CLOUD_PORT", "0",
        "WORKSPACE_DIR", workDir.resolve("workspace").toString()));
    pb.environment().putAll(env);
    return new JarProcess(name, log, pb.start());
  }

  private static final List<String> CONFIG_PREFIXES = List.of("NATS_", "MCP_", "PROXMOX_", "DASHBOARD_", "AGENT_",
      "AGENTNET_", "CLOUD_", "LEADER_", "SPECIALIST_", "AWS_", "KUBE");
  private static final List<String> CONFIG_NAMES = List.of("METRICS_INTERVAL", "WORKSPACE_DIR", "LOG_LEVEL");

  private static boolean configuresAgentnet(String variable) {
    return CONFIG_PREFIXES.stream().anyMatch(variable::startsWith) || CONFIG_NAMES.contains(variable);
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The port in the "dashboard: open http://host:port/" line: started with DASHBOARD_PORT=0, it is the one bound. */
  public int dashboardPort(Duration deadline) throws Exception {
    awaitLog(DashboardVerticle.OPEN, deadline);
    String output = output();
    return DashboardVerticle.announcedPort(output)
        .orElseThrow(() -> new AssertionError(name + " logged no dashboard URL:\n" + output));
  }

  public void awaitLog(String text, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited (" + process.exitValue() + ") before logging \"" + text + "\":\n"
            + output());
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no \"" + text + "\" from " + name + " within " + deadline + ":\n" + output());
      }
      Thread.sleep(25);
    }
  }

  /** SIGKILL: the process gets no chance to hand anything back. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, then waits for the orderly exit. */
  public boolean stop(Duration deadline) throws InterruptedException {
    process.destroy();
    return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
