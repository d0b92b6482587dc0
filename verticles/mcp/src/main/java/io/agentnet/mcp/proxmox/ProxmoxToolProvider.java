package io.agentnet.mcp.proxmox;

import io.agentnet.mcp.proxmox.client.ProxmoxClient;
import io.agentnet.mcp.proxmox.client.ProxmoxException;
import io.agentnet.mcp.proxmox.client.ProxmoxJson;
import io.agentnet.mcp.proxmox.client.ProxmoxOptions;
import io.agentnet.mcp.proxmox.simulator.ProxmoxSimulator;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.agentnet.runtime.mcp.Schemas;
import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolAnnotations;
import io.agentnet.runtime.mcp.ToolCall;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolProvider;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The {@code proxmox} MCP server: nodes, VMs, storage, cluster state and tasks of a Proxmox VE
 * cluster through its REST API. Every tool is asynchronous (no thread is blocked while PVE works);
 * actions return the task's UPID so callers can follow it with {@code wait_for_task}. Destructive
 * actions need {@code confirm: true}; the node and VM id allow-lists are checked before acting.
 */
public final class ProxmoxToolProvider implements ToolProvider {

  private static final Logger LOG = LoggerFactory.getLogger(ProxmoxToolProvider.class);
  private static final long MAX_VMID = 999_999_999L;

  private final ProxmoxClient client;
  private final AccessPolicy policy;
  private final ProxmoxSimulator simulator;
  private final List<Tool> tools;

  /** Tools on a client for the given options (allow-lists from the options too). */
  public ProxmoxToolProvider(ProxmoxOptions options) {
    this(new ProxmoxClient(options), null);
  }

  /** Tools on an existing client; the allow-lists come from its options. */
  public ProxmoxToolProvider(ProxmoxClient client) {
    this(client, null);
  }

  private ProxmoxToolProvider(ProxmoxClient client, ProxmoxSimulator simulator) {
    this.client = client;
    this.simulator = simulator;
    this.policy = new AccessPolicy(client.options().allowedNodes(), client.options().allowedVmids());
    this.tools = List.of(listNodes(), getNodeStatus(), listVms(), getVmStatus(), getVmConfig(),
        power("start_vm", "Start VM", "start", false),
        power("stop_vm", "Stop VM", "stop", true),
        power("shutdown_vm", "Shut down VM", "shutdown", true),
        power("reboot_vm", "Reboot VM", "reboot", true),
        createVm(), cloneVm(), deleteVm(), migrateVm(), listStorage(), getClusterStatus(), getClusterResources(), nextVmid(),
        getTaskStatus(), waitForTask(), executeVmCommand());
  }

  /**
   * The provider for these options; when no host is configured, starts a {@link ProxmoxSimulator}
   * on a free local port and points the tools at it (closed again by {@link #close()}). The
   * simulator keeps the allow-lists of {@code options}.
   */
  public static Future<ProxmoxToolProvider> create(Vertx vertx, ProxmoxOptions options) {
    return create(vertx, options, new SimulatorOptions());
  }

  /**
   * As {@link #create(Vertx, ProxmoxOptions)}, with the simulator (when one is needed) started with
   * {@code simulatorOptions}. Credentials set in {@code options} (PROXMOX_USER, PROXMOX_TOKEN_NAME,
   * PROXMOX_TOKEN_VALUE, PROXMOX_PASSWORD) become the simulator's, so a test in another process
   * that set them can call the simulator (and its control API) too; otherwise they are random.
   */
  public static Future<ProxmoxToolProvider> create(Vertx vertx, ProxmoxOptions options, SimulatorOptions simulatorOptions) {
    if (options.host() != null && !options.host().isBlank()) {
      return Future.succeededFuture(new ProxmoxToolProvider(options));
    }
    if (options.tokenName() != null && options.tokenValue() != null) {
      simulatorOptions.user(options.user()).tokenName(options.tokenName()).tokenValue(options.tokenValue());
    }
    if (options.password() != null) {
      simulatorOptions.user(options.user()).password(options.password());
    }
    return ProxmoxSimulator.start(vertx, simulatorOptions).map(sim -> {
      LOG.warn("PROXMOX_HOST is not set: the proxmox tools act on the built-in simulator at 127.0.0.1:{}", sim.port());
      ProxmoxOptions simOptions = sim.clientOptions()
          .allowedNodes(options.allowedNodes())
          .allowedVmids(options.allowedVmids());
      return new ProxmoxToolProvider(new ProxmoxClient(simOptions), sim);
    });
  }

