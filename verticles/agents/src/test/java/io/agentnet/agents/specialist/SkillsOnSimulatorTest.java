package io.agentnet.agents.specialist;

import io.agentnet.mcp.proxmox.ProxmoxToolProvider;
import io.agentnet.mcp.proxmox.simulator.ProxmoxSimulator;
import io.agentnet.mcp.proxmox.simulator.SimulatedCluster;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpServerVerticle;
import io.agentnet.runtime.mcp.client.McpClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The skills against the real proxmox MCP server in front of the Proxmox simulator, called the way
 * the specialist calls them: through a TaskContext backed by McpClient over the event bus.
 */
@ExtendWith(VertxExtension.class)
class SkillsOnSimulatorTest {

  private static final long GIB = 1024L * 1024 * 1024;

  private final Skills skills = Skills.standard(Duration.ofSeconds(20));
  private Vertx vertx;
  private SimulatedCluster cluster;
  private McpClient client;
  private McpTaskContext last;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    this.client = McpClient.create(vertx);
    ProxmoxSimulator.start(vertx, new SimulatorOptions().taskDurationMs(100))
        .compose(sim -> {
          cluster = sim.cluster();
          return vertx.deployVerticle(new McpServerVerticle(new ProxmoxToolProvider(sim.clientOptions()),
              new McpServerOptions(), "mcp-proxmox-skills-test", Duration.ofSeconds(30)));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Runs an action on an event-loop context, as the specialist does. */
  private Future<JsonObject> run(String action, JsonObject inputs) {
    McpTaskContext task = new McpTaskContext(client, action, inputs);
    last = task;
    Skill skill = skills.find(action).orElseThrow(() -> new AssertionError("no skill " + action));
    return Future.<JsonObject>future(p -> vertx.getOrCreateContext().runOnContext(v -> skill.run(task).onComplete(p)));
  }

  /** The action's failure; a success fails the test. */
  private Future<SkillException> failure(String action, JsonObject inputs) {
    return run(action, inputs).transform(ar -> {
      if (ar.succeeded()) {
        return Future.failedFuture(new AssertionError(action + " should fail but answered " + ar.result().encode()));
      }
      assertThat(ar.cause()).isInstanceOf(SkillException.class);
      return Future.succeededFuture((SkillException) ar.cause());
    });
  }

  private static JsonObject in(Object... pairs) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      json.put((String) pairs[i], pairs[i + 1]);
    }
    return json;
  }

