package io.agentnet.mcp.proxmox.simulator;

import io.agentnet.bridge.config.Environment;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * How the Proxmox simulator runs: its port (0 picks a free one; it always binds 127.0.0.1), how
 * long tasks run, and the credentials it accepts. Credentials not given are generated at random.
 * A second, read-only token is accepted too: it may read everything and change nothing (403).
 * With {@link #controlApi(boolean)} it also serves its chaos hooks over HTTP (simulator only, see
 * {@link ProxmoxSimulator}), for tests that run the simulator in another process.
 */
public final class SimulatorOptions {

  private int port;
  private long taskDurationMs = 300;
  private boolean demoVms = true;
  private boolean controlApi;
  private String user = "root@pam";
  private String password = randomSecret();
  private String tokenName = "agentnet";
  private String tokenValue = UUID.randomUUID().toString();
  private String readOnlyTokenName = "readonly";
  private String readOnlyTokenValue = UUID.randomUUID().toString();

  /**
   * Options from the environment of a process that starts the simulator because no Proxmox is
   * configured: {@code PROXMOX_SIMULATOR_CONTROL} (true serves the control API; default false) and
   * {@code PROXMOX_SIMULATOR_PORT} (default 0, a free port), {@code PROXMOX_SIMULATOR_TASK_MS} (how long a
   * task runs, default 300).
   */
  public static SimulatorOptions fromEnv(Environment env) {
    return new SimulatorOptions()
        .controlApi(env.bool("PROXMOX_SIMULATOR_CONTROL", false))
        .port(env.integer("PROXMOX_SIMULATOR_PORT", 0))
        .taskDurationMs(env.integer("PROXMOX_SIMULATOR_TASK_MS", 300));
  }

  private static String randomSecret() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public int port() {
    return port;
  }

  public SimulatorOptions port(int port) {
    this.port = port;
    return this;
  }

  public long taskDurationMs() {
    return taskDurationMs;
  }

  public SimulatorOptions taskDurationMs(long taskDurationMs) {
    this.taskDurationMs = taskDurationMs;
    return this;
  }

  /** Whether to start with the demo VMs (see {@link SimulatedCluster#withDemoVms}); default true. */
  public boolean demoVms() {
    return demoVms;
  }

  public SimulatorOptions demoVms(boolean demoVms) {
    this.demoVms = demoVms;
    return this;
  }

  /**
   * Whether to serve {@code POST /simulator/control/{action}} (stop-vm, node-usage, node-online,
   * fail-next-task, guest-agent); default false, and then that path is 404.
   */
  public boolean controlApi() {
    return controlApi;
  }

  public SimulatorOptions controlApi(boolean controlApi) {
    this.controlApi = controlApi;
    return this;
  }

  public String user() {
    return user;
  }

  public SimulatorOptions user(String user) {
    this.user = user;
    return this;
  }

  public String password() {
    return password;
  }

  public SimulatorOptions password(String password) {
    this.password = password;
    return this;
  }

  public String tokenName() {
    return tokenName;
  }

  public SimulatorOptions tokenName(String tokenName) {
    this.tokenName = tokenName;
    return this;
  }

  public String tokenValue() {
    return tokenValue;
  }

  public SimulatorOptions tokenValue(String tokenValue) {
    this.tokenValue = tokenValue;
    return this;
  }

  public String readOnlyTokenName() {
    return readOnlyTokenName;
  }

  public SimulatorOptions readOnlyTokenName(String readOnlyTokenName) {
    this.readOnlyTokenName = readOnlyTokenName;
    return this;
  }

  public String readOnlyTokenValue() {
    return readOnlyTokenValue;
  }

  public SimulatorOptions readOnlyTokenValue(String readOnlyTokenValue) {
    this.readOnlyTokenValue = readOnlyTokenValue;
    return this;
  }

  @Override
  public String toString() {
    return "SimulatorOptions{port=" + port + ", taskDurationMs=" + taskDurationMs + ", controlApi=" + controlApi
        + ", user=" + user
        + ", tokenName=" + tokenName + ", readOnlyTokenName=" + readOnlyTokenName + ", secrets=*****}";
  }
}
