package io.agentnet.agents.specialist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The resource-optimization skills: {@code collect_metrics} (a snapshot of node and VM load),
 * {@code plan_rebalance} (moves that lower the memory spread, see {@link RebalancePlanner}),
 * {@code execute_migrations} (carry them out one by one) and {@code report_rebalance} (before and
 * after, measured again).
 */
final class RebalancingSkills {

  private RebalancingSkills() {
  }

  static List<Skill> all(Duration taskWait) {
    return List.of(new CollectMetrics(), new PlanRebalance(), new ExecuteMigrations(taskWait), new ReportRebalance());
  }

  /** {nodes: [...], vms: [...], spread_pct}: online and offline nodes, VMs without templates. */
  static final class CollectMetrics extends BaseSkill {

    CollectMetrics() {
      super("collect_metrics", "metrics");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      task.progress("reading node and VM load");
      return snapshot(task).map(s -> {
        JsonArray nodes = new JsonArray();
        s.nodes().forEach(n -> nodes.add(n.toJson()));
        JsonArray vms = new JsonArray();
        s.vms().stream().filter(v -> !v.template()).forEach(v -> vms.add(v.toJson()));
        RebalancePlanner.Balance balance = RebalancePlanner.balance(s.nodes());
        task.progress("memory load " + describe(balance));
        return new JsonObject().put("nodes", nodes).put("vms", vms).put("spread_pct", balance.spreadPct());
      });
    }
  }

  /** Plans migrations from a collect_metrics snapshot; no tool calls. */
  static final class PlanRebalance extends BaseSkill {

    PlanRebalance() {
      super("plan_rebalance", "rebalancing");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      JsonObject snapshot = in.object("snapshot");
      if (!(snapshot.getValue("nodes") instanceof JsonArray nodes) || !(snapshot.getValue("vms") instanceof JsonArray vms)) {
        throw SkillException.permanent("plan_rebalance: the snapshot must be collect_metrics' output "
            + "({nodes: [...], vms: [...]}), got fields " + String.join(", ", snapshot.fieldNames()));
      }
      int max = (int) in.integer("max_migrations", 5);
      RebalancePlanner planner = new RebalancePlanner(in.decimal("min_improvement_pct",
          RebalancePlanner.DEFAULT_MIN_IMPROVEMENT_PCT));
      RebalancePlanner.Plan plan = planner.plan(ClusterNode.listFromJson(nodes), ClusterVm.listFromJson(vms), max);
      task.progress(plan.migrations().isEmpty()
          ? "already balanced: no migration lowers the memory spread of " + Numbers.pct(plan.before().spreadPct()) + "%"
          : plan.migrations().size() + " migration(s) take the memory spread from " + Numbers.pct(plan.before().spreadPct())
              + "% to " + Numbers.pct(plan.after().spreadPct()) + "%");
      return Future.succeededFuture(plan.toJson());
    }
  }

  /**
   * Migrates each VM in turn, waiting for each task. A VM already on its target is skipped (status
   * {@code already_on_target}), and one no longer on its planned source moves from where it is, so
   * a retried step finishes the plan instead of failing on its own earlier moves.
   */
  static final class ExecuteMigrations extends BaseSkill {

    private final Duration taskWait;

    ExecuteMigrations(Duration taskWait) {
      super("execute_migrations", "remediation");
      this.taskWait = taskWait;
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      List<RebalancePlanner.Migration> migrations;
      try {
        migrations = RebalancePlanner.Migration.listFromJson(in.array("migrations"));
      } catch (IllegalArgumentException e) {
        throw SkillException.permanent("execute_migrations: " + e.getMessage());
      }
      JsonArray migrated = new JsonArray();
      int total = migrations.size();
      return sequentially(migrations, m -> migrate(task, m, migrated, total))
          .recover(e -> Future.failedFuture(asSkillException(e).withContext(migrated.size() + " of " + total
              + " migrations done")))
          .map(v -> {
            task.progress(total == 0 ? "no migrations to carry out" : "all " + total + " migrations done");
            return new JsonObject().put("migrated", migrated).put("count", migrated.size());
          });
    }

    private Future<Void> migrate(TaskContext task, RebalancePlanner.Migration m, JsonArray migrated, int total) {
      return proxmox(task, "get_vm_status", new JsonObject().put("vmid", m.vmid())).compose(status -> {
        String from = status.getString("node", m.from());
        if (from.equals(m.to())) {
          migrated.add(new JsonObject().put("vmid", m.vmid()).put("from", m.from()).put("to", m.to())
              .put("status", "already_on_target"));
          return Future.<Void>succeededFuture();
        }
        String what = "VM " + m.vmid() + (m.name() == null ? "" : " (" + m.name() + ")") + " from " + from + " to " + m.to();
        task.progress("migrating " + what + " (" + (migrated.size() + 1) + " of " + total + ")");
        return proxmox(task, "migrate_vm", new JsonObject().put("vmid", m.vmid()).put("node", from)
            .put("target_node", m.to()))
            .compose(started -> waitTask(task, started.getString("upid"), taskWait).map(ok -> {
              migrated.add(new JsonObject().put("vmid", m.vmid()).put("from", from).put("to", m.to())
                  .put("upid", started.getString("upid")).put("status", "OK"));
              return (Void) null;
            }))
            .recover(e -> Future.failedFuture(asSkillException(e).withContext("migrating " + what)));
      });
    }
  }

  /** Measures again and compares with the plan's {@code before}: {before, after, improved, summary}. */
  static final class ReportRebalance extends BaseSkill {

    ReportRebalance() {
      super("report_rebalance", "metrics");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      JsonObject plan = in.optionalObject("plan");
      JsonObject beforeJson = in.has("before") ? in.object("before") : plan == null ? null : plan.getJsonObject("before");
      if (beforeJson == null) {
        throw in.missing("before");
      }
      RebalancePlanner.Balance before = RebalancePlanner.Balance.fromJson(beforeJson);
      int planned = plan == null || plan.getJsonArray("migrations") == null ? -1 : plan.getJsonArray("migrations").size();
      return snapshot(task).map(s -> {
        RebalancePlanner.Balance after = RebalancePlanner.balance(s.nodes());
        boolean improved = after.spreadPct() < before.spreadPct();
        String summary;
        if (planned == 0) {
          summary = "already balanced: no migration was needed (memory spread " + Numbers.pct(before.spreadPct())
              + "%, now " + Numbers.pct(after.spreadPct()) + "%)";
        } else {
          summary = "memory spread " + Numbers.pct(before.spreadPct()) + "% -> " + Numbers.pct(after.spreadPct()) + "%"
              + (planned > 0 ? " after " + planned + " migration(s)" : "") + (improved ? "" : ", not improved")
              + "; now " + describe(after);
        }
        task.progress(summary);
        return new JsonObject().put("before", before.toJson()).put("after", after.toJson()).put("improved", improved)
            .put("summary", summary);
      });
    }
  }

  /** "pve1 18.8%, pve2 6.3% (spread 12.5%)". */
  static String describe(RebalancePlanner.Balance balance) {
    Map<String, Double> nodes = balance.nodes();
    return nodes.entrySet().stream().map(e -> e.getKey() + " " + Numbers.pct(e.getValue()) + "%")
        .collect(Collectors.joining(", ")) + " (spread " + Numbers.pct(balance.spreadPct()) + "%)";
  }
}
