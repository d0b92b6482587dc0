package io.agentnet.agents.specialist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * What the catalogue's skills share: reading inputs with clear errors, a cancellation check before
 * every tool call, waiting for Proxmox tasks, and turning anything unexpected into a permanent
 * {@link SkillException} instead of an exception nobody can read.
 */
abstract class BaseSkill implements Skill {

  static final String PROXMOX = "proxmox";

  private final String action;
  private final String capability;

  BaseSkill(String action, String capability) {
    this.action = action;
    this.capability = capability;
  }

  @Override
  public final String action() {
    return action;
  }

  @Override
  public final String capability() {
    return capability;
  }

  @Override
  public final Future<JsonObject> run(TaskContext task) {
    Future<JsonObject> result;
    try {
      result = execute(task, new Inputs(action, task.inputs()));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.recover(e -> Future.failedFuture(asSkillException(e)));
  }

  /** The skill's work; may throw a SkillException for bad input. */
  abstract Future<JsonObject> execute(TaskContext task, Inputs in);

  SkillException asSkillException(Throwable e) {
    if (e instanceof SkillException se) {
      return se;
    }
    if (e instanceof IllegalArgumentException) {
      // The logic classes refuse input they cannot work with, in words meant for people.
      return SkillException.permanent(action + ": " + e.getMessage());
    }
    return SkillException.permanent(action + " failed unexpectedly: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " " + e.getMessage()));
  }

  /** A proxmox tool call, unless the task was cancelled meanwhile. */
  static Future<JsonObject> proxmox(TaskContext task, String tool, JsonObject arguments) {
    if (task.cancelled()) {
      return Future.failedFuture(SkillException.cancelled());
    }
    return task.callTool(PROXMOX, tool, arguments);
  }

  /**
   * Waits for a Proxmox task with {@code wait_for_task}. A task that ended with an error fails
   * permanently with PVE's exit status; one still running at the timeout fails retryably (it goes
   * on, and waiting again may see it end).
   */
  static Future<JsonObject> waitTask(TaskContext task, String upid, Duration timeout) {
    long seconds = Math.max(1, Math.min(3600, timeout.toSeconds()));
    return proxmox(task, "wait_for_task", new JsonObject().put("upid", upid).put("timeout_seconds", seconds))
        .recover(e -> {
          if (e instanceof SkillException se && !se.retryable() && !se.isCancellation()
              && se.getMessage().contains("still running after")) {
            return Future.failedFuture(SkillException.retryable(se.getMessage()));
          }
          return Future.failedFuture(e);
        })
        .map(done -> {
          String exit = done.getString("exitstatus", "");
          if (!"OK".equals(exit)) {
            // wait_for_task reports failed tasks as tool errors; this guards a server that does not.
            throw SkillException.permanent("task " + upid + " failed: " + (exit.isEmpty() ? "no exit status" : exit));
          }
          return done;
        });
  }

  /** The node in a UPID ({@code UPID:node:...}), or null when it is not one. */
  static String upidNode(String upid) {
    String[] parts = upid == null ? new String[0] : upid.split(":");
    return parts.length > 2 && parts[0].equals("UPID") && !parts[1].isEmpty() ? parts[1] : null;
  }

  /** The nodes and VMs (templates too) as list_nodes and list_vms report them now. */
  record Snapshot(List<ClusterNode> nodes, List<ClusterVm> vms) {
  }

  static Future<Snapshot> snapshot(TaskContext task) {
    return proxmox(task, "list_nodes", new JsonObject())
        .compose(nodes -> proxmox(task, "list_vms", new JsonObject())
            .map(vms -> new Snapshot(ClusterNode.listFromJson(array(nodes, "nodes", "list_nodes")),
                ClusterVm.listFromJson(array(vms, "vms", "list_vms")))));
  }

  static JsonArray array(JsonObject result, String field, String tool) {
    if (result.getValue(field) instanceof JsonArray a) {
      return a;
    }
    throw SkillException.permanent(tool + " answered without a \"" + field + "\" list: " + abbreviate(result.encode()));
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }

  /** Runs {@code step} for each item in turn, each starting only after the one before has succeeded. */
  static <T> Future<Void> sequentially(List<T> items, java.util.function.Function<T, Future<?>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item).mapEmpty());
    }
    return chain;
  }
}