  @Override
  public String serverName() {
    return "proxmox";
  }

  @Override
  public String instructions() {
    return "Tools for a Proxmox VE cluster. Actions (start_vm, create_vm, ...) return a task id (UPID): "
        + "follow it with wait_for_task before relying on the result. stop_vm, shutdown_vm, reboot_vm, delete_vm "
        + "and execute_vm_command need confirm: true; migrate_vm does not (the VM keeps its disks and, when running, keeps "
        + "running). A VM's node may be omitted; it is looked up in the cluster.";
  }

  @Override
  public List<Tool> tools() {
    return tools;
  }

  /** The simulator behind the tools when no host was configured, or null. */
  public ProxmoxSimulator simulator() {
    return simulator;
  }

  @Override
  public void close() {
    if (simulator != null) {
      simulator.close();
    }
  }

  // ---- schemas --------------------------------------------------------------------------------

  private static JsonObject nodeArg() {
    return Schemas.string("Node name, e.g. pve1");
  }

  private static JsonObject vmidArg() {
    return Schemas.integer("VM id", 100, MAX_VMID);
  }

  private static JsonObject optionalNodeArg() {
    return Schemas.string("Node the VM is on; looked up in the cluster when omitted");
  }

  private static JsonObject confirmArg(String what) {
    return Schemas.bool("Must be true to " + what);
  }

  private static JsonObject listOf(String field, String description) {
    return Schemas.object().required(field, Schemas.array(Schemas.anyObject(null), description))
        .additionalProperties(true).build();
  }

  private static JsonObject taskResultSchema() {
    return Schemas.object()
        .required("node", Schemas.string("Node running the task"))
        .required("vmid", Schemas.integer("VM id"))
        .required("upid", Schemas.string("Task id; follow it with wait_for_task"))
        .additionalProperties(true).build();
  }

  // ---- read-only tools ------------------------------------------------------------------------

