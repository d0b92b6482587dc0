package io.agentnet.agents.specialist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The health-check skills: {@code diagnose} (what is wrong, see {@link Diagnoser}), {@code remediate}
 * (start stopped VMs, move one VM off each hot node) and {@code verify_health} (are the original
 * findings gone).
 */
final class HealthSkills {

  private HealthSkills() {
  }

  static List<Skill> all(Duration taskWait) {
    return List.of(new Diagnose(), new Remediate(taskWait), new VerifyHealth());
  }

  /** Thresholds from the inputs, else from the findings' own thresholds, else 90 %. */
  static Diagnoser.Thresholds thresholds(Inputs in, List<Diagnoser.Finding> findings) {
    double memory = in.decimal("memory_threshold_pct", thresholdOf(findings, Diagnoser.NODE_MEMORY_HIGH,
        Diagnoser.Thresholds.DEFAULT.memoryPct()));
    double cpu = in.decimal("cpu_threshold_pct", thresholdOf(findings, Diagnoser.NODE_CPU_HIGH,
        Diagnoser.Thresholds.DEFAULT.cpuPct()));
    try {
      return new Diagnoser.Thresholds(memory, cpu);
    } catch (IllegalArgumentException e) {
      throw SkillException.permanent(e.getMessage());
    }
  }

  private static double thresholdOf(List<Diagnoser.Finding> findings, String kind, double fallback) {
    return findings.stream().filter(f -> f.kind().equals(kind) && f.threshold() != null)
        .mapToDouble(Diagnoser.Finding::threshold).findFirst().orElse(fallback);
  }

  static List<Diagnoser.Finding> findings(Inputs in, boolean required) {
    if (!required && !in.has("findings")) {
      return List.of();
    }
    JsonArray list = in.array("findings");
    try {
      return Diagnoser.Finding.listFromJson(list);
    } catch (IllegalArgumentException e) {
      throw SkillException.permanent(e.getMessage());
    }
  }

  /** Finds what is wrong with the node or VM in focus (or the VMs the alert names), and the nodes' load. */
  static final class Diagnose extends BaseSkill {

    private final Diagnoser diagnoser = new Diagnoser();

    Diagnose() {
      super("diagnose", "diagnosis");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      Diagnoser.Focus focus = new Diagnoser.Focus(in.string("node", null), in.optionalInteger("vmid"),
          Diagnoser.vmidsNamedBy(in.optionalObject("alert")));
      Diagnoser.Thresholds thresholds = thresholds(in, List.of());
      task.progress("reading the cluster's nodes and VMs");
      return snapshot(task).map(s -> {
        Diagnoser.Diagnosis diagnosis = diagnoser.diagnose(s.nodes(), s.vms(), focus, thresholds);
        task.progress(diagnosis.summary());
        return diagnosis.toJson();
      });
    }
  }

  /**
   * Acts on diagnose's findings, one after the other, waiting for each task: a stopped VM is
   * started; one VM is moved off each node hot by memory or CPU, to the node {@link RebalancePlanner#relieve}
   * picks; an offline node needs a person. Findings no longer true are skipped (status
   * {@code resolved} or {@code already_running}), so running it again is safe.
   */
  static final class Remediate extends BaseSkill {

    private final Duration taskWait;
    private final RebalancePlanner planner = new RebalancePlanner();

    Remediate(Duration taskWait) {
      super("remediate", "remediation");
      this.taskWait = taskWait;
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      List<Diagnoser.Finding> findings = findings(in, true);
      Diagnoser.Thresholds thresholds = thresholds(in, findings);
      JsonArray actions = new JsonArray();
      List<String> done = new ArrayList<>();
      Set<String> relievedNodes = new HashSet<>();
      return sequentially(findings, finding -> switch (finding.kind()) {
        case Diagnoser.VM_STOPPED -> startVm(task, finding, actions, done);
        case Diagnoser.NODE_MEMORY_HIGH, Diagnoser.NODE_CPU_HIGH -> {
          if (!relievedNodes.add(finding.node())) {
            yield Future.succeededFuture(); // one VM per hot node, even when it is hot twice
          }
          yield relieve(task, finding, thresholds, actions, done);
        }
        default -> {
          actions.add(new JsonObject().put("kind", "none").put("node", finding.node()).put("status", "needs_operator")
              .put("message", finding.node() + " is offline: nothing can be done from here; bring the host back"));
          yield Future.succeededFuture();
        }
      }).recover(e -> Future.failedFuture(asSkillException(e).withContext("remediation stopped"
          + (done.isEmpty() ? "" : " after: " + String.join("; ", done)))))
          .map(v -> new JsonObject().put("actions", actions).put("summary", done.isEmpty()
              ? (findings.isEmpty() ? "nothing to remediate: no findings" : "nothing was changed")
              : String.join("; ", done)));
    }

