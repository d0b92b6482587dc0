package io.agentnet.mcp.proxmox.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory Proxmox VE cluster behind the simulator: nodes pve1..pve3, QEMU VMs with their
 * config, storage per node, and tasks that run for a while and then stop with {@code OK} or an
 * error text. Methods answer with the shapes of the PVE API's {@code data} (0/1 booleans, numeric
 * strings where PVE uses them) and throw {@link SimulatedApiException} where PVE answers an error.
 * Task effects (a VM starting, being destroyed) happen when the task stops; time comes from the
 * given clock, so tests can move it on. Thread-safe; plain Java, no Vert.x needed.
 */
public final class SimulatedCluster {

  private static final long MIB = 1024L * 1024;
  private static final int MAX_TASKS = 1000;
  private static final long GIB = 1024 * MIB;
  private static final Pattern UPID = Pattern.compile(
      "UPID:([a-zA-Z0-9.-]+):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\\s]+):([^:\\s]*):([^:\\s]+):");
  private static final Pattern DISK_SIZE = Pattern.compile("size=(\\d+)([KMGT]?)");
  private static final Set<String> RESOURCE_TYPES = Set.of("vm", "storage", "node", "sdn");
  private static final Set<String> CREATE_PARAMS = Set.of("vmid", "name", "memory", "cores", "sockets", "ostype",
      "scsi0", "virtio0", "ide2", "net0", "agent", "description", "onboot", "start", "cpu", "boot", "tags", "scsihw");
  private static final Set<String> CLONE_PARAMS = Set.of("newid", "name", "target", "full", "storage", "description",
      "pool", "snapname", "format");
  private static final Set<String> MIGRATE_PARAMS = Set.of("target", "online", "force", "with-local-disks",
      "targetstorage", "bwlimit", "migration_type", "migration_network");
  /** The task types the simulator runs (what {@link #failNextTask} accepts). */
  public static final Set<String> TASK_TYPES = Set.of("qmstart", "qmstop", "qmshutdown", "qmreboot", "qmcreate",
      "qmclone", "qmdestroy", "qmigrate");

  private static final class Node {
    final String name;
    final int nodeId;
    final int maxCpu;
    final long maxMem;
    final long maxDisk;
    boolean online = true;
    double baseCpu = 0.03;
    long baseMem = 2 * GIB;
    long bootMs;

    Node(String name, int nodeId, int maxCpu, long maxMem, long maxDisk) {
      this.name = name;
      this.nodeId = nodeId;
      this.maxCpu = maxCpu;
      this.maxMem = maxMem;
      this.maxDisk = maxDisk;
    }
  }

  private static final class Vm {
    final long vmid;
    String node;
    final JsonObject config;
    boolean running;
    long startedMs;
    boolean agentRunning;
    boolean template;
    String lock;

    Vm(long vmid, String node, JsonObject config) {
      this.vmid = vmid;
      this.node = node;
      this.config = config;
    }

    String name() {
      return config.getString("name", "VM " + vmid);
    }

    long memoryBytes() {
      return Long.parseLong(String.valueOf(config.getValue("memory", 512))) * MIB;
    }

    int cpus() {
      return Integer.parseInt(String.valueOf(config.getValue("cores", 1)))
          * Integer.parseInt(String.valueOf(config.getValue("sockets", 1)));
    }

    boolean agentConfigured() {
      String agent = String.valueOf(config.getValue("agent", "0"));
      return agent.equals("1") || agent.contains("enabled=1");
    }

    long diskBytes() {
      long total = 0;
      for (String key : List.of("scsi0", "virtio0")) {
        String disk = config.getString(key);
        if (disk != null) {
          Matcher m = DISK_SIZE.matcher(disk);
          if (m.find()) {
            total += Long.parseLong(m.group(1)) * switch (m.group(2)) {
              case "K" -> 1024L;
              case "M" -> MIB;
              case "G" -> GIB;
              case "T" -> 1024 * GIB;
              default -> 1L;
            };
          }
        }
      }
      return total;
    }
  }

  private static final class Task {
    final String upid;
    final String node;
    final String type;
    final long startMs;
    final long endMs;
    final Supplier<String> effect;
    String forcedFailure;
    boolean stopped;
    String exitStatus;

    Task(String upid, String node, String type, long startMs, long endMs, Supplier<String> effect) {
      this.upid = upid;
      this.node = node;
      this.type = type;
      this.startMs = startMs;
      this.endMs = endMs;
      this.effect = effect;
    }
  }

  private static final class Exec {
    final long pid;
    final long startMs;
    final int exitCode;
    final String out;
    final String err;

