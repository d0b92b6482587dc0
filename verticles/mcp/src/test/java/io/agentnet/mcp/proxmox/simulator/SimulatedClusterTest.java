package io.agentnet.mcp.proxmox.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated cluster on a hand-moved clock, without Vert.x. */
class SimulatedClusterTest {

  private static final long MIB = 1024L * 1024;

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final SimulatedCluster cluster = SimulatedCluster.withDemoVms(now::get, 300);

  private SimulatedApiException apiError(Runnable call) {
    try {
      call.run();
    } catch (SimulatedApiException e) {
      return e;
    }
    throw new AssertionError("no API error");
  }

  @Test
  void tasksRunUntilTheirTimeIsUpThenApplyTheirEffect() {
    long before = cluster.memoryUsed("pve1");
    String upid = cluster.vmAction("pve1", 101, "start", "root@pam");
    assertThat(upid).matches("UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:101:root@pam:");
    assertThat(Long.parseLong(upid.split(":")[4], 16)).isEqualTo(now.get() / 1000);
    JsonObject running = cluster.taskStatus("pve1", upid);
    assertThat(running.getString("status")).isEqualTo("running");
    assertThat(running.containsKey("exitstatus")).isFalse();
    assertThat(cluster.vmStatus("pve1", 101).getString("status")).isEqualTo("stopped");

    now.addAndGet(299);
    assertThat(cluster.taskStatus("pve1", upid).getString("status")).isEqualTo("running");
    now.addAndGet(1);
    JsonObject done = cluster.taskStatus("pve1", upid);
    assertThat(done.getString("status")).isEqualTo("stopped");
    assertThat(done.getString("exitstatus")).isEqualTo("OK");
    assertThat(done.getString("type")).isEqualTo("qmstart");
    assertThat(done.getString("id")).isEqualTo("101");
    assertThat(cluster.isRunning(101)).isTrue();
    assertThat(cluster.memoryUsed("pve1") - before).isEqualTo(4096 * MIB);

    String stop = cluster.vmAction("pve1", 101, "stop", "root@pam");
    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve1", stop).getString("exitstatus")).isEqualTo("OK");
    assertThat(cluster.memoryUsed("pve1")).isEqualTo(before);
  }

  @Test
  void startingARunningVmFailsInTheTaskAsPveDoes() {
    String upid = cluster.vmAction("pve1", 100, "start", "root@pam");
    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve1", upid).getString("exitstatus")).isEqualTo("VM 100 already running");
  }

  @Test
  void theNextTaskOfAKindCanBeMadeToFailWithoutItsEffect() {
    cluster.failNextTask("qmcreate", "unable to create VM 103 - lvcreate failed");
    String upid = cluster.createVm("pve2", Map.of("vmid", "103", "name", "x"), "root@pam");
    assertThat(cluster.exists(103)).as("reserved while the task runs").isTrue();
    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve2", upid).getString("exitstatus")).isEqualTo("unable to create VM 103 - lvcreate failed");
    assertThat(cluster.exists(103)).isFalse();
    String second = cluster.createVm("pve2", Map.of("vmid", "103", "name", "x"), "root@pam");
    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve2", second).getString("exitstatus")).isEqualTo("OK");
    assertThat(cluster.exists(103)).isTrue();
  }

  @Test
  void nextIdIsAStringAndMovesWithCreateCloneAndDelete() {
    assertThat(cluster.nextId(null)).isEqualTo("103");
    cluster.createVm("pve1", Map.of("vmid", "103"), "root@pam");
    assertThat(cluster.nextId(null)).isEqualTo("104");
    cluster.cloneVm("pve1", 9000, Map.of("newid", "104", "target", "pve3"), "root@pam");
    now.addAndGet(300);
    assertThat(cluster.nextId(null)).isEqualTo("105");
    assertThat(cluster.vms("pve3")).extracting(v -> ((JsonObject) v).getLong("vmid")).containsExactly(104L);
    assertThat(cluster.vmConfig("pve3", 104).getString("scsi0")).startsWith("local-lvm:vm-104-disk-0");
    cluster.deleteVm("pve3", 104, "root@pam");
    now.addAndGet(300);
    assertThat(cluster.nextId(null)).isEqualTo("104");
    assertThat(cluster.nextId("500")).isEqualTo("500");
    SimulatedApiException taken = apiError(() -> cluster.nextId("100"));
    assertThat(taken.status()).isEqualTo(400);
    assertThat(taken.errors()).containsEntry("vmid", "VM 100 already exists");
  }

  @Test
  void badParametersAre400WithAnErrorsMap() {
    SimulatedApiException e = apiError(() -> cluster.createVm("pve1", Map.of("memory", "x", "color", "red"), "u"));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("Parameter verification failed.");
    assertThat(e.errors()).containsOnlyKeys("vmid", "memory", "color");
    assertThat(apiError(() -> cluster.clusterResources("vms")).errors()).containsKey("type");
    assertThat(apiError(() -> cluster.taskStatus("pve1", "UPID:nonsense")).status()).isEqualTo(400);
  }

