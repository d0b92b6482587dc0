package io.agentnet.agents.specialist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VM life-cycle skills: {@code validate_placement}, {@code create_vm}, {@code wait_task},
 * {@code start_vm}, {@code verify_vm} and {@code remove_vm}.
 */
final class ProvisioningSkills {

  private ProvisioningSkills() {
  }

  static List<Skill> all(Duration taskWait) {
    return List.of(new ValidatePlacement(), new CreateVm(), new WaitTask(taskWait), new StartVm(), new VerifyVm(),
        new RemoveVm(taskWait));
  }

  /** Whether a VM of the requested size fits (on the named node, or on the best one); see {@link PlacementValidator}. */
  static final class ValidatePlacement extends BaseSkill {

    private final PlacementValidator validator = new PlacementValidator();

    ValidatePlacement() {
      super("validate_placement", "validation");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      PlacementValidator.Request request;
      try {
        request = new PlacementValidator.Request((int) in.integer("cores"), in.integer("memory_mb"),
            in.integer("disk_gb"), in.string("node", null), in.string("storage", null));
      } catch (IllegalArgumentException e) {
        throw SkillException.permanent(action() + ": " + e.getMessage());
      }
      task.progress("checking where " + request.describe() + " fits");
      return proxmox(task, "list_nodes", new JsonObject()).compose(result -> {
        List<ClusterNode> nodes = ClusterNode.listFromJson(array(result, "nodes", "list_nodes"));
        return storageAvail(task, nodes, request).map(storage -> {
          PlacementValidator.Decision decision = validator.validate(nodes, storage, request);
          if (!decision.fits()) {
            throw SkillException.permanent(decision.reason());
          }
          task.progress(decision.reason());
          return decision.toJson();
        });
      });
    }

    /** The named storage's free bytes per online node in question (none asked for: an empty map). */
    private Future<Map<String, Long>> storageAvail(TaskContext task, List<ClusterNode> nodes,
                                                   PlacementValidator.Request request) {
      Map<String, Long> avail = new LinkedHashMap<>();
      if (request.storage() == null) {
        return Future.succeededFuture(avail);
      }
      List<String> asked = nodes.stream().filter(ClusterNode::online).map(ClusterNode::node)
          .filter(n -> request.node() == null || n.equals(request.node())).toList();
      return sequentially(asked, node -> proxmox(task, "list_storage", new JsonObject().put("node", node))
          .map(result -> {
            for (Object entry : array(result, "storage", "list_storage")) {
              if (entry instanceof JsonObject s && request.storage().equals(s.getString("storage"))) {
                avail.put(node, Numbers.integer(s.getValue("avail")));
              }
            }
            return null;
          })).map(v -> avail);
    }
  }

  /** Creates a VM, or clones it from {@code template_vmid} onto the node; answers {node, vmid, upid}. */
  static final class CreateVm extends BaseSkill {

    CreateVm() {
      super("create_vm", "provisioning");
    }

    /** How often a creation that lost the race for a free VM id takes the next one. */
    private static final int ID_RACE_TRIES = 5;

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      return attempt(task, in, ID_RACE_TRIES);
    }

    private Future<JsonObject> attempt(TaskContext task, Inputs in, int triesLeft) {
      String node = in.string("node");
      String name = in.string("name");
      Long template = in.optionalInteger("template_vmid");
      Future<JsonObject> started;
      if (template != null) {
        task.progress("cloning template " + template + " to " + name + " on " + node);
        // A full clone: a linked clone cannot live on another node's local storage.
        JsonObject args = new JsonObject().put("vmid", template).put("name", name).put("target_node", node)
            .put("full", true);
        started = proxmox(task, "clone_vm", args).map(r -> new JsonObject().put("node", node)
            .put("vmid", r.getValue("newid")).put("upid", r.getString("upid")).put("cloned_from", template));
      } else {
        task.progress("creating " + name + " on " + node);
        JsonObject args = new JsonObject().put("node", node).put("name", name);
        copyInteger(in, args, "cores", "cores");
        copyInteger(in, args, "memory_mb", "memory_mb");
        copyInteger(in, args, "disk_gb", "disk_gb");
        if (in.has("storage")) {
          args.put("storage", in.string("storage"));
        }
        started = proxmox(task, "create_vm", args).map(r -> new JsonObject().put("node", node)
            .put("vmid", r.getValue("vmid")).put("upid", r.getString("upid")));
      }
      return started.recover(e -> {
        // Two creations raced for the same free VM id (next_vmid then create is not atomic in PVE):
        // the losing one created nothing, so it simply asks for the next free id again.
        if (e instanceof SkillException se && !se.retryable() && se.getMessage().contains("already exists")) {
          if (triesLeft > 1 && !task.cancelled()) {
            task.progress("the VM id was taken meanwhile; taking the next free one");
            return attempt(task, in, triesLeft - 1);
          }
          return Future.failedFuture(SkillException.retryable(se.getMessage()));
        }
        return Future.failedFuture(e);
      }).map(out -> {
        task.progress("VM " + out.getValue("vmid") + " is being created: task " + out.getString("upid"));
        return out;
      });
    }