    Exec(long pid, long startMs, int exitCode, String out, String err) {
      this.pid = pid;
      this.startMs = startMs;
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }
  }

  private final LongSupplier clock;
  private final long taskDurationMs;
  private final long execDurationMs;
  private final String clusterName = "agentnet-sim";
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final TreeMap<Long, Vm> vms = new TreeMap<>();
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, String> failNext = new HashMap<>();
  private final Map<Long, Map<Long, Exec>> execs = new HashMap<>();
  private long nextPid = 0x1a2b0;
  private long nextExecPid = 1000;

  /**
   * An empty cluster with nodes pve1..pve3 and no VMs.
   *
   * @param clockMillis    the time in milliseconds (System::currentTimeMillis, or a test clock)
   * @param taskDurationMs how long a task runs before it stops
   */
  public SimulatedCluster(LongSupplier clockMillis, long taskDurationMs) {
    this.clock = clockMillis;
    this.taskDurationMs = taskDurationMs;
    this.execDurationMs = Math.max(1, taskDurationMs / 3);
    long now = clock.getAsLong();
    addNode(new Node("pve1", 1, 16, 64 * GIB, 100 * GIB), now);
    addNode(new Node("pve2", 2, 8, 32 * GIB, 100 * GIB), now);
    addNode(new Node("pve3", 3, 8, 32 * GIB, 100 * GIB), now);
  }

  /**
   * The demo cluster: web-01 (100, running, guest agent up) and db-01 (101, stopped) on pve1,
   * build-01 (102, running, agent configured but not responding) on pve2, and the template
   * debian-12-template (9000) on pve1.
   */
  public static SimulatedCluster withDemoVms(LongSupplier clockMillis, long taskDurationMs) {
    SimulatedCluster c = new SimulatedCluster(clockMillis, taskDurationMs);
    c.addVm("pve1", 100, "web-01", 2048, 2, true, true);
    c.addVm("pve1", 101, "db-01", 4096, 4, false, true);
    Vm build = c.addVm("pve2", 102, "build-01", 8192, 4, true, true);
    build.agentRunning = false;
    Vm template = c.addVm("pve1", 9000, "debian-12-template", 1024, 1, false, true);
    template.template = true;
    template.config.put("template", 1);
    return c;
  }

  private void addNode(Node node, long now) {
    node.bootMs = now - 86_400_000L * node.nodeId;
    nodes.put(node.name, node);
  }