  private Tool listNodes() {
    return Tool.builder("list_nodes").title("List nodes")
        .description("List the cluster's nodes with their status, CPU, memory and disk use.")
        .input(Schemas.object().build())
        .output(listOf("nodes", "Nodes as PVE reports them (node, status, cpu, mem, maxmem, ...)"))
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> client.getArray("/nodes", null)
            .thenApply(nodes -> {
              JsonArray allowed = policy.filter(nodes);
              return ToolResult.structured(new JsonObject().put("nodes", allowed), summary(allowed, "node", "status"));
            })))
        .build();
  }

  private Tool getNodeStatus() {
    return Tool.builder("get_node_status").title("Get node status")
        .description("Get a node's detailed status: CPU, load, memory, swap, root disk, uptime and versions.")
        .input(Schemas.object().required("node", nodeArg()).build())
        .output(Schemas.object().required("node", Schemas.string("Node name")).additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          String node = call.string("node");
          policy.checkNode(node);
          return client.getObject(ProxmoxClient.path("nodes", node, "status"), null)
              .thenApply(status -> ToolResult.structured(status.copy().put("node", node)));
        }))
        .build();
  }

  private Tool listVms() {
    return Tool.builder("list_vms").title("List VMs")
        .description("List QEMU VMs with status and resource use, on one node or (without node) on the whole cluster.")
        .input(Schemas.object().optional("node", Schemas.string("Only VMs on this node")).build())
        .output(listOf("vms", "VMs as PVE reports them, each with its node"))
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          String node = call.string("node", null);
          CompletableFuture<JsonArray> vms;
          if (node != null) {
            policy.checkNode(node);
            vms = client.getArray(ProxmoxClient.path("nodes", node, "qemu"), null).thenApply(list -> {
              list.forEach(v -> ((JsonObject) v).put("node", node));
              return list;
            });
          } else {
            vms = client.getArray("/cluster/resources", Map.of("type", "vm")).thenApply(list -> {
              JsonArray qemu = new JsonArray();
              list.forEach(v -> {
                if ("qemu".equals(((JsonObject) v).getString("type"))) {
                  qemu.add(v);
                }
              });
              return qemu;
            });
          }
          return vms.thenApply(list -> {
            JsonArray allowed = policy.filter(list);
            return ToolResult.structured(new JsonObject().put("vms", allowed), summary(allowed, "vmid", "name", "node", "status"));
          });
        }))
        .build();
  }

  private Tool getVmStatus() {
    return Tool.builder("get_vm_status").title("Get VM status")
        .description("Get a VM's current status: running or stopped, uptime, CPU and memory use, guest agent and HA state.")
        .input(Schemas.object().required("vmid", vmidArg()).optional("node", optionalNodeArg()).build())
        .output(Schemas.object().required("node", Schemas.string(null)).required("vmid", Schemas.integer(null))
            .required("status", Schemas.string("running or stopped")).additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          long vmid = vmid(call);
          return locate(call, vmid).thenCompose(node ->
              client.getObject(ProxmoxClient.path("nodes", node, "qemu", vmid, "status", "current"), null)
                  .thenApply(status -> {
                    JsonObject out = status.copy().put("node", node).put("vmid", vmid);
                    out.put("agent", ProxmoxJson.bool(status.getValue("agent")));
                    if (status.containsKey("template")) {
                      out.put("template", ProxmoxJson.bool(status.getValue("template")));
                    }
                    return ToolResult.structured(out);
                  }));
        }))
        .build();
  }

  private Tool getVmConfig() {
    return Tool.builder("get_vm_config").title("Get VM config")
        .description("Get a VM's configuration (name, memory, cores, disks, network devices, boot order, ...).")
        .input(Schemas.object().required("vmid", vmidArg()).optional("node", optionalNodeArg()).build())
        .output(Schemas.object().required("node", Schemas.string(null)).required("vmid", Schemas.integer(null))
            .required("config", Schemas.anyObject("The VM's config as PVE returns it")).additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          long vmid = vmid(call);
          return locate(call, vmid).thenCompose(node ->
              client.getObject(ProxmoxClient.path("nodes", node, "qemu", vmid, "config"), null)
                  .thenApply(config -> ToolResult.structured(new JsonObject().put("node", node).put("vmid", vmid)
                      .put("config", config))));
        }))
        .build();
  }

  private Tool listStorage() {
    return Tool.builder("list_storage").title("List storage")
        .description("List a node's storage with type, content types and space used and available.")
        .input(Schemas.object().required("node", nodeArg()).build())
        .output(listOf("storage", "Storage as PVE reports it (storage, type, content, total, used, avail, ...)"))
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          String node = call.string("node");
          policy.checkNode(node);
          return client.getArray(ProxmoxClient.path("nodes", node, "storage"), null)
              .thenApply(list -> ToolResult.structured(new JsonObject().put("node", node).put("storage", list),
                  summary(list, "storage", "type", "avail")));
        }))
        .build();
  }

  private Tool getClusterStatus() {
    return Tool.builder("get_cluster_status").title("Get cluster status")
        .description("Get the cluster's name, quorum and which nodes are online.")
        .input(Schemas.object().build())
        .output(Schemas.object().required("quorate", Schemas.bool("Whether the cluster has quorum"))
            .required("nodes", Schemas.array(Schemas.anyObject(null), "Cluster members (name, nodeid, ip, online)"))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> client.getArray("/cluster/status", null).thenApply(entries -> {
          JsonObject out = new JsonObject();
          JsonArray nodes = new JsonArray();
          boolean quorate = true;
          for (Object entry : entries) {
            JsonObject e = ((JsonObject) entry).copy();
            if ("cluster".equals(e.getString("type"))) {
              quorate = ProxmoxJson.bool(e.getValue("quorate"));
              out.put("cluster_name", e.getString("name"));
            } else if ("node".equals(e.getString("type"))) {
              e.put("online", ProxmoxJson.bool(e.getValue("online")));
              nodes.add(e);
            }
          }
          return ToolResult.structured(out.put("quorate", quorate).put("nodes", nodes));
        })))
        .build();
  }

  private Tool getClusterResources() {
    return Tool.builder("get_cluster_resources").title("Get cluster resources")
        .description("List the cluster's resources (VMs, containers, nodes, storage, SDN zones) with their state, "
            + "optionally of one type only.")
        .input(Schemas.object().optional("type", Schemas.enumOf("Only resources of this type", "vm", "storage", "node", "sdn"))
            .build())
        .output(listOf("resources", "Resources as PVE reports them (id, type, node, status, ...)"))
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          String type = call.string("type", null);
          return client.getArray("/cluster/resources", type == null ? null : Map.of("type", type))
              .thenApply(list -> ToolResult.structured(new JsonObject().put("resources", policy.filter(list))));
        }))
        .build();
  }

  private Tool nextVmid() {
    return Tool.builder("next_vmid").title("Next free VM id")
        .description("Get the next free VM id in the cluster (for create_vm or clone_vm).")
        .input(Schemas.object().build())
        .output(Schemas.object().required("vmid", Schemas.integer("The next free VM id")).additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> client.get("/cluster/nextid", null)
            .thenApply(id -> ToolResult.structured(new JsonObject().put("vmid", ProxmoxJson.number(id, -1))))))
        .build();
  }

  private Tool getTaskStatus() {
    return Tool.builder("get_task_status").title("Get task status")
        .description("Get a task's status by its UPID: running or stopped, and when stopped its exit status.")
        .input(Schemas.object().required("upid", Schemas.string("Task id (UPID:node:...) from an action"))
            .optional("node", Schemas.string("Node of the task; read from the UPID when omitted")).build())
        .output(Schemas.object().required("upid", Schemas.string(null)).required("status", Schemas.string("running or stopped"))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          String upid = call.string("upid");
          String node = taskNode(call, upid);
          return client.taskStatus(node, upid).thenApply(status -> {
            JsonObject out = status.copy().put("upid", upid).put("node", node);
            if ("stopped".equals(status.getString("status"))) {
              out.put("succeeded", "OK".equals(status.getString("exitstatus")));
            }
            return ToolResult.structured(out);
          });
        }))
        .build();
  }

  private Tool waitForTask() {
    return Tool.builder("wait_for_task").title("Wait for task")
        .description("Wait until a task (UPID) has finished, reporting progress, and return its exit status. "
            + "A failed task is an error with PVE's exit status.")
        .input(Schemas.object().required("upid", Schemas.string("Task id (UPID:node:...) from an action"))
            .optional("node", Schemas.string("Node of the task; read from the UPID when omitted"))
            .optional("timeout_seconds", Schemas.integer("How long to wait (default 120)", 1, 3600)).build())
        .output(Schemas.object().required("upid", Schemas.string(null)).required("node", Schemas.string(null))
            .required("exitstatus", Schemas.string("OK, or PVE's error text"))
            .required("succeeded", Schemas.bool("Whether the task ended OK"))
            .required("elapsed_seconds", Schemas.number("How long this call waited"))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .handler(call -> run(() -> {
          String upid = call.string("upid");
          String node = taskNode(call, upid);
          int timeout = call.integer("timeout_seconds", 120);
          long start = System.nanoTime();
          Context context = Vertx.currentContext();
          return client.waitForTask(node, upid, Duration.ofSeconds(timeout), (elapsed, status) ->
                  progress(context, call, seconds(elapsed), timeout,
                      "stopped".equals(status.getString("status")) ? "task finished" : "task running..."))
              .thenApply(status -> {
                String exit = status.getString("exitstatus", "");
                if (!"OK".equals(exit)) {
                  throw new ToolException("task " + upid + " failed: " + exit);
                }
                JsonObject out = status.copy().put("upid", upid).put("node", node).put("exitstatus", exit)
                    .put("succeeded", true).put("elapsed_seconds", seconds(Duration.ofNanos(System.nanoTime() - start)));
                return ToolResult.structured(out, "task " + upid + " finished OK");
              });
        }))
        .build();
  }

  // ---- actions --------------------------------------------------------------------------------

  private Tool power(String name, String title, String action, boolean destructive) {
    String effect = switch (action) {
      case "start" -> "start the VM";
      case "stop" -> "stop the VM at once, like pulling its power plug (unsaved data in the guest is lost)";
      case "shutdown" -> "ask the guest OS to shut down (ACPI or guest agent); its services stop";
      default -> "reboot the VM; its services are interrupted";
    };
    Schemas.ObjectSchema input = Schemas.object().required("vmid", vmidArg()).optional("node", optionalNodeArg());
    if (action.equals("shutdown")) {
      input.optional("timeout_seconds", Schemas.integer("How long the guest may take to shut down", 1, 3600))
          .optional("force_stop", Schemas.bool("Stop the VM hard when the guest has not shut down in time"));
    }
    if (destructive) {
      input.required("confirm", confirmArg(effect));
    }
    String description = switch (action) {
      case "start" -> "Start a stopped VM. Returns the task's UPID.";
      case "stop" -> "Stop a VM immediately, without shutting the guest down (like pulling the plug); needs confirm. "
          + "Returns the task's UPID.";
      case "shutdown" -> "Shut a VM down cleanly through its guest OS; needs confirm. Returns the task's UPID.";
      default -> "Reboot a running VM; needs confirm. Returns the task's UPID.";
    };
    return Tool.builder(name).title(title).description(description)
        .input(input.build())
        .output(taskResultSchema())
        .annotations(ToolAnnotations.mutating(destructive, true, true))
        .handler(call -> run(() -> {
          long vmid = vmid(call);
          if (destructive) {
            requireConfirm(call, name, "would " + effect.replace("the VM", "VM " + vmid));
          }
          Map<String, Object> params = new LinkedHashMap<>();
          if (call.has("timeout_seconds")) {
            params.put("timeout", call.integer("timeout_seconds"));
          }
          if (call.has("force_stop")) {
            params.put("forceStop", call.bool("force_stop", false));
          }
          return locate(call, vmid).thenCompose(node ->
              client.post(ProxmoxClient.path("nodes", node, "qemu", vmid, "status", action), params)
                  .thenApply(upid -> taskResult(node, vmid, upid, action)));
        }))
        .build();
  }

  private Tool createVm() {
    return Tool.builder("create_vm").title("Create VM")
        .description("Create a QEMU VM on a node with a new disk and a network device; takes the next free VM id "
            + "unless one is given. Returns the task's UPID.")
        .input(Schemas.object()
            .required("node", nodeArg())
            .required("name", Schemas.string("VM name (a DNS name: letters, digits, -)"))
            .optional("vmid", vmidArg())
            .optional("memory_mb", Schemas.integer("Memory in MiB (default 2048)", 16, 4 * 1024 * 1024))
            .optional("cores", Schemas.integer("CPU cores (default 2)", 1, 512))
            .optional("sockets", Schemas.integer("CPU sockets (default 1)", 1, 4))
            .optional("disk_gb", Schemas.integer("Size of the first disk in GiB (default 32)", 1, 65536))
            .optional("storage", Schemas.string("Storage for the disk (default local-lvm)"))
            .optional("bridge", Schemas.string("Network bridge (default vmbr0)"))
            .optional("ostype", Schemas.enumOf("Guest OS type (default l26)", "l26", "l24", "win11", "win10", "win8",
                "win7", "w2k8", "wxp", "w2k", "solaris", "other"))
            .optional("iso", Schemas.string("ISO volume to attach as CD-ROM, e.g. local:iso/debian-12.iso"))
            .optional("agent", Schemas.bool("Enable the QEMU guest agent (default true)"))
            .optional("start", Schemas.bool("Start the VM once created (default false)"))
            .build())
        .output(taskResultSchema())
        .annotations(ToolAnnotations.mutating(false, false, true))
        .handler(call -> run(() -> {
          String node = call.string("node");
          String name = call.string("name");
          if (!name.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw new ToolException("name \"" + name + "\" must be a DNS name: letters, digits, - and . (not at the ends)");
          }
          policy.checkNode(node);
          Long requested = call.longValue("vmid");
          if (requested != null) {
            policy.checkVmid(requested);
          }
          CompletableFuture<Long> vmidFuture = requested != null ? CompletableFuture.completedFuture(requested)
              : client.get("/cluster/nextid", null).thenApply(id -> {
                long next = ProxmoxJson.number(id, -1);
                if (!policy.vmidAllowed(next)) {
                  throw new ToolException("the next free VM id " + next + " is not allowed here; pass a vmid within "
                      + "PROXMOX_ALLOWED_VMIDS");
                }
                return next;
              });
          return vmidFuture.thenCompose(vmid -> {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("vmid", vmid);
            params.put("name", name);
            params.put("memory", call.integer("memory_mb", 2048));
            params.put("cores", call.integer("cores", 2));
            params.put("sockets", call.integer("sockets", 1));
            params.put("ostype", call.string("ostype", "l26"));
            params.put("scsihw", "virtio-scsi-single");
            params.put("scsi0", call.string("storage", "local-lvm") + ":" + call.integer("disk_gb", 32));
            params.put("net0", "virtio,bridge=" + call.string("bridge", "vmbr0"));
            if (call.has("iso")) {
              params.put("ide2", call.string("iso") + ",media=cdrom");
            }
            params.put("agent", call.bool("agent", true) ? 1 : 0);
            if (call.bool("start", false)) {
              params.put("start", 1);
            }
            return client.post(ProxmoxClient.path("nodes", node, "qemu"), params)
                .thenApply(upid -> taskResult(node, vmid, upid, "create"));
          });
        }))
        .build();
  }

  private Tool cloneVm() {
    return Tool.builder("clone_vm").title("Clone VM")
        .description("Clone a VM or template to a new VM id (the next free one unless given), optionally onto "
            + "another node. Returns the task's UPID.")
        .input(Schemas.object()
            .required("vmid", Schemas.integer("VM or template to clone", 100, MAX_VMID))
            .optional("node", optionalNodeArg())
            .optional("newid", Schemas.integer("VM id of the clone", 100, MAX_VMID))
            .optional("name", Schemas.string("Name of the clone"))
            .optional("target_node", Schemas.string("Node to put the clone on (default: the source's node)"))
            .optional("full", Schemas.bool("Full copy of the disks instead of a linked clone (templates only)"))
            .build())
        .output(taskResultSchema())
        .annotations(ToolAnnotations.mutating(false, false, true))
        .handler(call -> run(() -> {
          long vmid = vmid(call);
          Long newId = call.longValue("newid");
          if (newId != null) {
            policy.checkVmid(newId);
          }
          String target = call.string("target_node", null);
          if (target != null) {
            policy.checkNode(target);
          }
          CompletableFuture<Long> newIdFuture = newId != null ? CompletableFuture.completedFuture(newId)
              : client.get("/cluster/nextid", null).thenApply(id -> {
                long next = ProxmoxJson.number(id, -1);
                if (!policy.vmidAllowed(next)) {
                  throw new ToolException("the next free VM id " + next + " is not allowed here; pass a newid within "
                      + "PROXMOX_ALLOWED_VMIDS");
                }
                return next;
              });
          return locate(call, vmid).thenCompose(node -> newIdFuture.thenCompose(id -> {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("newid", id);
            if (call.has("name")) {
              params.put("name", call.string("name"));
            }
            if (target != null) {
              params.put("target", target);
            }
            if (call.has("full")) {
              params.put("full", call.bool("full", false));
            }
            return client.post(ProxmoxClient.path("nodes", node, "qemu", vmid, "clone"), params)
                .thenApply(upid -> {
                  ToolResult r = taskResult(node, vmid, upid, "clone");
                  JsonObject out = r.structured().copy().put("newid", id);
                  if (target != null) {
                    out.put("target_node", target);
                  }
                  return ToolResult.structured(out, "cloning VM " + vmid + " to " + id + ": task " + upid);
                });
          }));
        }))
        .build();
  }

  private Tool deleteVm() {
    String effect = "destroy the VM with its config and disks; this cannot be undone";
    return Tool.builder("delete_vm").title("Delete VM")
        .description("Destroy a stopped VM and its disks; needs confirm. Returns the task's UPID.")
        .input(Schemas.object().required("vmid", vmidArg()).optional("node", optionalNodeArg())
            .optional("purge", Schemas.bool("Also remove the VM from backup jobs, replication and HA"))
            .required("confirm", confirmArg(effect)).build())
        .output(taskResultSchema())
        .annotations(ToolAnnotations.mutating(true, false, true))
        .handler(call -> run(() -> {
          long vmid = vmid(call);
          requireConfirm(call, "delete_vm", "would " + effect.replace("the VM", "VM " + vmid));
          Map<String, Object> params = new LinkedHashMap<>();
          if (call.bool("purge", false)) {
            params.put("purge", 1);
          }
          return locate(call, vmid).thenCompose(node ->
              client.delete(ProxmoxClient.path("nodes", node, "qemu", vmid), params)
                  .thenApply(upid -> taskResult(node, vmid, upid, "delete")));
        }))
        .build();
  }

  /**
   * Migration is not destructive: the VM keeps its config and disks, and a running VM keeps running
   * (online migration), so no confirm is needed, as for start_vm. {@code confirm} is still accepted
   * (and ignored) so callers that confirm every action are not refused.
   */
  private Tool migrateVm() {
    return Tool.builder("migrate_vm").title("Migrate VM")
        .description("Move a VM to another node of the cluster; a running VM is migrated online (it keeps running). "
            + "Returns the task's UPID; the VM is on the target node once the task has finished.")
        .input(Schemas.object()
            .required("vmid", vmidArg())
            .optional("node", optionalNodeArg())
            .required("target_node", Schemas.string("Node to move the VM to"))
            .optional("online", Schemas.bool("Live-migrate a running VM (default: true when the VM is running); "
                + "a running VM cannot be migrated offline"))
            .optional("confirm", Schemas.bool("Not needed: migration destroys nothing; accepted and ignored"))
            .build())
        .output(Schemas.object()
            .required("node", Schemas.string("Node the VM moves from (where the task runs)"))
            .required("vmid", Schemas.integer("VM id"))
            .required("upid", Schemas.string("Task id; follow it with wait_for_task"))
            .required("target_node", Schemas.string("Node the VM moves to"))
            .required("online", Schemas.bool("Whether it is an online (live) migration"))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.mutating(false, false, true))
        .handler(call -> run(() -> {
          long vmid = vmid(call);
          String target = call.string("target_node");
          policy.checkNode(target);
          return locate(call, vmid).thenCompose(node -> {
            if (node.equals(target)) {
              throw new ToolException("VM " + vmid + " is already on " + target
                  + "; target_node must be another node (list_nodes shows the cluster's nodes)");
            }
            CompletableFuture<Boolean> online = call.has("online")
                ? CompletableFuture.completedFuture(call.bool("online", false))
                : client.getObject(ProxmoxClient.path("nodes", node, "qemu", vmid, "status", "current"), null)
                    .thenApply(status -> "running".equals(status.getString("status")));
            return online.thenCompose(live -> {
              Map<String, Object> params = new LinkedHashMap<>();
              params.put("target", target);
              params.put("online", live ? 1 : 0);
              return client.post(ProxmoxClient.path("nodes", node, "qemu", vmid, "migrate"), params)
                  .thenApply(upid -> {
                    JsonObject out = taskResult(node, vmid, upid, "migrate").structured().copy()
                        .put("target_node", target).put("online", live);
                    return ToolResult.structured(out, (live ? "online " : "") + "migration of VM " + vmid + " from "
                        + node + " to " + target + " started: task " + upid + " (follow it with wait_for_task)");
                  });
            });
          });
        }))
        .build();
  }

  private Tool executeVmCommand() {
    String effect = "run the command inside the VM's guest OS as root";
    return Tool.builder("execute_vm_command").title("Run command in VM")
        .description("Run a command inside a running VM through the QEMU guest agent and wait for it to exit; "
            + "returns exit code, stdout and stderr. No shell: pass the program and its arguments. Needs confirm.")
        .input(Schemas.object()
            .required("vmid", vmidArg())
            .optional("node", optionalNodeArg())
            .required("command", Schemas.array(new JsonObject().put("type", "string"),
                "Program and arguments, e.g. [\"systemctl\", \"status\", \"nginx\"]").put("minItems", 1))
            .optional("input_data", Schemas.string("Text passed to the command's stdin"))
            .optional("timeout_seconds", Schemas.integer("How long to wait for the command (default 60)", 1, 3600))
            .required("confirm", confirmArg(effect))
            .build())
        .output(Schemas.object()
            .required("node", Schemas.string(null)).required("vmid", Schemas.integer(null))
            .required("exitcode", Schemas.integer("The command's exit code"))
            .required("stdout", Schemas.string(null)).required("stderr", Schemas.string(null))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.mutating(true, false, true))
        .handler(call -> run(() -> {
          long vmid = vmid(call);
          List<String> command = call.strings("command");
          if (command.isEmpty() || command.get(0).isBlank()) {
            throw new ToolException("command must name a program, e.g. [\"uptime\"]");
          }
          requireConfirm(call, "execute_vm_command", "would " + effect.replace("the VM", "VM " + vmid) + ": "
              + String.join(" ", command));
          int timeout = call.integer("timeout_seconds", 60);
          Context context = Vertx.currentContext();
          return locate(call, vmid).thenCompose(node ->
              client.execInGuest(node, vmid, command, call.string("input_data", null), Duration.ofSeconds(timeout),
                      (elapsed, status) -> progress(context, call, seconds(elapsed), timeout,
                          ProxmoxJson.bool(status.getValue("exited")) ? "command exited" : "command running..."))
                  .thenApply(status -> {
                    JsonObject out = new JsonObject().put("node", node).put("vmid", vmid)
                        .put("exitcode", status.getInteger("exitcode", -1))
                        .put("stdout", status.getString("out-data", ""))
                        .put("stderr", status.getString("err-data", ""));
                    if (ProxmoxJson.bool(status.getValue("out-truncated")) || ProxmoxJson.bool(status.getValue("err-truncated"))) {
                      out.put("truncated", true);
                    }
                    if (status.containsKey("signal")) {
                      out.put("signal", status.getValue("signal"));
                    }
                    return ToolResult.structured(out);
                  }));
        }))
        .build();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The VM id argument, checked against the allow-list (and the node argument too, when given). */
  private long vmid(ToolCall call) {
    long vmid = call.longValue("vmid");
    policy.checkVmid(vmid);
    String node = call.string("node", null);
    if (node != null) {
      policy.checkNode(node);
    }
    return vmid;
  }

  private static void requireConfirm(ToolCall call, String tool, String what) {
    if (!call.bool("confirm", false)) {
      throw new ToolException(tool + " " + what + ". Nothing was done: call it again with confirm: true to go ahead.");
    }
  }

  /** The VM's node: the node argument, else looked up in the cluster's resources. Checked against the allow-list. */
  private CompletableFuture<String> locate(ToolCall call, long vmid) {
    String node = call.string("node", null);
    if (node != null) {
      return CompletableFuture.completedFuture(node);
    }
    return client.getArray("/cluster/resources", Map.of("type", "vm")).thenApply(resources -> {
      for (Object entry : resources) {
        JsonObject r = (JsonObject) entry;
        if (ProxmoxJson.number(r.getValue("vmid"), -1) == vmid) {
          String found = r.getString("node");
          policy.checkNode(found);
          return found;
        }
      }
      throw new ToolException("VM " + vmid + " does not exist in the cluster (list_vms shows the VMs there are)");
    });
  }

  private String taskNode(ToolCall call, String upid) {
    String node = call.string("node", null);
    if (node == null) {
      String[] parts = upid.split(":");
      if (parts.length < 8 || !parts[0].equals("UPID") || parts[1].isEmpty()) {
        throw new ToolException("\"" + upid + "\" is not a task id: expected UPID:node:pid:pstart:starttime:type:id:user:");
      }
      node = parts[1];
    }
    policy.checkNode(node);
    return node;
  }

  private static ToolResult taskResult(String node, long vmid, Object upid, String action) {
    if (!(upid instanceof String id) || !id.startsWith("UPID:")) {
      throw new ToolException("Proxmox accepted the " + action + " of VM " + vmid + " but returned no task id");
    }
    JsonObject out = new JsonObject().put("node", node).put("vmid", vmid).put("upid", id).put("action", action);
    return ToolResult.structured(out, action + " of VM " + vmid + " on " + node + " started: task " + id
        + " (follow it with wait_for_task)");
  }

  /** Progress goes out on the caller's context, like the result, so it never overtakes or races it. */
  private static void progress(Context context, ToolCall call, double elapsed, double total, String message) {
    if (context == null) {
      call.progress(elapsed, total, message);
    } else {
      context.runOnContext(v -> call.progress(elapsed, total, message));
    }
  }

  private static double seconds(Duration d) {
    return Math.round(d.toMillis() / 100.0) / 10.0;
  }

  private static String summary(JsonArray entries, String... fields) {
    StringBuilder sb = new StringBuilder();
    sb.append(entries.size()).append(entries.size() == 1 ? " entry" : " entries");
    for (Object entry : entries) {
      JsonObject e = (JsonObject) entry;
      sb.append("\n-");
      for (String f : fields) {
        Object v = e.getValue(f);
        if (v != null) {
          sb.append(' ').append(f).append('=').append(v);
        }
      }
    }
    sb.append("\n\n").append(new JsonObject().put("entries", entries).encode());
    return sb.toString();
  }

  /**
   * Runs a tool body on the client's futures and hands the result back on the caller's Vert.x
   * context; PVE's errors become tool errors with their message.
   */
  private static Future<ToolResult> run(Supplier<CompletableFuture<ToolResult>> body) {
    Context context = Vertx.currentContext();
    CompletableFuture<ToolResult> result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    // Completed by hand so the failure is the ToolException itself, not a CompletionException around it.
    CompletableFuture<ToolResult> mapped = new CompletableFuture<>();
    result.whenComplete((r, e) -> {
      if (e == null) {
        mapped.complete(r);
      } else {
        mapped.completeExceptionally(toolError(e));
      }
    });
    return context == null ? Future.fromCompletionStage(mapped) : Future.fromCompletionStage(mapped, context);
  }

  private static ToolException toolError(Throwable e) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ToolException te) {
      return te;
    }
    if (cause instanceof ProxmoxException pe) {
      String message = pe.getMessage();
      String pve = pe.pveMessage() == null ? "" : pe.pveMessage().toLowerCase(Locale.ROOT);
      if (pve.contains("guest agent is not running")) {
        message += " - the VM's qemu-guest-agent service is not answering; start it inside the VM";
      } else if (pve.contains("no qemu guest agent configured")) {
        message += " - enable the guest agent in the VM's options (agent: 1) and install qemu-guest-agent";
      }
      return new ToolException(message, pe);
    }
    if (cause instanceof TimeoutException) {
      String hint = cause.getMessage().startsWith("task ")
          ? "; it goes on: call wait_for_task again to keep waiting, or check with get_task_status"
          : "; it goes on running in the guest";
      return new ToolException(cause.getMessage() + hint);
    }
    LOG.warn("proxmox tool failed unexpectedly", cause);
    return new ToolException("the Proxmox call failed unexpectedly: " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
  }
}