  @Test
  void validatePlacementChoosesANodeOrNamesTheShortfall(VertxTestContext ctx) {
    run("validate_placement", in("cores", 2, "memory_mb", 4096, "disk_gb", 32))
        .map(out -> {
          assertThat(out.getString("node")).as("most free memory").isEqualTo("pve1");
          assertThat(out.getBoolean("fits")).isTrue();
          assertThat(out.getJsonObject("free").getLong("memory_mb")).isEqualTo(60L * 1024);
          assertThat(out.getString("reason")).startsWith("pve1 has the most free memory of the 3 nodes");
          assertThat(last.progress).isNotEmpty();
          return out;
        })
        .compose(v -> failure("validate_placement", in("cores", 2, "memory_mb", 65536, "disk_gb", 32, "node", "pve2")))
        .map(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).isEqualTo("pve2 has 22528 MiB memory free, 65536 MiB requested");
          return e;
        })
        .compose(v -> run("validate_placement", in("cores", "2", "memory_mb", "1024", "disk_gb", "200", "node", "pve3",
            "storage", "local-lvm")))
        .map(out -> {
          // Numbers as text (from templates) are read; the disk comes from the storage, not the root disk.
          assertThat(out.getJsonObject("free").getLong("disk_gb")).isEqualTo(796L);
          assertThat(last.tools()).containsExactly("proxmox/list_nodes", "proxmox/list_storage");
          return out;
        })
        .compose(v -> failure("validate_placement", in("cores", 2, "disk_gb", 32)))
        .map(e -> {
          assertThat(e.getMessage()).isEqualTo("validate_placement needs the input 'memory_mb'; the step's inputs have "
              + "cores, disk_gb");
          return e;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createWaitStartWaitVerifyAVm(VertxTestContext ctx) {
    run("create_vm", in("node", "pve2", "name", "app-01", "cores", 1, "memory_mb", 1024, "disk_gb", 8))
        .compose(created -> {
          assertThat(created.getString("node")).isEqualTo("pve2");
          assertThat(created.getLong("vmid")).isEqualTo(103L);
          return failure("verify_vm", in("node", "pve2", "vmid", 103)).map(e -> {
            // Still being created, then stopped: not running yet, which may change.
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).isEqualTo("VM 103 on pve2 is stopped, expected running");
            return created;
          });
        })
        .compose(created -> run("wait_task", in("node", "pve2", "upid", created.getString("upid"))))
        .compose(waited -> {
          assertThat(waited.getString("exitstatus")).isEqualTo("OK");
          return run("start_vm", in("node", "pve2", "vmid", 103));
        })
        .compose(started -> run("wait_task", in("node", started.getString("node"), "upid", started.getString("upid"),
            "timeout_seconds", 10)))
        .compose(waited -> run("verify_vm", in("node", "pve2", "vmid", 103)))
        .map(verified -> {
          assertThat(verified).isEqualTo(in("node", "pve2", "vmid", 103L, "status", "running"));
          assertThat(cluster.isRunning(103)).isTrue();
          return verified;
        })
        // From a template: a full clone onto pve3; the clone's task runs on the template's node.
        .compose(v -> run("create_vm", in("node", "pve3", "name", "from-template", "template_vmid", 9000)))
        .compose(cloned -> {
          assertThat(cloned.getString("node")).isEqualTo("pve3");
          assertThat(cloned.getString("upid")).startsWith("UPID:pve1:");
          return run("wait_task", in("node", "pve3", "upid", cloned.getString("upid")))
              .compose(w -> run("verify_vm", in("node", "pve3", "vmid", cloned.getLong("vmid"), "expect_status", "stopped")));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFailedTaskFailsWaitTaskForGood(VertxTestContext ctx) {
    cluster.failNextTask("qmstart", "start failed: QEMU exited with code 1");
    run("start_vm", in("node", "pve1", "vmid", 101))
        .compose(started -> failure("wait_task", in("upid", started.getString("upid"))))
        .map(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("failed: start failed: QEMU exited with code 1");
          return e;
        })
        .compose(v -> failure("wait_task", in("upid", "nonsense")))
        .map(e -> {
          assertThat(e.getMessage()).isEqualTo("wait_task: \"nonsense\" is not a Proxmox task id (UPID:node:...)");
          return e;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void removeVmStopsDeletesAndIsDoneWhenTheVmIsGone(VertxTestContext ctx) {
    run("remove_vm", in("vmid", 100))
        .map(out -> {
          assertThat(out.getBoolean("removed")).isTrue();
          assertThat(out.getString("node")).isEqualTo("pve1");
          assertThat(out.getJsonArray("steps")).containsExactly("stopped", "deleted");
          assertThat(cluster.exists(100)).isFalse();
          assertThat(last.tools()).containsExactly("proxmox/get_vm_status", "proxmox/stop_vm", "proxmox/wait_for_task",
              "proxmox/delete_vm", "proxmox/wait_for_task");
          assertThat(last.calls.get(1)).contains("\"confirm\":true");
          return out;
        })
        .compose(v -> run("remove_vm", in("vmid", 100, "node", "pve1")))
        .map(again -> {
          assertThat(again).isEqualTo(in("vmid", 100L, "removed", true, "already_absent", true));
          return again;
        })
        // A stopped VM is deleted without a stop.
        .compose(v -> run("remove_vm", in("vmid", 101)))
        .map(out -> {
          assertThat(out.getJsonArray("steps")).containsExactly("deleted");
          assertThat(cluster.exists(101)).isFalse();
          return out;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aStoppedVmIsDiagnosedRemediatedAndVerified(VertxTestContext ctx) {
    cluster.stopVmUnexpectedly(100);
    JsonObject alert = in("rule", "vm_down", "target", "qemu/100", "severity", "critical");
    run("diagnose", in("alert", alert))
        .compose(diagnosis -> {
          assertThat(diagnosis.getBoolean("healthy")).isFalse();
          JsonArray findings = diagnosis.getJsonArray("findings");
          assertThat(findings).hasSize(1);
          assertThat(findings.getJsonObject(0).getString("kind")).isEqualTo("vm_stopped");
          assertThat(findings.getJsonObject(0).getLong("vmid")).isEqualTo(100L);
          assertThat(diagnosis.getString("summary")).contains("VM 100 (web-01) on pve1 is stopped");
          return failure("verify_health", in("findings", findings)).map(e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).isEqualTo("still wrong: VM 100 (web-01) on pve1 is stopped");
            return findings;
          });
        })
        .compose(findings -> run("remediate", in("findings", findings)).map(out -> {
          JsonObject action = out.getJsonArray("actions").getJsonObject(0);
          assertThat(action.getString("kind")).isEqualTo("start_vm");
          assertThat(action.getString("status")).isEqualTo("OK");
          assertThat(action.getString("upid")).contains(":qmstart:100:");
          assertThat(out.getString("summary")).isEqualTo("started VM 100 on pve1");
          assertThat(cluster.isRunning(100)).isTrue();
          return findings;
        }))
        .compose(findings -> run("verify_health", in("findings", findings)).map(out -> {
          assertThat(out.getBoolean("healthy")).isTrue();
          assertThat(out.getJsonArray("findings")).isEmpty();
          assertThat(out.getString("summary")).isEqualTo("resolved: VM 100 (web-01) on pve1 is stopped");
          return findings;
        }))
        // Remediating again finds the VM running and does nothing.
        .compose(findings -> run("remediate", in("findings", findings)))
        .map(out -> {
          assertThat(out.getJsonArray("actions").getJsonObject(0).getString("status")).isEqualTo("already_running");
          assertThat(last.tools()).doesNotContain("proxmox/start_vm");
          return out;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aHotNodeIsRelievedByMovingAVmToTheLeastLoadedNode(VertxTestContext ctx) {
    // pve2: 30 of 32 GiB in use, build-01 (8 GiB) among them.
    cluster.setNodeUsage("pve2", 0.3, 30 * GIB);
    run("diagnose", in())
        .compose(diagnosis -> {
          JsonArray findings = diagnosis.getJsonArray("findings");
          assertThat(findings).hasSize(1);
          JsonObject finding = findings.getJsonObject(0);
          assertThat(finding.getString("kind")).isEqualTo("node_memory_high");
          assertThat(finding.getString("node")).isEqualTo("pve2");
          assertThat(finding.getDouble("value")).isEqualTo(93.8);
          return run("remediate", in("findings", findings)).map(out -> {
            JsonObject action = out.getJsonArray("actions").getJsonObject(0);
            assertThat(action.getString("kind")).isEqualTo("migrate_vm");
            assertThat(action.getLong("vmid")).isEqualTo(102L);
            assertThat(action.getString("node")).isEqualTo("pve2");
            // pve1 would be at 18.75% afterwards, pve3 at 31.25%.
            assertThat(action.getString("target_node")).isEqualTo("pve1");
            assertThat(action.getString("status")).isEqualTo("OK");
            assertThat(out.getString("summary")).isEqualTo("moved VM 102 (build-01) from pve2 to pve1");
            assertThat(cluster.memoryUsed("pve2")).isEqualTo(22 * GIB);
            assertThat(last.progress).anyMatch(p -> p.startsWith("moving VM 102 (build-01) from pve2 to pve1"));
            return findings;
          });
        })
        .compose(findings -> run("verify_health", in("findings", findings)))
        .map(out -> {
          assertThat(out.getBoolean("healthy")).isTrue();
          return out;
        })
        .compose(v -> run("verify_vm", in("vmid", 102)))
        .map(out -> {
          assertThat(out.getString("node")).isEqualTo("pve1");
          return out;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void collectPlanExecuteReportLowersTheSpread(VertxTestContext ctx) {
    run("collect_metrics", in())
        .compose(snapshot -> {
          assertThat(snapshot.getDouble("spread_pct")).isEqualTo(25.0);
          assertThat(snapshot.getJsonArray("nodes")).hasSize(3);
          assertThat(snapshot.getJsonArray("nodes").getJsonObject(1).getDouble("mem_pct")).isEqualTo(31.3);
          assertThat(snapshot.getJsonArray("vms")).extracting(v -> ((JsonObject) v).getLong("vmid"))
              .as("templates left out").containsExactly(100L, 101L, 102L);
          return run("plan_rebalance", in("snapshot", snapshot, "max_migrations", 5));
        })
        .compose(plan -> {
          JsonArray migrations = plan.getJsonArray("migrations");
          assertThat(migrations).extracting(m -> ((JsonObject) m).getLong("vmid")).containsExactly(102L, 100L);
          assertThat(last.calls).as("planning calls no tool").isEmpty();
          return run("execute_migrations", in("migrations", migrations)).map(executed -> {
            assertThat(executed.getInteger("count")).isEqualTo(2);
            assertThat(executed.getJsonArray("migrated")).allSatisfy(m ->
                assertThat(((JsonObject) m).getString("status")).isEqualTo("OK"));
            assertThat(last.progress).contains("migrating VM 102 (build-01) from pve2 to pve1 (1 of 2)");
            return plan;
          });
        })
        .compose(plan -> run("report_rebalance", in("before", plan.getJsonObject("before"), "plan", plan)).map(report -> {
          assertThat(report.getBoolean("improved")).isTrue();
          assertThat(report.getJsonObject("before").getDouble("spread_pct")).isEqualTo(25.0);
          assertThat(report.getJsonObject("after")).as("as planned").isEqualTo(plan.getJsonObject("after"));
          assertThat(report.getString("summary")).startsWith("memory spread 25% -> 9.4% after 2 migration(s); now pve1 15.6%");
          return plan;
        }))
        // Carrying the plan out again finds every VM where it belongs.
        .compose(plan -> run("execute_migrations", in("migrations", plan.getJsonArray("migrations"))))
        .map(again -> {
          assertThat(again.getJsonArray("migrated")).allSatisfy(m ->
              assertThat(((JsonObject) m).getString("status")).isEqualTo("already_on_target"));
          assertThat(last.tools()).doesNotContain("proxmox/migrate_vm");
          return again;
        })
        .compose(v -> run("collect_metrics", in()))
        .compose(balanced -> run("plan_rebalance", in("snapshot", balanced)))
        .map(plan -> {
          assertThat(plan.getJsonArray("migrations")).as("nothing left worth moving").isEmpty();
          return plan;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aCancelledTaskStopsBetweenToolCalls(VertxTestContext ctx) {
    McpTaskContext task = new McpTaskContext(client, "remove_vm", in("vmid", 100));
    task.cancelAfterCalls.set(2);
    Skill remove = skills.find("remove_vm").orElseThrow();
    Future.<JsonObject>future(p -> vertx.getOrCreateContext().runOnContext(v -> remove.run(task).onComplete(p)))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(SkillException.class);
          assertThat(((SkillException) e).isCancellation()).isTrue();
          // Stopped after stop_vm: never waited, never deleted.
          assertThat(task.tools()).containsExactly("proxmox/get_vm_status", "proxmox/stop_vm");
          assertThat(cluster.exists(100)).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  void mcpCallReachesAnyTool(VertxTestContext ctx) {
    run("mcp_call", in("tool", "proxmox/get_vm_status", "arguments", in("vmid", 102)))
        .map(out -> {
          assertThat(out.getString("name")).isEqualTo("build-01");
          return out;
        })
        .compose(v -> failure("mcp_call", in("tool", "get_vm_status")))
        .map(e -> {
          assertThat(e.getMessage()).isEqualTo("mcp_call: tool must be \"server/tool\", e.g. \"proxmox/list_nodes\", "
              + "got \"get_vm_status\"");
          return e;
        })
        .compose(v -> failure("mcp_call", in("tool", "proxmox/get_vm_status", "arguments", in("vmid", 555))))
        .map(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("VM 555 does not exist");
          return e;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void executeMigrationsSaysHowFarItGotWhenAMoveFails(VertxTestContext ctx) {
    cluster.failNextTask("qmigrate", "migration aborted: disk copy failed");
    JsonArray migrations = new JsonArray(List.of(in("vmid", 100, "from", "pve1", "to", "pve3"),
        in("vmid", 102, "from", "pve2", "to", "pve3")));
    failure("execute_migrations", in("migrations", migrations))
        .map(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).startsWith("0 of 2 migrations done: migrating VM 100 from pve1 to pve3: ")
              .contains("migration aborted: disk copy failed");
          // The second VM was not touched.
          assertThat(last.tools()).filteredOn("proxmox/migrate_vm"::equals).hasSize(1);
          assertThat(cluster.isRunning(102)).isTrue();
          return e;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