  private Vm addVm(String node, long vmid, String name, int memoryMib, int cores, boolean running, boolean agent) {
    JsonObject config = new JsonObject()
        .put("name", name)
        .put("memory", memoryMib)
        .put("cores", cores)
        .put("sockets", 1)
        .put("ostype", "l26")
        .put("scsihw", "virtio-scsi-single")
        .put("scsi0", "local-lvm:vm-" + vmid + "-disk-0,iothread=1,size=32G")
        .put("net0", "virtio=BC:24:11:00:" + String.format(Locale.ROOT, "%02X:%02X", (vmid >> 8) & 0xFF, vmid & 0xFF)
            + ",bridge=vmbr0,firewall=1")
        .put("boot", "order=scsi0;net0")
        .put("agent", agent ? "1" : "0");
    Vm vm = new Vm(vmid, node, config);
    vm.running = running;
    vm.startedMs = clock.getAsLong() - 3_600_000L;
    vm.agentRunning = running && agent;
    vms.put(vmid, vm);
    return vm;
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** GET /nodes */
  public synchronized JsonArray nodes() {
    advance();
    JsonArray out = new JsonArray();
    for (Node n : nodes.values()) {
      JsonObject json = new JsonObject().put("node", n.name).put("id", "node/" + n.name).put("type", "node")
          .put("status", n.online ? "online" : "offline");
      if (n.online) {
        json.put("cpu", cpu(n)).put("maxcpu", n.maxCpu).put("mem", memUsed(n)).put("maxmem", n.maxMem)
            .put("disk", 12 * GIB).put("maxdisk", n.maxDisk).put("uptime", uptime(n)).put("level", "")
            .put("ssl_fingerprint", "");
      }
      out.add(json);
    }
    return out;
  }

  /** GET /nodes/{node}/status */
  public synchronized JsonObject nodeStatus(String node) {
    advance();
    Node n = onlineNode(node);
    long used = memUsed(n);
    return new JsonObject()
        .put("cpu", cpu(n))
        .put("wait", 0.001)
        .put("uptime", uptime(n))
        .put("loadavg", new JsonArray().add(String.format(Locale.ROOT, "%.2f", cpu(n) * n.maxCpu)).add("0.50").add("0.40"))
        .put("memory", new JsonObject().put("total", n.maxMem).put("used", used).put("free", n.maxMem - used))
        .put("swap", new JsonObject().put("total", 8 * GIB).put("used", 0).put("free", 8 * GIB))
        .put("rootfs", new JsonObject().put("total", n.maxDisk).put("used", 12 * GIB).put("avail", n.maxDisk - 12 * GIB)
            .put("free", n.maxDisk - 12 * GIB))
        .put("cpuinfo", new JsonObject().put("cpus", n.maxCpu).put("cores", n.maxCpu / 2).put("sockets", 1)
            .put("model", "Simulated CPU @ 3.00GHz").put("mhz", "3000.000").put("hvm", "1"))
        .put("kversion", "Linux 6.8.12-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4")
        .put("pveversion", "pve-manager/8.3.0/c1689ccb1065a83b");
  }

  /** GET /nodes/{node}/qemu */
  public synchronized JsonArray vms(String node) {
    advance();
    onlineNode(node);
    JsonArray out = new JsonArray();
    for (Vm vm : vms.values()) {
      if (vm.node.equals(node)) {
        out.add(vmSummary(vm));
      }
    }
    return out;
  }

  /** GET /nodes/{node}/qemu/{vmid}/status/current */
  public synchronized JsonObject vmStatus(String node, long vmid) {
    advance();
    Vm vm = vm(node, vmid);
    JsonObject json = vmSummary(vm)
        .put("qmpstatus", vm.running ? "running" : "stopped")
        .put("ha", new JsonObject().put("managed", 0));
    if (vm.agentConfigured()) {
      json.put("agent", 1);
    }
    if (vm.lock != null) {
      json.put("lock", vm.lock);
    }
    return json;
  }

  /** GET /nodes/{node}/qemu/{vmid}/config */
  public synchronized JsonObject vmConfig(String node, long vmid) {
    advance();
    Vm vm = vm(node, vmid);
    return vm.config.copy().put("digest", Integer.toHexString(vm.config.encode().hashCode()) + "0000000000000000000000000000000000");
  }

  /** GET /nodes/{node}/storage */
  public synchronized JsonArray storage(String node) {
    advance();
    Node n = onlineNode(node);
    JsonArray out = new JsonArray();
    for (JsonObject s : storageOf(n)) {
      out.add(s);
    }
    return out;
  }

  private List<JsonObject> storageOf(Node n) {
    long lvmUsed = 4 * GIB;
    for (Vm vm : vms.values()) {
      if (vm.node.equals(n.name)) {
        lvmUsed += vm.diskBytes();
      }
    }
    long localTotal = 94 * GIB;
    long localUsed = 8 * GIB;
    long lvmTotal = 800 * GIB;
    return List.of(
        storage("local", "dir", "iso,vztmpl,backup", localTotal, localUsed),
        storage("local-lvm", "lvmthin", "images,rootdir", lvmTotal, lvmUsed));
  }

  private static JsonObject storage(String name, String type, String content, long total, long used) {
    return new JsonObject().put("storage", name).put("type", type).put("content", content)
        .put("active", 1).put("enabled", 1).put("shared", 0)
        .put("total", total).put("used", used).put("avail", total - used)
        .put("used_fraction", (double) used / total);
  }

  /** GET /cluster/status */
  public synchronized JsonArray clusterStatus() {
    advance();
    long online = nodes.values().stream().filter(n -> n.online).count();
    JsonArray out = new JsonArray().add(new JsonObject().put("type", "cluster").put("id", "cluster")
        .put("name", clusterName).put("nodes", nodes.size()).put("quorate", online * 2 > nodes.size() ? 1 : 0)
        .put("version", 3));
    boolean first = true;
    for (Node n : nodes.values()) {
      out.add(new JsonObject().put("type", "node").put("id", "node/" + n.name).put("name", n.name)
          .put("nodeid", n.nodeId).put("ip", "10.0.0." + (10 + n.nodeId)).put("online", n.online ? 1 : 0)
          .put("local", first ? 1 : 0).put("level", ""));
      first = false;
    }
    return out;
  }

  /** GET /cluster/resources, optionally only vm, storage, node or sdn. */
  public synchronized JsonArray clusterResources(String type) {
    advance();
    if (type != null && !RESOURCE_TYPES.contains(type)) {
      throw SimulatedApiException.badParameter("type", "value '" + type
          + "' does not have a value in the enumeration 'vm, storage, node, sdn'");
    }
    JsonArray out = new JsonArray();
    if (type == null || type.equals("node")) {
      for (Node n : nodes.values()) {
        JsonObject json = new JsonObject().put("id", "node/" + n.name).put("type", "node").put("node", n.name)
            .put("status", n.online ? "online" : "offline").put("level", "");
        if (n.online) {
          json.put("cpu", cpu(n)).put("maxcpu", n.maxCpu).put("mem", memUsed(n)).put("maxmem", n.maxMem)
              .put("disk", 12 * GIB).put("maxdisk", n.maxDisk).put("uptime", uptime(n));
        }
        out.add(json);
      }
    }
    if (type == null || type.equals("vm")) {
      for (Vm vm : vms.values()) {
        JsonObject json = vmSummary(vm).put("id", "qemu/" + vm.vmid).put("type", "qemu").put("node", vm.node)
            .put("maxcpu", vm.cpus()).put("template", vm.template ? 1 : 0);
        json.remove("cpus");
        if (!nodes.get(vm.node).online) {
          json.put("status", "unknown");
        }
        out.add(json);
      }
    }
    if (type == null || type.equals("storage")) {
      for (Node n : nodes.values()) {
        for (JsonObject s : storageOf(n)) {
          out.add(new JsonObject().put("id", "storage/" + n.name + "/" + s.getString("storage")).put("type", "storage")
              .put("storage", s.getString("storage")).put("node", n.name).put("plugintype", s.getString("type"))
              .put("content", s.getString("content")).put("shared", 0)
              .put("status", n.online ? "available" : "unknown")
              .put("disk", s.getLong("used")).put("maxdisk", s.getLong("total")));
        }
      }
    }
    return out;
  }

  /** GET /cluster/nextid: the lowest free id from 100 (as a string), or checks the one asked for. */
  public synchronized String nextId(String requested) {
    advance();
    if (requested != null) {
      long id = parseVmid("vmid", requested);
      if (vms.containsKey(id)) {
        throw SimulatedApiException.badParameter("vmid", "VM " + id + " already exists");
      }
      return Long.toString(id);
    }
    long id = 100;
    while (vms.containsKey(id)) {
      id++;
    }
    return Long.toString(id);
  }

  /** GET /nodes/{node}/tasks/{upid}/status */
  public synchronized JsonObject taskStatus(String node, String upid) {
    advance();
    Matcher m = UPID.matcher(upid);
    if (!m.matches()) {
      throw SimulatedApiException.badParameter("upid", "unable to parse worker upid '" + upid + "'");
    }
    Task task = tasks.get(upid);
    if (task == null || !task.node.equals(node)) {
      throw new SimulatedApiException(500, "task '" + upid + "' does not exist on node '" + node + "'");
    }
    JsonObject json = new JsonObject().put("upid", upid).put("node", task.node)
        .put("pid", Long.parseLong(m.group(2), 16)).put("pstart", Long.parseLong(m.group(3), 16))
        .put("starttime", Long.parseLong(m.group(4), 16)).put("type", task.type).put("id", m.group(6))
        .put("user", m.group(7)).put("status", task.stopped ? "stopped" : "running");
    if (task.stopped) {
      json.put("exitstatus", task.exitStatus);
    }
    return json;
  }

  // ---- VM actions -----------------------------------------------------------------------------

  /** POST /nodes/{node}/qemu/{vmid}/status/{start|stop|shutdown|reboot}; answers the task's UPID. */
  public synchronized String vmAction(String node, long vmid, String action, String user) {
    advance();
    Vm vm = vm(node, vmid);
    return switch (action) {
      case "start" -> {
        if (vm.template) {
          throw new SimulatedApiException(500, "you can't start a vm if it's a template");
        }
        yield task(node, "qmstart", vmid, user, () -> {
          if (vm.running) {
            return "VM " + vmid + " already running";
          }
          vm.running = true;
          vm.startedMs = clock.getAsLong();
          vm.agentRunning = vm.agentConfigured();
          return null;
        });
      }
      case "stop" -> task(node, "qmstop", vmid, user, () -> {
        powerOff(vm);
        return null;
      });
      case "shutdown", "reboot" -> {
        if (!vm.running) {
          throw new SimulatedApiException(500, "VM " + vmid + " not running");
        }
        boolean reboot = action.equals("reboot");
        yield task(node, reboot ? "qmreboot" : "qmshutdown", vmid, user, () -> {
          if (!vm.running) {
            return "VM " + vmid + " not running";
          }
          if (reboot) {
            vm.startedMs = clock.getAsLong();
          } else {
            powerOff(vm);
          }
          return null;
        });
      }
      default -> throw new SimulatedApiException(501, "Method 'POST /nodes/" + node + "/qemu/" + vmid + "/status/"
          + action + "' not implemented");
    };
  }

  private static void powerOff(Vm vm) {
    vm.running = false;
    vm.agentRunning = false;
  }

  /** POST /nodes/{node}/qemu: creates a VM (stopped unless start=1); answers the task's UPID. */
  public synchronized String createVm(String node, Map<String, String> params, String user) {
    advance();
    onlineNode(node);
    Map<String, String> errors = unknownParams(params, CREATE_PARAMS);
    if (!params.containsKey("vmid")) {
      errors.put("vmid", "property is missing and it is not optional");
    }
    checkInteger(params, "memory", 16, 4 * 1024 * 1024, errors);
    checkInteger(params, "cores", 1, 1024, errors);
    checkInteger(params, "sockets", 1, 4, errors);
    long vmid = 0;
    if (params.containsKey("vmid")) {
      try {
        vmid = parseVmid("vmid", params.get("vmid"));
      } catch (SimulatedApiException e) {
        errors.putAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new SimulatedApiException(400, "Parameter verification failed.", errors);
    }
    if (vms.containsKey(vmid)) {
      throw new SimulatedApiException(500, "unable to create VM " + vmid + ": config file already exists");
    }
    JsonObject config = new JsonObject().put("name", params.getOrDefault("name", "VM" + vmid))
        .put("memory", Integer.parseInt(params.getOrDefault("memory", "512")))
        .put("cores", Integer.parseInt(params.getOrDefault("cores", "1")))
        .put("sockets", Integer.parseInt(params.getOrDefault("sockets", "1")))
        .put("ostype", params.getOrDefault("ostype", "other"));
    for (String key : List.of("scsi0", "virtio0", "ide2", "net0", "agent", "description", "onboot", "cpu", "boot", "tags",
        "scsihw")) {
      if (params.containsKey(key)) {
        config.put(key, key.equals("scsi0") || key.equals("virtio0") ? diskSpec(vmid, params.get(key)) : params.get(key));
      }
    }
    Vm vm = new Vm(vmid, node, config);
    vm.lock = "create";
    vms.put(vmid, vm);
    boolean start = "1".equals(params.get("start"));
    long id = vmid;
    return task(node, "qmcreate", vmid, user, () -> {
      vm.lock = null;
      if (start) {
        vm.running = true;
        vm.startedMs = clock.getAsLong();
        vm.agentRunning = vm.agentConfigured();
      }
      return null;
    }, () -> vms.remove(id));
  }

  /** "local-lvm:32" (a new 32 GiB disk) becomes "local-lvm:vm-ID-disk-0,size=32G", as PVE allocates it. */
  private static String diskSpec(long vmid, String value) {
    Matcher m = Pattern.compile("^([a-zA-Z0-9._-]+):(\\d+)(,.*)?$").matcher(value);
    if (m.matches()) {
      return m.group(1) + ":vm-" + vmid + "-disk-0" + (m.group(3) == null ? "" : m.group(3)) + ",size=" + m.group(2) + "G";
    }
    return value;
  }

  /** POST /nodes/{node}/qemu/{vmid}/clone; answers the task's UPID. */
  public synchronized String cloneVm(String node, long vmid, Map<String, String> params, String user) {
    advance();
    Vm source = vm(node, vmid);
    Map<String, String> errors = unknownParams(params, CLONE_PARAMS);
    long newId = 0;
    if (!params.containsKey("newid")) {
      errors.put("newid", "property is missing and it is not optional");
    } else {
      try {
        newId = parseVmid("newid", params.get("newid"));
      } catch (SimulatedApiException e) {
        errors.putAll(e.errors());
      }
    }
    String target = params.getOrDefault("target", node);
    if (!errors.isEmpty()) {
      throw new SimulatedApiException(400, "Parameter verification failed.", errors);
    }
    onlineNode(target);
    if (vms.containsKey(newId)) {
      throw new SimulatedApiException(500, "unable to create VM " + newId + ": config file already exists");
    }
    JsonObject config = source.config.copy();
    config.remove("template");
    config.put("name", params.getOrDefault("name", "Copy-of-VM-" + source.name()));
    for (String key : List.of("scsi0", "virtio0")) {
      String disk = config.getString(key);
      if (disk != null) {
        config.put(key, disk.replace("vm-" + vmid + "-disk", "vm-" + newId + "-disk"));
      }
    }
    Vm clone = new Vm(newId, target, config);
    clone.lock = "clone";
    vms.put(newId, clone);
    long id = newId;
    return task(node, "qmclone", vmid, user, () -> {
      clone.lock = null;
      return null;
    }, () -> vms.remove(id));
  }

  /** DELETE /nodes/{node}/qemu/{vmid}; answers the task's UPID. */
  public synchronized String deleteVm(String node, long vmid, String user) {
    advance();
    Vm vm = vm(node, vmid);
    if (vm.running) {
      throw new SimulatedApiException(500, "VM " + vmid + " is running - destroy failed");
    }
    return task(node, "qmdestroy", vmid, user, () -> {
      vms.remove(vmid);
      execs.remove(vmid);
      return null;
    });
  }

  /**
   * POST /nodes/{node}/qemu/{vmid}/migrate; answers the task's UPID. The VM moves to {@code target}
   * when the task stops (its memory then counts on the target node); until then it is locked
   * ({@code migrate}) and stays where it was. Refused as PVE refuses: no target, the local node as
   * target, an unknown or offline target, a running VM without {@code online=1}, a locked VM.
   */
  public synchronized String migrateVm(String node, long vmid, Map<String, String> params, String user) {
    advance();
    Vm vm = vm(node, vmid);
    Map<String, String> errors = unknownParams(params, MIGRATE_PARAMS);
    String target = params.get("target");
    if (target == null || target.isBlank()) {
      errors.put("target", "property is missing and it is not optional");
    } else if (target.equals(node)) {
      errors.put("target", "target is local node.");
    }
    String online = params.getOrDefault("online", "0");
    if (!online.equals("0") && !online.equals("1")) {
      errors.put("online", "type check ('boolean') failed - got '" + online + "'");
    }
    if (!errors.isEmpty()) {
      throw new SimulatedApiException(400, "Parameter verification failed.", errors);
    }
    Node to = nodes.get(target);
    if (to == null) {
      throw new SimulatedApiException(500, "no such cluster node '" + target + "'");
    }
    if (!to.online) {
      throw new SimulatedApiException(500, "target node '" + target + "' is offline - migration not possible");
    }
    if (vm.lock != null) {
      throw new SimulatedApiException(500, "VM " + vmid + " is locked (" + vm.lock + ")");
    }
    if (vm.running && online.equals("0")) {
      throw new SimulatedApiException(500, "VM " + vmid + " is running - use online migration (online=1)");
    }
    vm.lock = "migrate";
    return task(node, "qmigrate", vmid, user, () -> {
      vm.lock = null;
      if (!nodes.get(target).online) {
        return "migration aborted: target node '" + target + "' went offline";
      }
      if (vms.get(vmid) != vm) {
        return "migration aborted: VM " + vmid + " no longer exists";
      }
      vm.node = target;
      return null;
    }, () -> vm.lock = null);
  }

  // ---- guest agent ----------------------------------------------------------------------------

  /**
   * POST /nodes/{node}/qemu/{vmid}/agent/exec: starts a command through the guest agent. A few
   * commands behave like a Linux guest's (echo, hostname, uname, cat, true, false, sleep); others
   * are not found.
   */
  public synchronized JsonObject agentExec(String node, long vmid, List<String> command, String inputData) {
    advance();
    Vm vm = vm(node, vmid);
    if (command == null || command.isEmpty()) {
      throw SimulatedApiException.badParameter("command", "property is missing and it is not optional");
    }
    requireAgent(vm);
    String program = command.get(0);
    List<String> args = command.subList(1, command.size());
    String name = program.substring(program.lastIndexOf('/') + 1);
    Exec exec = switch (name) {
      case "echo" -> new Exec(nextExecPid, clock.getAsLong(), 0, String.join(" ", args) + "\n", "");
      case "hostname" -> new Exec(nextExecPid, clock.getAsLong(), 0, vm.name() + "\n", "");
      case "uname" -> new Exec(nextExecPid, clock.getAsLong(), 0,
          args.contains("-a") ? "Linux " + vm.name() + " 6.1.0-28-amd64 #1 SMP x86_64 GNU/Linux\n" : "Linux\n", "");
      case "cat" -> args.isEmpty()
          ? new Exec(nextExecPid, clock.getAsLong(), 0, inputData == null ? "" : inputData, "")
          : new Exec(nextExecPid, clock.getAsLong(), 1, "", "cat: " + args.get(0) + ": No such file or directory\n");
      case "true", "sleep" -> new Exec(nextExecPid, clock.getAsLong(), 0, "", "");
      case "false" -> new Exec(nextExecPid, clock.getAsLong(), 1, "", "");
      default -> throw new SimulatedApiException(500, "Agent error: Failed to execute child process \u201c" + program
          + "\u201d (No such file or directory)");
    };
    nextExecPid++;
    execs.computeIfAbsent(vmid, k -> new HashMap<>()).put(exec.pid, exec);
    return new JsonObject().put("pid", exec.pid);
  }

  /** GET /nodes/{node}/qemu/{vmid}/agent/exec-status?pid= */
  public synchronized JsonObject agentExecStatus(String node, long vmid, long pid) {
    advance();
    Vm vm = vm(node, vmid);
    requireAgent(vm);
    Exec exec = execs.getOrDefault(vmid, Map.of()).get(pid);
    if (exec == null) {
      throw new SimulatedApiException(500, "Agent error: Invalid parameter 'pid'");
    }
    if (clock.getAsLong() - exec.startMs < execDurationMs) {
      return new JsonObject().put("exited", 0);
    }
    // Like qemu-ga, forget a command once its exit has been reported.
    execs.get(vmid).remove(pid);
    JsonObject json = new JsonObject().put("exited", 1).put("exitcode", exec.exitCode);
    if (!exec.out.isEmpty()) {
      json.put("out-data", exec.out);
    }
    if (!exec.err.isEmpty()) {
      json.put("err-data", exec.err);
    }
    return json;
  }

  private static void requireAgent(Vm vm) {
    if (!vm.running) {
      throw new SimulatedApiException(500, "VM " + vm.vmid + " is not running");
    }
    if (!vm.agentConfigured()) {
      throw new SimulatedApiException(500, "No QEMU guest agent configured");
    }
    if (!vm.agentRunning) {
      throw new SimulatedApiException(500, "QEMU guest agent is not running");
    }
  }

  // ---- hooks for tests and chaos --------------------------------------------------------------

  /** The VM stops without a task (crashed, killed by the OOM killer). */
  public synchronized void stopVmUnexpectedly(long vmid) {
    advance();
    Vm vm = vms.get(vmid);
    if (vm == null) {
      throw new IllegalArgumentException("no VM " + vmid);
    }
    powerOff(vm);
  }

  /** Sets a node's CPU use (0..1) and the memory it uses now; VMs started later add to it. */
  public synchronized void setNodeUsage(String node, double cpu, long memUsedBytes) {
    advance();
    Node n = existingNode(node);
    n.baseCpu = cpu;
    n.baseMem = Math.max(0, memUsedBytes - runningVmMemory(n));
  }

  /** Takes a node offline (its API calls fail, it shows as offline) or brings it back. */
  public synchronized void setNodeOnline(String node, boolean online) {
    advance();
    existingNode(node).online = online;
  }

  /** The next task of this type (one of {@link #TASK_TYPES}: qmstart, qmstop, ..., qmigrate) fails. */
  public synchronized void failNextTask(String type, String exitStatus) {
    if (!TASK_TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown task type '" + type + "'; one of " + String.join(", ",
          new TreeSet<>(TASK_TYPES)));
    }
    failNext.put(type, exitStatus);
  }