    private Future<Void> startVm(TaskContext task, Diagnoser.Finding finding, JsonArray actions, List<String> done) {
      long vmid = finding.vmid() == null ? 0 : finding.vmid();
      if (vmid <= 0) {
        return Future.failedFuture(SkillException.permanent("a vm_stopped finding has no vmid: " + finding.message()));
      }
      return proxmox(task, "get_vm_status", new JsonObject().put("vmid", vmid)).compose(status -> {
        String node = status.getString("node", finding.node());
        if ("running".equals(status.getString("status"))) {
          actions.add(new JsonObject().put("kind", "start_vm").put("vmid", vmid).put("node", node)
              .put("status", "already_running"));
          return Future.<Void>succeededFuture();
        }
        task.progress("starting VM " + vmid + " on " + node);
        return proxmox(task, "start_vm", new JsonObject().put("vmid", vmid).put("node", node))
            .compose(started -> waitTask(task, started.getString("upid"), taskWait).map(ok -> {
              actions.add(new JsonObject().put("kind", "start_vm").put("vmid", vmid).put("node", node)
                  .put("upid", started.getString("upid")).put("status", "OK"));
              done.add("started VM " + vmid + " on " + node);
              task.progress("VM " + vmid + " on " + node + " started");
              return (Void) null;
            }))
            .recover(e -> Future.failedFuture(asSkillException(e).withContext("starting VM " + vmid + " on " + node)));
      });
    }

    private Future<Void> relieve(TaskContext task, Diagnoser.Finding finding, Diagnoser.Thresholds thresholds,
                                 JsonArray actions, List<String> done) {
      String node = finding.node();
      boolean byCpu = finding.kind().equals(Diagnoser.NODE_CPU_HIGH);
      return snapshot(task).compose(s -> {
        ClusterNode now = s.nodes().stream().filter(n -> n.node().equals(node)).findFirst().orElse(null);
        if (now == null || !now.online()) {
          actions.add(new JsonObject().put("kind", "none").put("node", node).put("status", "skipped")
              .put("message", node + " is " + (now == null ? "not in the cluster" : now.status()) + " now"));
          return Future.succeededFuture();
        }
        double value = byCpu ? now.cpuPct() : now.memPct();
        double limit = byCpu ? thresholds.cpuPct() : thresholds.memoryPct();
        if (value <= limit) {
          actions.add(new JsonObject().put("kind", "none").put("node", node).put("status", "resolved")
              .put("message", node + (byCpu ? " CPU" : " memory") + " is at " + Numbers.pct(value) + "% now"));
          return Future.succeededFuture();
        }
        RebalancePlanner.Relief relief = planner.relieve(s.nodes(), s.vms(), node, thresholds.memoryPct(), byCpu);
        if (relief.migration() == null) {
          actions.add(new JsonObject().put("kind", "none").put("node", node).put("status", "no_move")
              .put("message", relief.reason()));
          done.add("could not relieve " + node + ": " + relief.reason());
          return Future.succeededFuture();
        }
        RebalancePlanner.Migration m = relief.migration();
        String what = "VM " + m.vmid() + (m.name() == null ? "" : " (" + m.name() + ")") + " from " + m.from() + " to " + m.to();
        task.progress("moving " + what + " (" + node + (byCpu ? " CPU" : " memory") + " at " + Numbers.pct(value) + "%)");
        return proxmox(task, "migrate_vm", new JsonObject().put("vmid", m.vmid()).put("node", m.from())
            .put("target_node", m.to()))
            .compose(started -> waitTask(task, started.getString("upid"), taskWait).map(ok -> {
              actions.add(new JsonObject().put("kind", "migrate_vm").put("vmid", m.vmid()).put("node", m.from())
                  .put("target_node", m.to()).put("upid", started.getString("upid")).put("status", "OK"));
              done.add("moved " + what);
              task.progress("moved " + what);
              return (Void) null;
            }))
            .recover(e -> Future.failedFuture(asSkillException(e).withContext("moving " + what)));
      });
    }
  }

  /**
   * Diagnoses again and fails, retryably, while any of the original findings is still true (or,
   * without findings, while anything in focus is wrong); answers {healthy: true, findings: []} once
   * they are gone, listing anything else now wrong under {@code other_findings}.
   */
  static final class VerifyHealth extends BaseSkill {

    private final Diagnoser diagnoser = new Diagnoser();

    VerifyHealth() {
      super("verify_health", "diagnosis");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      List<Diagnoser.Finding> original = findings(in, false);
      Diagnoser.Thresholds thresholds = thresholds(in, original);
      Set<Long> vmids = new LinkedHashSet<>();
      original.stream().filter(f -> f.vmid() != null).forEach(f -> vmids.add(f.vmid()));
      Diagnoser.Focus focus = new Diagnoser.Focus(in.string("node", null), in.optionalInteger("vmid"), vmids);
      return snapshot(task).map(s -> {
        Diagnoser.Diagnosis now = diagnoser.diagnose(s.nodes(), s.vms(), focus, thresholds);
        List<Diagnoser.Finding> still = original.isEmpty() ? now.findings()
            : now.findings().stream().filter(f -> original.stream().anyMatch(f::sameProblem)).toList();
        if (!still.isEmpty()) {
          throw SkillException.retryable("still wrong: " + String.join("; ",
              still.stream().map(Diagnoser::shortText).toList()));
        }
        JsonArray others = new JsonArray();
        now.findings().forEach(f -> others.add(f.toJson()));
        String summary = original.isEmpty() ? now.summary()
            : "resolved: " + String.join("; ", original.stream().map(Diagnoser::shortText).toList());
        if (!others.isEmpty()) {
          summary += " (also wrong now: " + String.join("; ", now.findings().stream().map(Diagnoser::shortText).toList())
              + ")";
        }
        task.progress(summary);
        JsonObject out = new JsonObject().put("healthy", true).put("findings", new JsonArray()).put("summary", summary);
        if (!others.isEmpty()) {
          out.put("other_findings", others);
        }
        return out;
      });
    }
  }
}