    private static void copyInteger(Inputs in, JsonObject args, String input, String argument) {
      if (in.has(input)) {
        args.put(argument, in.integer(input));
      }
    }
  }

  /**
   * Waits for a Proxmox task; answers {node, upid, exitstatus: "OK"}. The UPID names the task's
   * node, so the {@code node} input only labels the output (a clone's task runs on the source's
   * node, not on the new VM's).
   */
  static final class WaitTask extends BaseSkill {

    private final Duration defaultTimeout;

    WaitTask(Duration defaultTimeout) {
      super("wait_task", "provisioning");
      this.defaultTimeout = defaultTimeout;
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      String upid = in.string("upid");
      if (upidNode(upid) == null) {
        throw SkillException.permanent("wait_task: \"" + upid + "\" is not a Proxmox task id (UPID:node:...)");
      }
      Duration timeout = in.has("timeout_seconds") ? Duration.ofSeconds(in.integer("timeout_seconds")) : defaultTimeout;
      String node = in.string("node", upidNode(upid));
      task.progress("waiting up to " + timeout.toSeconds() + " s for task " + upid);
      return waitTask(task, upid, timeout).map(done -> {
        task.progress("task " + upid + " finished OK");
        return new JsonObject().put("node", node).put("upid", upid).put("exitstatus", "OK");
      });
    }
  }

  /** Starts a VM; answers {node, vmid, upid} (follow it with wait_task). */
  static final class StartVm extends BaseSkill {

    StartVm() {
      super("start_vm", "provisioning");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      long vmid = in.integer("vmid");
      String node = in.string("node", null);
      task.progress("starting VM " + vmid + (node == null ? "" : " on " + node));
      JsonObject args = new JsonObject().put("vmid", vmid);
      if (node != null) {
        args.put("node", node);
      }
      return proxmox(task, "start_vm", args).map(r -> new JsonObject().put("node", r.getString("node", node))
          .put("vmid", vmid).put("upid", r.getString("upid")));
    }
  }

  /** Checks a VM's status; not the expected one yet is a retryable failure. */
  static final class VerifyVm extends BaseSkill {

    VerifyVm() {
      super("verify_vm", "validation");
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      long vmid = in.integer("vmid");
      String node = in.string("node", null);
      String expected = in.string("expect_status", "running");
      JsonObject args = new JsonObject().put("vmid", vmid);
      if (node != null) {
        args.put("node", node);
      }
      return proxmox(task, "get_vm_status", args).map(status -> {
        String actual = status.getString("status", "unknown");
        String where = status.getString("node", node);
        if (!expected.equals(actual)) {
          throw SkillException.retryable("VM " + vmid + " on " + where + " is " + actual + ", expected " + expected);
        }
        task.progress("VM " + vmid + " on " + where + " is " + actual);
        return new JsonObject().put("node", where).put("vmid", vmid).put("status", actual);
      });
    }
  }

  /**
   * Removes a VM: stops it when running (stop_vm with confirm), deletes it with its disks
   * (delete_vm with confirm and purge), waiting for each task. A VM that is already gone counts as
   * removed, so a retried step does not fail on its own earlier success.
   */
  static final class RemoveVm extends BaseSkill {

    private final Duration taskWait;

    RemoveVm(Duration taskWait) {
      super("remove_vm", "provisioning");
      this.taskWait = taskWait;
    }

    @Override
    Future<JsonObject> execute(TaskContext task, Inputs in) {
      long vmid = in.integer("vmid");
      String node = in.string("node", null);
      return status(task, vmid, node).compose(status -> {
        if (status == null) {
          task.progress("VM " + vmid + " does not exist: nothing to remove");
          return Future.succeededFuture(new JsonObject().put("vmid", vmid).put("removed", true)
              .put("already_absent", true));
        }
        String where = status.getString("node");
        List<String> steps = new ArrayList<>();
        Future<Void> stopped = Future.succeededFuture();
        if ("running".equals(status.getString("status"))) {
          task.progress("stopping VM " + vmid + " on " + where);
          stopped = proxmox(task, "stop_vm", new JsonObject().put("vmid", vmid).put("node", where).put("confirm", true))
              .compose(r -> waitTask(task, r.getString("upid"), taskWait))
              .map(done -> {
                steps.add("stopped");
                return null;
              });
        }
        return stopped.compose(v -> {
          task.progress("deleting VM " + vmid + " on " + where);
          return proxmox(task, "delete_vm", new JsonObject().put("vmid", vmid).put("node", where).put("purge", true)
              .put("confirm", true));
        }).compose(r -> waitTask(task, r.getString("upid"), taskWait)).map(done -> {
          steps.add("deleted");
          task.progress("VM " + vmid + " removed from " + where);
          return new JsonObject().put("vmid", vmid).put("node", where).put("removed", true)
              .put("steps", new JsonArray(steps));
        }).recover(e -> Future.failedFuture(asSkillException(e).withContext("removing VM " + vmid + " on " + where)));
      });
    }

    /** The VM's status, or null when it does not exist (looked up in the whole cluster if not on the node given). */
    private Future<JsonObject> status(TaskContext task, long vmid, String node) {
      JsonObject args = new JsonObject().put("vmid", vmid);
      if (node != null) {
        args.put("node", node);
      }
      return proxmox(task, "get_vm_status", args).recover(e -> {
        if (e instanceof SkillException se && !se.retryable() && se.getMessage().contains("does not exist")) {
          return node == null ? Future.succeededFuture(null) : status(task, vmid, null);
        }
        return Future.failedFuture(e);
      });
    }
  }
}