  /** The guest agent of a VM answers, or stops answering. */
  public synchronized void setGuestAgentRunning(long vmid, boolean running) {
    Vm vm = vms.get(vmid);
    if (vm == null) {
      throw new IllegalArgumentException("no VM " + vmid);
    }
    vm.agentRunning = running;
  }

  /** Whether the VM exists and is running. */
  public synchronized boolean isRunning(long vmid) {
    advance();
    Vm vm = vms.get(vmid);
    return vm != null && vm.running;
  }

  /** Whether a VM with this id exists. */
  public synchronized boolean exists(long vmid) {
    advance();
    return vms.containsKey(vmid);
  }

  /** The memory a node uses now, in bytes. */
  public synchronized long memoryUsed(String node) {
    advance();
    return memUsed(existingNode(node));
  }

  /** The node names. */
  public synchronized List<String> nodeNames() {
    return new ArrayList<>(nodes.keySet());
  }

  // ---- internals ------------------------------------------------------------------------------

  private String task(String node, String type, long vmid, String user, Supplier<String> effect) {
    return task(node, type, vmid, user, effect, () -> { });
  }

  /** Starts a task; {@code effect} runs when it stops (null = OK, else the error), {@code undo} when it fails. */
  private String task(String node, String type, long vmid, String user, Supplier<String> effect, Runnable undo) {
    long now = clock.getAsLong();
    long pid = nextPid++;
    String upid = String.format(Locale.ROOT, "UPID:%s:%08X:%08X:%08X:%s:%d:%s:", node, pid,
        (now / 10) & 0xFFFFFFFFL, (now / 1000) & 0xFFFFFFFFL, type, vmid, user);
    String forced = failNext.remove(type);
    Supplier<String> run = () -> {
      String error = forced != null ? forced : effect.get();
      if (error != null) {
        undo.run();
      }
      return error;
    };
    Task task = new Task(upid, node, type, now, now + taskDurationMs, run);
    tasks.put(upid, task);
    forgetOldTasks();
    if (taskDurationMs <= 0) {
      advance();
    }
    return upid;
  }

