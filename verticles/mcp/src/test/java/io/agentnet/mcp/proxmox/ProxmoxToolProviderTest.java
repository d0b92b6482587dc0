package io.agentnet.mcp.proxmox;

import io.agentnet.mcp.proxmox.client.ProxmoxClient;
import io.agentnet.mcp.proxmox.client.VmidRanges;
import io.agentnet.mcp.proxmox.simulator.ProxmoxSimulator;
import io.agentnet.mcp.proxmox.simulator.SimulatedCluster;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.agentnet.runtime.mcp.Tool;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every proxmox tool against the simulator over HTTPS, with the state changes it causes. */
class ProxmoxToolProviderTest {

  private static final long MIB = 1024L * 1024;

  private Vertx vertx;
  private ProxmoxSimulator simulator;
  private SimulatedCluster cluster;
  private ToolHarness tools;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    simulator = ProxmoxSimulator.start(vertx, new SimulatorOptions().taskDurationMs(200))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    cluster = simulator.cluster();
    tools = new ToolHarness(vertx, new ProxmoxToolProvider(simulator.clientOptions()));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject args(Object... pairs) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      json.put((String) pairs[i], pairs[i + 1]);
    }
    return json;
  }

  private JsonObject waitFor(JsonObject action) throws Exception {
    return tools.ok("wait_for_task", args("upid", action.getString("upid"), "timeout_seconds", 10));
  }

  @Test
  void offersTheToolsWithSchemasAndHints() {
    ProxmoxToolProvider provider = new ProxmoxToolProvider(simulator.clientOptions());
    assertThat(provider.serverName()).isEqualTo("proxmox");
    assertThat(provider.tools()).extracting(Tool::name).containsExactly("list_nodes", "get_node_status", "list_vms",
        "get_vm_status", "get_vm_config", "start_vm", "stop_vm", "shutdown_vm", "reboot_vm", "create_vm", "clone_vm",
        "delete_vm", "migrate_vm", "list_storage", "get_cluster_status", "get_cluster_resources", "next_vmid", "get_task_status",
        "wait_for_task", "execute_vm_command");
    for (Tool tool : provider.tools()) {
      assertThat(tool.handler()).as("%s is async", tool.name()).isNotNull();
      assertThat(tool.outputSchema()).as("%s has an output schema", tool.name()).isNotNull();
      boolean destructive = Boolean.TRUE.equals(tool.annotations().destructiveHint());
      JsonArray required = tool.inputSchema().getJsonArray("required", new JsonArray());
      assertThat(required.contains("confirm")).as("%s needs confirm exactly when destructive", tool.name())
          .isEqualTo(destructive);
    }
    assertThat(provider.tools().stream().filter(t -> Boolean.TRUE.equals(t.annotations().destructiveHint()))
        .map(Tool::name)).containsExactlyInAnyOrder("stop_vm", "shutdown_vm", "reboot_vm", "delete_vm", "execute_vm_command");
  }

  @Test
  void readsNodesVmsStorageAndClusterState() throws Exception {
    assertThat(tools.ok("list_nodes", args()).getJsonArray("nodes")).hasSize(3);
    JsonObject node = tools.ok("get_node_status", args("node", "pve1"));
    assertThat(node.getJsonObject("memory").getLong("total")).isEqualTo(64L * 1024 * MIB);

    JsonArray all = tools.ok("list_vms", args()).getJsonArray("vms");
    assertThat(all).extracting(v -> ((JsonObject) v).getLong("vmid")).containsExactlyInAnyOrder(100L, 101L, 102L, 9000L);
    JsonArray onPve2 = tools.ok("list_vms", args("node", "pve2")).getJsonArray("vms");
    assertThat(onPve2).extracting(v -> ((JsonObject) v).getString("node")).containsOnly("pve2");

    JsonObject status = tools.ok("get_vm_status", args("vmid", 100));
    assertThat(status.getString("node")).isEqualTo("pve1");
    assertThat(status.getString("status")).isEqualTo("running");
    assertThat(status.getBoolean("agent")).isTrue();
    JsonObject config = tools.ok("get_vm_config", args("vmid", 102, "node", "pve2"));
    assertThat(config.getJsonObject("config").getString("name")).isEqualTo("build-01");

    JsonArray storage = tools.ok("list_storage", args("node", "pve1")).getJsonArray("storage");
    assertThat(storage).extracting(s -> ((JsonObject) s).getString("storage")).contains("local", "local-lvm");

    JsonObject clusterStatus = tools.ok("get_cluster_status", args());
    assertThat(clusterStatus.getBoolean("quorate")).isTrue();
    assertThat(clusterStatus.getJsonArray("nodes")).hasSize(3);
    JsonArray storageOnly = tools.ok("get_cluster_resources", args("type", "storage")).getJsonArray("resources");
    assertThat(storageOnly).isNotEmpty().allSatisfy(r -> assertThat(((JsonObject) r).getString("type")).isEqualTo("storage"));
    assertThat(tools.ok("next_vmid", args()).getLong("vmid")).isEqualTo(103L);
  }

  @Test
  void startRunsTheVmAndRaisesNodeMemoryReportingProgressWhileWaiting() throws Exception {
    long before = cluster.memoryUsed("pve1");
    JsonObject started = tools.ok("start_vm", args("vmid", 101));
    assertThat(started.getString("node")).isEqualTo("pve1");
    assertThat(started.getString("upid")).startsWith("UPID:pve1:").contains(":qmstart:101:");

    JsonObject done = waitFor(started);
    assertThat(done.getBoolean("succeeded")).isTrue();
    assertThat(done.getString("exitstatus")).isEqualTo("OK");
    assertThat(tools.progress).isNotEmpty();
    assertThat(tools.progress).allSatisfy(p -> {
      assertThat(p.total()).isEqualTo(10.0);
      assertThat(p.progress()).isBetween(0.0, 10.0);
      assertThat(p.onEventLoop()).isTrue();
    });
    assertThat(tools.progress.get(tools.progress.size() - 1).message()).isEqualTo("task finished");

    assertThat(cluster.isRunning(101)).isTrue();
    assertThat(cluster.memoryUsed("pve1") - before).isEqualTo(4096 * MIB);
    JsonObject pve1 = tools.ok("list_nodes", args()).getJsonArray("nodes").getJsonObject(0);
    assertThat(pve1.getLong("mem")).isEqualTo(before + 4096 * MIB);
    JsonObject task = tools.ok("get_task_status", args("upid", started.getString("upid")));
    assertThat(task.getString("status")).isEqualTo("stopped");
    assertThat(task.getBoolean("succeeded")).isTrue();
  }

  @Test
  void aVmStillStartingIsNotRunningAndWaitingPastTheTimeoutSaysSoAfterProgress() throws Exception {
    // a task that cannot finish during the test: the 200 ms ones above could end before a slow check
    ProxmoxSimulator slow = ProxmoxSimulator.start(vertx, new SimulatorOptions().taskDurationMs(60_000))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    ToolHarness slowTools = new ToolHarness(vertx, new ProxmoxToolProvider(slow.clientOptions()));
    JsonObject started = slowTools.ok("start_vm", args("vmid", 101));
    assertThat(slow.cluster().isRunning(101)).as("still starting").isFalse();

    String error = slowTools.error("wait_for_task", args("upid", started.getString("upid"), "timeout_seconds", 1));
    assertThat(error).contains(started.getString("upid")).contains("still running after 1 s");
    assertThat(slowTools.progress).isNotEmpty()
        .allSatisfy(p -> assertThat(p.message()).isEqualTo("task running..."));
    assertThat(slow.cluster().isRunning(101)).isFalse();
  }

  @Test
  void destructiveToolsNeedConfirmAndDoNothingWithout() throws Exception {
    String message = tools.error("stop_vm", args("vmid", 100, "confirm", false));
    assertThat(message).contains("VM 100").contains("confirm: true").contains("Nothing was done");
    assertThat(tools.error("delete_vm", args("vmid", 101, "confirm", false))).contains("cannot be undone");
    assertThat(tools.error("execute_vm_command", args("vmid", 100, "command", new JsonArray().add("reboot"),
        "confirm", false))).contains("reboot").contains("confirm: true");
    assertThat(cluster.isRunning(100)).isTrue();
    assertThat(cluster.exists(101)).isTrue();
  }

  @Test
  void stopAndShutdownAndRebootChangeTheVm() throws Exception {
    long before = cluster.memoryUsed("pve1");
    waitFor(tools.ok("stop_vm", args("vmid", 100, "confirm", true)));
    assertThat(cluster.isRunning(100)).isFalse();
    assertThat(before - cluster.memoryUsed("pve1")).isEqualTo(2048 * MIB);

    assertThat(tools.error("shutdown_vm", args("vmid", 100, "confirm", true))).contains("VM 100 not running");
    waitFor(tools.ok("reboot_vm", args("vmid", 102, "confirm", true)));
    assertThat(cluster.isRunning(102)).isTrue();
    waitFor(tools.ok("shutdown_vm", args("vmid", 102, "timeout_seconds", 30, "force_stop", true, "confirm", true)));
    assertThat(cluster.isRunning(102)).isFalse();
  }

  @Test
  void createCloneAndDeleteChangeTheVmList() throws Exception {
    JsonObject created = tools.ok("create_vm", args("node", "pve2", "name", "test-01", "memory_mb", 1024, "cores", 1));
    assertThat(created.getLong("vmid")).isEqualTo(103L);
    waitFor(created);
    assertThat(tools.ok("next_vmid", args()).getLong("vmid")).isEqualTo(104L);
    JsonObject config = tools.ok("get_vm_config", args("vmid", 103)).getJsonObject("config");
    assertThat(config.getString("name")).isEqualTo("test-01");
    assertThat(config.getString("scsi0")).isEqualTo("local-lvm:vm-103-disk-0,size=32G");

    JsonObject cloned = tools.ok("clone_vm", args("vmid", 9000, "newid", 150, "name", "from-template", "target_node", "pve3"));
    assertThat(cloned.getLong("newid")).isEqualTo(150L);
    waitFor(cloned);
    JsonObject clone = tools.ok("get_vm_status", args("vmid", 150));
    assertThat(clone.getString("node")).isEqualTo("pve3");
    assertThat(clone.getString("name")).isEqualTo("from-template");

    assertThat(tools.error("delete_vm", args("vmid", 100, "confirm", true))).contains("VM 100 is running - destroy failed");
    waitFor(tools.ok("delete_vm", args("vmid", 103, "confirm", true, "purge", true)));
    assertThat(cluster.exists(103)).isFalse();
    assertThat(tools.error("get_vm_status", args("vmid", 103))).contains("VM 103 does not exist");
  }

  @Test
  void migrateMovesARunningVmOnlineWithoutConfirm() throws Exception {
    long pve1Before = cluster.memoryUsed("pve1");
    long pve3Before = cluster.memoryUsed("pve3");
    JsonObject migrating = tools.ok("migrate_vm", args("vmid", 100, "target_node", "pve3"));
    assertThat(migrating.getString("node")).isEqualTo("pve1");
    assertThat(migrating.getString("target_node")).isEqualTo("pve3");
    assertThat(migrating.getBoolean("online")).as("running, so online by default").isTrue();
    assertThat(migrating.getString("upid")).startsWith("UPID:pve1:").contains(":qmigrate:100:");
    waitFor(migrating);

    JsonObject status = tools.ok("get_vm_status", args("vmid", 100));
    assertThat(status.getString("node")).isEqualTo("pve3");
    assertThat(status.getString("status")).isEqualTo("running");
    assertThat(pve1Before - cluster.memoryUsed("pve1")).isEqualTo(2048 * MIB);
    assertThat(cluster.memoryUsed("pve3") - pve3Before).isEqualTo(2048 * MIB);

    // A stopped VM, its node given, migrates offline; confirm is accepted though not needed.
    JsonObject offline = tools.ok("migrate_vm", args("vmid", 101, "node", "pve1", "target_node", "pve2", "confirm", true));
    assertThat(offline.getBoolean("online")).isFalse();
    waitFor(offline);
    assertThat(tools.ok("get_vm_status", args("vmid", 101)).getString("node")).isEqualTo("pve2");
  }

  @Test
  void migrateRefusalsSayWhatIsWrong() throws Exception {
    assertThat(tools.error("migrate_vm", args("vmid", 100, "target_node", "pve1")))
        .contains("VM 100 is already on pve1").contains("target_node must be another node");
    assertThat(tools.error("migrate_vm", args("vmid", 100, "target_node", "pve2", "online", false)))
        .contains("VM 100 is running - use online migration");
    assertThat(tools.error("migrate_vm", args("vmid", 100, "target_node", "pve7")))
        .contains("no such cluster node 'pve7'");
    cluster.setNodeOnline("pve3", false);
    assertThat(tools.error("migrate_vm", args("vmid", 100, "target_node", "pve3")))
        .contains("target node 'pve3' is offline");
    assertThat(tools.error("migrate_vm", args("vmid", 555, "target_node", "pve2"))).contains("VM 555 does not exist");

    ToolHarness limited = new ToolHarness(vertx, new ProxmoxToolProvider(simulator.clientOptions()
        .allowedNodes(Set.of("pve1", "pve2"))));
    assertThat(limited.error("migrate_vm", args("vmid", 100, "target_node", "pve3"))).contains("node pve3 is not allowed");
    // Allowed target, but the VM's own node is not.
    ToolHarness sourceRefused = new ToolHarness(vertx, new ProxmoxToolProvider(simulator.clientOptions()
        .allowedNodes(Set.of("pve1"))));
    assertThat(sourceRefused.error("migrate_vm", args("vmid", 102, "target_node", "pve1"))).contains("node pve2 is not allowed");
    assertThat(cluster.isRunning(100)).isTrue();
    assertThat(tools.ok("get_vm_status", args("vmid", 100)).getString("node")).isEqualTo("pve1");
    assertThat(tools.ok("get_vm_status", args("vmid", 102)).getString("node")).isEqualTo("pve2");
  }

  @Test
  void aFailedTaskIsAToolErrorWithPvesExitStatus() throws Exception {
    cluster.failNextTask("qmstart", "start failed: QEMU exited with code 1");
    JsonObject started = tools.ok("start_vm", args("vmid", 101));
    String message = tools.error("wait_for_task", args("upid", started.getString("upid"), "timeout_seconds", 10));
    assertThat(message).contains(started.getString("upid")).contains("start failed: QEMU exited with code 1");
    assertThat(cluster.isRunning(101)).isFalse();
    JsonObject status = tools.ok("get_task_status", args("upid", started.getString("upid"), "node", "pve1"));
    assertThat(status.getBoolean("succeeded")).isFalse();
  }

  @Test
  void executesCommandsThroughTheGuestAgent() throws Exception {
    JsonObject echo = tools.ok("execute_vm_command", args("vmid", 100,
        "command", new JsonArray().add("echo").add("hello"), "confirm", true));
    assertThat(echo.getInteger("exitcode")).isZero();
    assertThat(echo.getString("stdout")).isEqualTo("hello\n");
    assertThat(echo.getString("stderr")).isEmpty();

    JsonObject cat = tools.ok("execute_vm_command", args("vmid", 100, "command", new JsonArray().add("cat").add("/nope"),
        "confirm", true));
    assertThat(cat.getInteger("exitcode")).isEqualTo(1);
    assertThat(cat.getString("stderr")).contains("No such file");

    String noAgent = tools.error("execute_vm_command", args("vmid", 102,
        "command", new JsonArray().add("uptime"), "confirm", true));
    assertThat(noAgent).contains("QEMU guest agent is not running").contains("qemu-guest-agent");
    String stopped = tools.error("execute_vm_command", args("vmid", 101,
        "command", new JsonArray().add("uptime"), "confirm", true));
    assertThat(stopped).contains("VM 101 is not running");
  }

  @Test
  void allowListsRefuseBeforeActingAndFilterListings() throws Exception {
    ToolHarness limited = new ToolHarness(vertx, new ProxmoxToolProvider(simulator.clientOptions()
        .allowedNodes(Set.of("pve1")).allowedVmids(VmidRanges.parse("100-101,9000"))));
    assertThat(limited.error("start_vm", args("vmid", 102))).contains("VM 102 is not allowed").contains("100-101,9000");
    assertThat(limited.error("get_node_status", args("node", "pve2"))).contains("node pve2 is not allowed");
    assertThat(limited.error("create_vm", args("node", "pve1", "name", "x", "vmid", 500))).contains("VM 500 is not allowed");
    assertThat(limited.error("clone_vm", args("vmid", 9000, "newid", 101, "target_node", "pve3")))
        .contains("node pve3 is not allowed");
    // The VM is allowed but the node it lives on is not.
    ToolHarness nodeOnly = new ToolHarness(vertx, new ProxmoxToolProvider(simulator.clientOptions()
        .allowedNodes(Set.of("pve1"))));
    assertThat(nodeOnly.error("stop_vm", args("vmid", 102, "confirm", true))).contains("node pve2 is not allowed");
    assertThat(cluster.isRunning(102)).isTrue();

    assertThat(limited.ok("list_vms", args()).getJsonArray("vms"))
        .extracting(v -> ((JsonObject) v).getLong("vmid")).containsExactlyInAnyOrder(100L, 101L, 9000L);
    assertThat(limited.ok("list_nodes", args()).getJsonArray("nodes")).hasSize(1);
    assertThat(limited.ok("get_cluster_resources", args("type", "node")).getJsonArray("resources")).hasSize(1);
  }

  @Test
  void apiErrorsBecomeToolErrors() throws Exception {
    ToolHarness readOnly = new ToolHarness(vertx, new ProxmoxToolProvider(new ProxmoxClient(simulator.clientOptions()
        .tokenName(simulator.readOnlyTokenName()).tokenValue(simulator.readOnlyTokenValue()))));
    assertThat(readOnly.error("start_vm", args("vmid", 101))).contains("403").contains("/vms/101").contains("VM.PowerMgmt");
    cluster.setNodeOnline("pve3", false);
    assertThat(tools.error("list_storage", args("node", "pve3"))).contains("595");
    assertThat(tools.error("get_task_status", args("upid", "not-a-upid"))).contains("not a task id");
    assertThat(tools.error("get_vm_config", args("vmid", 555, "node", "pve1"))).contains("555.conf' does not exist");
  }

  @Test
  void withoutAHostTheProviderRunsOnTheSimulator() throws Exception {
    ProxmoxToolProvider provider = ProxmoxToolProvider.create(vertx, new io.agentnet.mcp.proxmox.client.ProxmoxOptions())
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    try {
      assertThat(provider.simulator()).isNotNull();
      assertThat(new ToolHarness(vertx, provider).ok("list_nodes", args()).getJsonArray("nodes")).hasSize(3);
    } finally {
      provider.close();
    }
  }
}