  @Test
  void missingVmsAndRefusedActionsAre500WithPvesMessage() {
    SimulatedApiException missing = apiError(() -> cluster.vmStatus("pve1", 999));
    assertThat(missing.status()).isEqualTo(500);
    assertThat(missing.getMessage()).isEqualTo("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
    assertThat(apiError(() -> cluster.vmStatus("pve2", 100)).getMessage()).contains("nodes/pve2/qemu-server/100.conf");
    assertThat(apiError(() -> cluster.deleteVm("pve1", 100, "u")).getMessage()).isEqualTo("VM 100 is running - destroy failed");
    assertThat(apiError(() -> cluster.vmAction("pve1", 101, "shutdown", "u")).getMessage()).isEqualTo("VM 101 not running");
    assertThat(apiError(() -> cluster.vmAction("pve1", 9000, "start", "u")).getMessage()).contains("template");
  }

  @Test
  void guestAgentExecNeedsARunningVmWithARunningAgent() {
    assertThat(apiError(() -> cluster.agentExec("pve1", 101, List.of("uptime"), null)).getMessage())
        .isEqualTo("VM 101 is not running");
    SimulatedApiException agentDown = apiError(() -> cluster.agentExec("pve2", 102, List.of("uptime"), null));
    assertThat(agentDown.status()).isEqualTo(500);
    assertThat(agentDown.getMessage()).isEqualTo("QEMU guest agent is not running");

    cluster.setGuestAgentRunning(102, true);
    long pid = cluster.agentExec("pve2", 102, List.of("hostname"), null).getLong("pid");
    assertThat(cluster.agentExecStatus("pve2", 102, pid).getInteger("exited")).isZero();
    now.addAndGet(100);
    JsonObject status = cluster.agentExecStatus("pve2", 102, pid);
    assertThat(status.getInteger("exited")).isEqualTo(1);
    assertThat(status.getInteger("exitcode")).isZero();
    assertThat(status.getString("out-data")).isEqualTo("build-01\n");
    assertThat(apiError(() -> cluster.agentExecStatus("pve2", 102, pid)).getMessage()).as("forgotten once reported")
        .contains("Invalid parameter 'pid'");

    long cat = cluster.agentExec("pve2", 102, List.of("cat"), "piped").getLong("pid");
    now.addAndGet(100);
    assertThat(cluster.agentExecStatus("pve2", 102, cat).getString("out-data")).isEqualTo("piped");
    assertThat(apiError(() -> cluster.agentExec("pve2", 102, List.of("nope"), null)).getMessage())
        .contains("Failed to execute child process");
  }

  @Test
  void chaosHooksChangeWhatTheApiReports() {
    cluster.stopVmUnexpectedly(100);
    assertThat(cluster.vmStatus("pve1", 100).getString("status")).isEqualTo("stopped");

    cluster.setNodeUsage("pve2", 0.95, 30L * 1024 * MIB);
    JsonObject pve2 = cluster.nodeStatus("pve2");
    assertThat(pve2.getDouble("cpu")).isGreaterThanOrEqualTo(0.95);
    assertThat(pve2.getJsonObject("memory").getLong("used")).isEqualTo(30L * 1024 * MIB);

    cluster.setNodeOnline("pve3", false);
    JsonArray nodes = cluster.nodes();
    assertThat(nodes.getJsonObject(2).getString("status")).isEqualTo("offline");
    assertThat(nodes.getJsonObject(2).containsKey("mem")).isFalse();
    SimulatedApiException offline = apiError(() -> cluster.storage("pve3"));
    assertThat(offline.status()).isEqualTo(595);
    JsonArray status = cluster.clusterStatus();
    assertThat(status.getJsonObject(0).getInteger("quorate")).isEqualTo(1);
    assertThat(status.getJsonObject(3).getInteger("online")).isZero();
    cluster.setNodeOnline("pve2", false);
    assertThat(cluster.clusterStatus().getJsonObject(0).getInteger("quorate")).isZero();
  }

  @Test
  void listingsUsePvesShapes() {
    JsonObject vm = cluster.vms("pve1").getJsonObject(0);
    assertThat(vm.fieldNames()).contains("vmid", "name", "status", "cpu", "cpus", "mem", "maxmem", "maxdisk", "uptime");
    assertThat(vm.getValue("vmid")).isInstanceOf(Number.class);
    JsonArray resources = cluster.clusterResources(null);
    assertThat(resources).extracting(r -> ((JsonObject) r).getString("type")).contains("node", "qemu", "storage");
    assertThat(resources).extracting(r -> ((JsonObject) r).getString("id")).contains("node/pve1", "qemu/100", "storage/pve1/local");
    JsonObject storage = cluster.storage("pve1").getJsonObject(1);
    assertThat(storage.getInteger("active")).isEqualTo(1);
    assertThat(storage.getLong("used")).isEqualTo(4L * 1024 * MIB + 3 * 32L * 1024 * MIB);
    assertThatThrownBy(() -> cluster.setNodeUsage("pve9", 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void migrationMovesTheVmAndItsMemoryWhenTheTaskStops() {
    long pve1Before = cluster.memoryUsed("pve1");
    long pve3Before = cluster.memoryUsed("pve3");
    String upid = cluster.migrateVm("pve1", 100, Map.of("target", "pve3", "online", "1"), "root@pam");
    assertThat(upid).matches("UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmigrate:100:root@pam:");
    assertThat(cluster.vmStatus("pve1", 100).getString("lock")).as("locked while it moves").isEqualTo("migrate");
    assertThat(cluster.memoryUsed("pve3")).isEqualTo(pve3Before);

    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve1", upid).getString("exitstatus")).isEqualTo("OK");
    JsonObject moved = cluster.vmStatus("pve3", 100);
    assertThat(moved.getString("status")).as("an online migration keeps it running").isEqualTo("running");
    assertThat(moved.containsKey("lock")).isFalse();
    assertThat(apiError(() -> cluster.vmStatus("pve1", 100)).getMessage()).contains("nodes/pve1/qemu-server/100.conf");
    assertThat(pve1Before - cluster.memoryUsed("pve1")).isEqualTo(2048 * MIB);
    assertThat(cluster.memoryUsed("pve3") - pve3Before).isEqualTo(2048 * MIB);
    assertThat(cluster.clusterResources("vm")).filteredOn(r -> ((JsonObject) r).getLong("vmid") == 100)
        .extracting(r -> ((JsonObject) r).getString("node")).containsExactly("pve3");

    // A stopped VM migrates offline and stays stopped.
    String offline = cluster.migrateVm("pve1", 101, Map.of("target", "pve2"), "root@pam");
    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve1", offline).getString("exitstatus")).isEqualTo("OK");
    assertThat(cluster.vmStatus("pve2", 101).getString("status")).isEqualTo("stopped");
  }

  @Test
  void migrationIsRefusedAsPveRefusesIt() {
    SimulatedApiException running = apiError(() -> cluster.migrateVm("pve1", 100, Map.of("target", "pve2"), "u"));
    assertThat(running.status()).isEqualTo(500);
    assertThat(running.getMessage()).isEqualTo("VM 100 is running - use online migration (online=1)");

    SimulatedApiException local = apiError(() -> cluster.migrateVm("pve1", 100, Map.of("target", "pve1", "online", "1"), "u"));
    assertThat(local.status()).isEqualTo(400);
    assertThat(local.errors()).containsEntry("target", "target is local node.");
    SimulatedApiException noTarget = apiError(() -> cluster.migrateVm("pve1", 100, Map.of("online", "1", "speed", "9"), "u"));
    assertThat(noTarget.errors()).containsEntry("target", "property is missing and it is not optional").containsKey("speed");

    SimulatedApiException unknown = apiError(() -> cluster.migrateVm("pve1", 100, Map.of("target", "pve9", "online", "1"), "u"));
    assertThat(unknown.status()).isEqualTo(500);
    assertThat(unknown.getMessage()).isEqualTo("no such cluster node 'pve9'");

    cluster.setNodeOnline("pve3", false);
    SimulatedApiException offline = apiError(() -> cluster.migrateVm("pve1", 100, Map.of("target", "pve3", "online", "1"), "u"));
    assertThat(offline.status()).isEqualTo(500);
    assertThat(offline.getMessage()).isEqualTo("target node 'pve3' is offline - migration not possible");

    cluster.migrateVm("pve1", 100, Map.of("target", "pve2", "online", "1"), "u");
    assertThat(apiError(() -> cluster.migrateVm("pve1", 100, Map.of("target", "pve2", "online", "1"), "u")).getMessage())
        .isEqualTo("VM 100 is locked (migrate)");
    assertThat(cluster.isRunning(100)).as("refusals change nothing").isTrue();
  }

  @Test
  void aFailedMigrationLeavesTheVmWhereItWas() {
    cluster.failNextTask("qmigrate", "migration aborted: network unreachable");
    String upid = cluster.migrateVm("pve1", 100, Map.of("target", "pve2", "online", "1"), "u");
    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve1", upid).getString("exitstatus")).isEqualTo("migration aborted: network unreachable");
    JsonObject status = cluster.vmStatus("pve1", 100);
    assertThat(status.containsKey("lock")).isFalse();

    // The target going away while the VM moves aborts the move too.
    String second = cluster.migrateVm("pve1", 100, Map.of("target", "pve2", "online", "1"), "u");
    cluster.setNodeOnline("pve2", false);
    now.addAndGet(300);
    assertThat(cluster.taskStatus("pve1", second).getString("exitstatus")).contains("target node 'pve2' went offline");
    assertThat(cluster.vmStatus("pve1", 100).getString("status")).isEqualTo("running");
    assertThatThrownBy(() -> cluster.failNextTask("qmfly", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("qmigrate");
  }
}