  /** Keeps the task list bounded in a long-running simulator: the oldest stopped tasks go first. */
  private void forgetOldTasks() {
    var it = tasks.values().iterator();
    while (tasks.size() > MAX_TASKS && it.hasNext()) {
      if (it.next().stopped) {
        it.remove();
      }
    }
  }

  /** Stops every task whose time is up, in the order they started, applying its effect. */
  private void advance() {
    long now = clock.getAsLong();
    for (Task task : tasks.values()) {
      if (!task.stopped && now >= task.endMs) {
        String error = task.effect.get();
        task.stopped = true;
        task.exitStatus = error == null ? "OK" : error;
      }
    }
  }

  private Node existingNode(String node) {
    Node n = nodes.get(node);
    if (n == null) {
      throw new IllegalArgumentException("no node " + node);
    }
    return n;
  }

  private Node onlineNode(String node) {
    Node n = nodes.get(node);
    if (n == null) {
      throw new SimulatedApiException(500, "no such cluster node '" + node + "'");
    }
    if (!n.online) {
      throw new SimulatedApiException(595, "No route to host");
    }
    return n;
  }

  private Vm vm(String node, long vmid) {
    onlineNode(node);
    Vm vm = vms.get(vmid);
    if (vm == null || !vm.node.equals(node)) {
      throw new SimulatedApiException(500, "Configuration file 'nodes/" + node + "/qemu-server/" + vmid
          + ".conf' does not exist");
    }
    return vm;
  }

