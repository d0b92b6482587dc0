package io.agentnet.mcp.proxmox.client;

import io.agentnet.mcp.proxmox.simulator.ProxmoxSimulator;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST client against the simulator over real HTTPS: auth, errors, TLS trust, polling. */
class ProxmoxClientTest {

  private Vertx vertx;
  private ProxmoxSimulator simulator;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    simulator = ProxmoxSimulator.start(vertx, new SimulatorOptions().taskDurationMs(150))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(15, TimeUnit.SECONDS);
  }

  private static ProxmoxException failure(CompletableFuture<?> future) {
    try {
      future.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ProxmoxException.class);
      return (ProxmoxException) e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the call did not finish", e);
    }
    throw new AssertionError("the call succeeded but should have failed");
  }

  @Test
  void tokenAuthReadsNodesFromTheDataEnvelope() throws Exception {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions());
    JsonArray nodes = await(client.getArray("/nodes", null));
    assertThat(nodes).hasSize(3);
    assertThat(nodes.getJsonObject(0).getString("node")).isEqualTo("pve1");
    assertThat(nodes.getJsonObject(0).getString("status")).isEqualTo("online");
    assertThat(await(client.get("/cluster/nextid", null))).isEqualTo("103");
  }

  @Test
  void ticketAuthLogsInAndSendsTheCsrfTokenOnWrites() throws Exception {
    ProxmoxOptions options = simulator.clientOptions().tokenName(null).tokenValue(null).password(simulator.password());
    ProxmoxClient client = new ProxmoxClient(options);
    assertThat(await(client.getObject("/nodes/pve1/qemu/101/status/current", null)).getString("status")).isEqualTo("stopped");
    String upid = (String) await(client.post(ProxmoxClient.path("nodes", "pve1", "qemu", 101, "status", "start"), Map.of()));
    assertThat(upid).startsWith("UPID:pve1:").contains(":qmstart:101:root@pam:");
    JsonObject done = await(client.waitForTask("pve1", upid, Duration.ofSeconds(10), null));
    assertThat(done.getString("exitstatus")).isEqualTo("OK");
    assertThat(simulator.cluster().isRunning(101)).isTrue();
  }

  @Test
  void ticketAuthLogsInAgainWhenTheTicketIsNoLongerValid() throws Exception {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().tokenName(null).tokenValue(null)
        .password(simulator.password()));
    await(client.getArray("/nodes", null));
    simulator.expireTickets();
    assertThat(await(client.getArray("/nodes", null))).hasSize(3);
  }

  @Test
  void ticketIsRenewedBeforeItsTwoHoursAreUp() throws Exception {
    MutableClock clock = new MutableClock();
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().tokenName(null).tokenValue(null)
        .password(simulator.password()), clock);
    List<CompletableFuture<JsonArray>> concurrent = List.of(client.getArray("/nodes", null), client.getArray("/nodes", null),
        client.getArray("/nodes", null));
    for (CompletableFuture<JsonArray> call : concurrent) {
      assertThat(await(call)).hasSize(3);
    }
    assertThat(simulator.ticketsIssued()).as("one login shared by concurrent calls").isEqualTo(1);
    clock.now = clock.now.plus(Duration.ofMinutes(90));
    await(client.getArray("/nodes", null));
    assertThat(simulator.ticketsIssued()).isEqualTo(1);
    clock.now = clock.now.plus(Duration.ofMinutes(15));
    await(client.getArray("/nodes", null));
    assertThat(simulator.ticketsIssued()).as("renewed after 105 minutes").isEqualTo(2);
  }

  @Test
  void migrateReturnsATaskAndRefusesTheLocalNodeWithAnErrorsMap() throws Exception {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions());
    String upid = (String) await(client.post(ProxmoxClient.path("nodes", "pve1", "qemu", 100, "migrate"),
        Map.of("target", "pve2", "online", true)));
    assertThat(upid).startsWith("UPID:pve1:").contains(":qmigrate:100:");
    assertThat(await(client.waitForTask("pve1", upid, Duration.ofSeconds(10), null)).getString("exitstatus")).isEqualTo("OK");
    assertThat(await(client.getObject("/nodes/pve2/qemu/100/status/current", null)).getString("status")).isEqualTo("running");

    ProxmoxException local = failure(client.post(ProxmoxClient.path("nodes", "pve2", "qemu", 100, "migrate"),
        Map.of("target", "pve2", "online", 1)));
    assertThat(local.status()).isEqualTo(400);
    assertThat(local.errors()).containsEntry("target", "target is local node.");
    assertThat(local.getMessage()).contains("target: target is local node.");

    ProxmoxException offlineRunning = failure(client.post(ProxmoxClient.path("nodes", "pve2", "qemu", 100, "migrate"),
        Map.of("target", "pve1")));
    assertThat(offlineRunning.status()).isEqualTo(500);
    assertThat(offlineRunning.getMessage()).contains("VM 100 is running - use online migration");

    ProxmoxClient readOnly = new ProxmoxClient(simulator.clientOptions().tokenName(simulator.readOnlyTokenName())
        .tokenValue(simulator.readOnlyTokenValue()));
    ProxmoxException denied = failure(readOnly.post(ProxmoxClient.path("nodes", "pve2", "qemu", 100, "migrate"),
        Map.of("target", "pve1", "online", 1)));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.getMessage()).contains("VM.Migrate").contains("/vms/100");
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends java.time.Clock {
    volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void wrongPasswordIsAnAuthenticationErrorWithoutThePassword() {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().tokenName(null).tokenValue(null)
        .password("not-the-password-42"));
    ProxmoxException e = failure(client.getArray("/nodes", null));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.getMessage()).contains("PROXMOX_PASSWORD").doesNotContain("not-the-password-42");
  }

  @Test
  void wrongTokenIsA401ThatNamesWhatToCheckButNotTheSecret() {
    String secret = "11111111-2222-3333-4444-555555555555";
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().tokenValue(secret));
    ProxmoxException e = failure(client.getArray("/nodes", null));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.getMessage()).contains("authentication failed").contains("PROXMOX_TOKEN_VALUE")
        .doesNotContain(secret).doesNotContain(simulator.tokenValue());
  }

  @Test
  void readOnlyTokenGets403NamingThePermissionPath() throws Exception {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions()
        .tokenName(simulator.readOnlyTokenName()).tokenValue(simulator.readOnlyTokenValue()));
    assertThat(await(client.getArray("/nodes", null))).hasSize(3);
    ProxmoxException e = failure(client.post("/nodes/pve1/qemu/101/status/start", Map.of()));
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.permissionPath()).isEqualTo("/vms/101");
    assertThat(e.getMessage()).contains("Permission check failed (/vms/101, VM.PowerMgmt)").contains("grant VM.PowerMgmt on /vms/101");
    assertThat(simulator.cluster().isRunning(101)).isFalse();
  }

  @Test
  void badParametersGiveTheErrorsMap() {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions());
    ProxmoxException e = failure(client.post("/nodes/pve1/qemu", Map.of("vmid", "abc", "memory", "lots")));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errors()).containsOnlyKeys("vmid", "memory");
    assertThat(e.errors().get("vmid")).contains("valid VM ID");
    assertThat(e.getMessage()).contains("Parameter verification failed.").contains("memory: type check");
  }

  @Test
  void serverErrorsCarryPvesMessage() {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions());
    ProxmoxException notRunning = failure(client.post("/nodes/pve1/qemu/101/status/shutdown", Map.of()));
    assertThat(notRunning.status()).isEqualTo(500);
    assertThat(notRunning.pveMessage()).isEqualTo("VM 101 not running");
    ProxmoxException missing = failure(client.getObject("/nodes/pve1/qemu/999/config", null));
    assertThat(missing.getMessage()).contains("(500)").contains("999.conf' does not exist");
  }

  @Test
  void guestAgentExecPollsUntilTheCommandExits() throws Exception {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions());
    List<Duration> polls = new java.util.concurrent.CopyOnWriteArrayList<>();
    JsonObject status = await(client.execInGuest("pve1", 100, List.of("echo", "hello", "world"), null,
        Duration.ofSeconds(10), (elapsed, s) -> polls.add(elapsed)));
    assertThat(ProxmoxJson.bool(status.getValue("exited"))).isTrue();
    assertThat(status.getInteger("exitcode")).isZero();
    assertThat(status.getString("out-data")).isEqualTo("hello world\n");
    assertThat(polls).isNotEmpty();
  }

  @Test
  void waitForTaskTimesOut() throws Exception {
    // a task that cannot finish while the client waits: with a short one, a slow poll could see it done
    ProxmoxSimulator slow = ProxmoxSimulator.start(vertx, new SimulatorOptions().taskDurationMs(60_000))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    ProxmoxClient client = new ProxmoxClient(slow.clientOptions());
    CompletableFuture<JsonObject> waiting = client.post("/nodes/pve1/qemu/101/status/start", Map.of())
        .thenCompose(upid -> client.waitForTask("pve1", (String) upid, Duration.ofMillis(10), null));
    assertThatThrownBy(() -> waiting.get(15, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("still running");
  }

  // ---- TLS ------------------------------------------------------------------------------------

  @Test
  void defaultVerificationRefusesTheSelfSignedCertificate() {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().fingerprint(null));
    ProxmoxException e = failure(client.getArray("/nodes", null));
    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).contains("not trusted").contains("PROXMOX_FINGERPRINT");
  }

  @Test
  void wrongPinnedFingerprintIsRefused() {
    String other = "AB:".repeat(31) + "AB";
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().fingerprint(other));
    ProxmoxException e = failure(client.getArray("/nodes", null));
    assertThat(e.getMessage()).contains("does not match the pinned fingerprint").contains(simulator.fingerprint());
  }

  @Test
  void pinnedFingerprintInAnyCaseAndWithoutColonsIsAccepted() throws Exception {
    String plain = simulator.fingerprint().replace(":", "").toLowerCase();
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().fingerprint(plain));
    assertThat(await(client.getArray("/nodes", null))).hasSize(3);
  }

  @Test
  void verifyTlsFalseAcceptsAnyCertificate() throws Exception {
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().fingerprint(null).verifyTls(false));
    assertThat(await(client.getArray("/nodes", null))).hasSize(3);
  }

  @Test
  void caFileIsTrusted(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("pve-ca.pem");
    Files.writeString(ca, simulator.certificatePem());
    ProxmoxClient client = new ProxmoxClient(simulator.clientOptions().fingerprint(null).caFile(ca.toString()));
    assertThat(await(client.getArray("/nodes", null))).hasSize(3);
  }

  @Test
  void unreachableServerIsAClearError() {
    ProxmoxClient client = new ProxmoxClient(new ProxmoxOptions().host("127.0.0.1").port(1).tokenName("t")
        .tokenValue("v").connectTimeout(Duration.ofSeconds(2)));
    ProxmoxException e = failure(client.getArray("/nodes", null));
    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).contains("127.0.0.1:1");
  }
}