  private JsonObject vmSummary(Vm vm) {
    long uptime = vm.running ? (clock.getAsLong() - vm.startedMs) / 1000 : 0;
    JsonObject json = new JsonObject().put("vmid", vm.vmid).put("name", vm.name())
        .put("status", vm.running ? "running" : "stopped")
        .put("cpu", vm.running ? 0.02 : 0).put("cpus", vm.cpus())
        .put("mem", vm.running ? vm.memoryBytes() / 2 : 0).put("maxmem", vm.memoryBytes())
        .put("disk", 0).put("maxdisk", vm.diskBytes()).put("uptime", uptime)
        .put("netin", vm.running ? uptime * 1200 : 0).put("netout", vm.running ? uptime * 800 : 0)
        .put("diskread", 0).put("diskwrite", 0);
    if (vm.running) {
      json.put("pid", 4000 + vm.vmid);
    }
    if (vm.template) {
      json.put("template", 1);
    }
    if (vm.config.containsKey("tags")) {
      json.put("tags", vm.config.getString("tags"));
    }
    return json;
  }

  private double cpu(Node n) {
    double cpu = n.baseCpu;
    for (Vm vm : vms.values()) {
      if (vm.running && vm.node.equals(n.name)) {
        cpu += 0.02 * vm.cpus() / n.maxCpu;
      }
    }
    return Math.min(1.0, cpu);
  }

  private long memUsed(Node n) {
    return Math.min(n.maxMem, n.baseMem + runningVmMemory(n));
  }

  private long runningVmMemory(Node n) {
    long total = 0;
    for (Vm vm : vms.values()) {
      if (vm.running && vm.node.equals(n.name)) {
        total += vm.memoryBytes();
      }
    }
    return total;
  }

  private long uptime(Node n) {
    return (clock.getAsLong() - n.bootMs) / 1000;
  }

  private static long parseVmid(String name, String value) {
    try {
      long id = Long.parseLong(value.trim());
      if (id >= 100 && id <= 999_999_999) {
        return id;
      }
    } catch (NumberFormatException e) {
      // falls through to the error PVE gives
    }
    throw SimulatedApiException.badParameter(name, "invalid format - value does not look like a valid VM ID");
  }

  private static Map<String, String> unknownParams(Map<String, String> params, Set<String> known) {
    Map<String, String> errors = new TreeMap<>();
    for (String key : params.keySet()) {
      if (!known.contains(key)) {
        errors.put(key, "property is not defined in schema and the schema does not allow additional properties");
      }
    }
    return errors;
  }

  private static void checkInteger(Map<String, String> params, String name, long min, long max, Map<String, String> errors) {
    String value = params.get(name);
    if (value == null) {
      return;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n < min) {
        errors.put(name, "value must have a minimum value of " + min);
      } else if (n > max) {
        errors.put(name, "value must have a maximum value of " + max);
      }
    } catch (NumberFormatException e) {
      errors.put(name, "type check ('integer') failed - got '" + value + "'");
    }
  }
}
