package io.agentnet.mcp.proxmox.simulator;

import io.agentnet.mcp.proxmox.client.ProxmoxOptions;
import io.agentnet.mcp.proxmox.client.TlsTrust;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Proxmox VE API simulator: {@code /api2/json} over HTTPS on 127.0.0.1 with a certificate made
 * at start (pin it with {@link #fingerprint()}), API-token and ticket authentication (with the
 * CSRF token on writes), a read-only token that gets 403 on writes, and the in-memory
 * {@link SimulatedCluster} behind it. Used when no real Proxmox is configured and by the tests.
 *
 * <p>With {@link SimulatorOptions#controlApi(boolean)} it also serves the cluster's chaos hooks at
 * {@code POST /simulator/control/{action}} (outside {@code /api2/json}: no Proxmox has this), for
 * tests that drive a simulator running in another process. Same authentication as the API (the
 * read-only token gets 403); the body is a JSON object:
 * <ul>
 *   <li>{@code stop-vm} {@code {vmid}}: the VM stops without a task (a crash);</li>
 *   <li>{@code node-usage} {@code {node, cpu, mem_bytes}}: the node's CPU use (0..1) and memory used now;</li>
 *   <li>{@code node-online} {@code {node, online}}: takes a node offline or back;</li>
 *   <li>{@code fail-next-task} {@code {type, exitstatus}}: the next task of that type (qmstart, qmigrate, ...) fails;</li>
 *   <li>{@code guest-agent} {@code {vmid, running}}: the VM's guest agent answers or not.</li>
 * </ul>
 * It answers {@code {"data": {"action": ..., "done": true}}}, 400 for a missing or mistyped field,
 * 404 for an unknown action, VM or node. Without the option the path is 404.
 */
public final class ProxmoxSimulator {

  private static final Logger LOG = LoggerFactory.getLogger(ProxmoxSimulator.class);
  private static final long TICKET_LIFETIME_MS = Duration.ofHours(2).toMillis();
  private static final String PREFIX = "/api2/json";
  /** The control API's path, apart from the PVE API's: a simulator-only extension. */
  public static final String CONTROL_PREFIX = "/simulator/control";

  /** Who made a request, and whether they may change anything. */
  private record Principal(String id, boolean readOnly) {
  }

  private record IssuedTicket(String user, String csrf, long issuedMs) {
  }

  private final SimulatorOptions options;
  private final SimulatedCluster cluster;
  private final SelfSignedCertificate certificate;
  private final Map<String, IssuedTicket> tickets = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger ticketsIssued = new AtomicInteger();
  private HttpServer server;

  private ProxmoxSimulator(SimulatorOptions options) {
    this.options = options;
    this.cluster = options.demoVms()
        ? SimulatedCluster.withDemoVms(System::currentTimeMillis, options.taskDurationMs())
        : new SimulatedCluster(System::currentTimeMillis, options.taskDurationMs());
    this.certificate = SelfSignedCertificate.generate("pve-simulator");
  }

  /** Starts the simulator; the future completes once it listens. */
  public static Future<ProxmoxSimulator> start(Vertx vertx, SimulatorOptions options) {
    ProxmoxSimulator simulator = new ProxmoxSimulator(options);
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(options.port())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setKeyValue(Buffer.buffer(simulator.certificate.privateKeyPem()))
            .setCertValue(Buffer.buffer(simulator.certificate.certificatePem())));
    return vertx.createHttpServer(serverOptions)
        .requestHandler(simulator.router(vertx))
        .listen()
        .map(server -> {
          simulator.server = server;
          LOG.info("Proxmox VE simulator listening on https://127.0.0.1:{}{} (certificate SHA-256 {})",
              server.actualPort(), PREFIX, simulator.fingerprint());
          if (options.controlApi()) {
            LOG.warn("Proxmox VE simulator control API enabled at https://127.0.0.1:{}{}/{{action}} (simulator only: "
                + "stop-vm, node-usage, node-online, fail-next-task, guest-agent)", server.actualPort(), CONTROL_PREFIX);
          }
          return simulator;
        });
  }

  public int port() {
    return server.actualPort();
  }

  /** The SHA-256 fingerprint of the server certificate, AA:BB:.. as PVE shows it. */
  public String fingerprint() {
    return TlsTrust.fingerprint(certificate.certificateDer());
  }

  /** The server certificate as PEM (a client may trust it as its CA file). */
  public String certificatePem() {
    return certificate.certificatePem();
  }

  public String user() {
    return options.user();
  }

  public String password() {
    return options.password();
  }

  public String tokenName() {
    return options.tokenName();
  }

  public String tokenValue() {
    return options.tokenValue();
  }

  public String readOnlyTokenName() {
    return options.readOnlyTokenName();
  }

  public String readOnlyTokenValue() {
    return options.readOnlyTokenValue();
  }

  /** The model behind the API, with its hooks for tests and chaos. */
  public SimulatedCluster cluster() {
    return cluster;
  }

  /** Client options for this simulator: token auth and the certificate pinned by fingerprint. */
  public ProxmoxOptions clientOptions() {
    return new ProxmoxOptions()
        .host("127.0.0.1")
        .port(port())
        .user(options.user())
        .tokenName(options.tokenName())
        .tokenValue(options.tokenValue())
        .fingerprint(fingerprint())
        .connectTimeout(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(30))
        .taskPollInterval(Duration.ofMillis(Math.max(20, Math.min(1000, options.taskDurationMs() / 3))));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route(PREFIX + "/*").handler(BodyHandler.create().setHandleFileUploads(false).setBodyLimit(1024 * 1024));
    router.post(PREFIX + "/access/ticket").handler(this::ticket);
    router.route(PREFIX + "/*").handler(this::authenticate);

    router.get(PREFIX + "/version").handler(ctx -> ok(ctx, new JsonObject().put("version", "8.3.0")
        .put("release", "8.3").put("repoid", "c1689ccb")));
    router.get(PREFIX + "/nodes").handler(ctx -> ok(ctx, cluster.nodes()));
    router.get(PREFIX + "/nodes/:node/status").handler(api(ctx -> cluster.nodeStatus(ctx.pathParam("node"))));
    router.get(PREFIX + "/nodes/:node/qemu").handler(api(ctx -> cluster.vms(ctx.pathParam("node"))));
    router.post(PREFIX + "/nodes/:node/qemu").handler(write(ctx -> "/vms/" + param(ctx, "vmid"), "VM.Allocate",
        ctx -> cluster.createVm(ctx.pathParam("node"), flatParams(ctx), principal(ctx).id())));
    router.get(PREFIX + "/nodes/:node/qemu/:vmid/status/current").handler(api(ctx ->
        cluster.vmStatus(ctx.pathParam("node"), vmid(ctx))));
    router.get(PREFIX + "/nodes/:node/qemu/:vmid/config").handler(api(ctx ->
        cluster.vmConfig(ctx.pathParam("node"), vmid(ctx))));
    router.post(PREFIX + "/nodes/:node/qemu/:vmid/status/:action").handler(write(this::vmPath, "VM.PowerMgmt",
        ctx -> cluster.vmAction(ctx.pathParam("node"), vmid(ctx), ctx.pathParam("action"), principal(ctx).id())));
    router.post(PREFIX + "/nodes/:node/qemu/:vmid/migrate").handler(write(this::vmPath, "VM.Migrate",
        ctx -> cluster.migrateVm(ctx.pathParam("node"), vmid(ctx), flatParams(ctx), principal(ctx).id())));
    router.post(PREFIX + "/nodes/:node/qemu/:vmid/clone").handler(write(this::vmPath, "VM.Clone",
        ctx -> cluster.cloneVm(ctx.pathParam("node"), vmid(ctx), flatParams(ctx), principal(ctx).id())));
    router.delete(PREFIX + "/nodes/:node/qemu/:vmid").handler(write(this::vmPath, "VM.Allocate",
        ctx -> cluster.deleteVm(ctx.pathParam("node"), vmid(ctx), principal(ctx).id())));
    router.post(PREFIX + "/nodes/:node/qemu/:vmid/agent/exec").handler(write(this::vmPath, "VM.Monitor",
        ctx -> cluster.agentExec(ctx.pathParam("node"), vmid(ctx), ctx.request().params().getAll("command"),
            param(ctx, "input-data"))));
    router.get(PREFIX + "/nodes/:node/qemu/:vmid/agent/exec-status").handler(api(ctx -> {
      String pid = param(ctx, "pid");
      if (pid == null || !pid.matches("\\d+")) {
        throw SimulatedApiException.badParameter("pid", pid == null ? "property is missing and it is not optional"
            : "type check ('integer') failed - got '" + pid + "'");
      }
      return cluster.agentExecStatus(ctx.pathParam("node"), vmid(ctx), Long.parseLong(pid));
    }));
    router.get(PREFIX + "/nodes/:node/storage").handler(api(ctx -> cluster.storage(ctx.pathParam("node"))));
    router.get(PREFIX + "/nodes/:node/tasks/:upid/status").handler(api(ctx ->
        cluster.taskStatus(ctx.pathParam("node"), ctx.pathParam("upid"))));
    router.get(PREFIX + "/cluster/status").handler(api(ctx -> cluster.clusterStatus()));
    router.get(PREFIX + "/cluster/resources").handler(api(ctx -> cluster.clusterResources(param(ctx, "type"))));
    router.get(PREFIX + "/cluster/nextid").handler(api(ctx -> cluster.nextId(param(ctx, "vmid"))));
    router.route(PREFIX + "/*").handler(ctx -> error(ctx, new SimulatedApiException(501, "Method '"
        + ctx.request().method() + " " + ctx.request().path().substring(PREFIX.length()) + "' not implemented")));
    if (options.controlApi()) {
      // Not registered at all otherwise, so the path is an ordinary 404.
      router.route(CONTROL_PREFIX + "/*").handler(BodyHandler.create().setHandleFileUploads(false).setBodyLimit(64 * 1024));
      router.route(CONTROL_PREFIX + "/*").handler(this::authenticate);
      router.post(CONTROL_PREFIX + "/:action").handler(write(ctx -> CONTROL_PREFIX, "Sys.Modify", this::control));
    }
    return router;
  }

  // ---- control API (simulator only) -----------------------------------------------------------

  private Object control(RoutingContext ctx) {
    String action = ctx.pathParam("action");
    JsonObject body;
    try {
      body = ctx.body().isEmpty() ? new JsonObject() : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw new SimulatedApiException(400, "the control request's body must be a JSON object");
    }
    if (body == null) {
      body = new JsonObject();
    }
    try {
      switch (action) {
        case "stop-vm" -> cluster.stopVmUnexpectedly(controlVmid(body));
        case "node-usage" -> {
          double cpu = controlNumber(body, "cpu").doubleValue();
          if (cpu < 0 || cpu > 1) {
            throw SimulatedApiException.badParameter("cpu", "value must be between 0 and 1 (a fraction of the node's CPUs)");
          }
          long mem = controlNumber(body, "mem_bytes").longValue();
          if (mem < 0) {
            throw SimulatedApiException.badParameter("mem_bytes", "value must have a minimum value of 0");
          }
          cluster.setNodeUsage(controlString(body, "node"), cpu, mem);
        }
        case "node-online" -> cluster.setNodeOnline(controlString(body, "node"), controlBool(body, "online"));
        case "fail-next-task" -> {
          String type = controlString(body, "type");
          if (!SimulatedCluster.TASK_TYPES.contains(type)) {
            throw SimulatedApiException.badParameter("type", "value '" + type + "' does not have a value in the "
                + "enumeration '" + String.join(", ", new TreeSet<>(SimulatedCluster.TASK_TYPES)) + "'");
          }
          cluster.failNextTask(type, controlString(body, "exitstatus"));
        }
        case "guest-agent" -> cluster.setGuestAgentRunning(controlVmid(body), controlBool(body, "running"));
        default -> throw new SimulatedApiException(404, "unknown control action '" + action
            + "' (stop-vm, node-usage, node-online, fail-next-task, guest-agent)");
      }
    } catch (IllegalArgumentException e) {
      // The cluster's hooks name a VM or node that is not there.
      throw new SimulatedApiException(404, e.getMessage());
    }
    return new JsonObject().put("action", action).put("done", true);
  }

  private static Object controlValue(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (value == null) {
      throw SimulatedApiException.badParameter(name, "property is missing and it is not optional");
    }
    return value;
  }

  private static String controlString(JsonObject body, String name) {
    if (controlValue(body, name) instanceof String s && !s.isBlank()) {
      return s;
    }
    throw SimulatedApiException.badParameter(name, "expected a non-empty string, got " + body.getValue(name));
  }

  private static Number controlNumber(JsonObject body, String name) {
    if (controlValue(body, name) instanceof Number n) {
      return n;
    }
    throw SimulatedApiException.badParameter(name, "expected a number, got " + body.getValue(name));
  }

  private static boolean controlBool(JsonObject body, String name) {
    if (controlValue(body, name) instanceof Boolean b) {
      return b;
    }
    throw SimulatedApiException.badParameter(name, "expected true or false, got " + body.getValue(name));
  }

  private static long controlVmid(JsonObject body) {
    Number vmid = controlNumber(body, "vmid");
    if (vmid.doubleValue() != vmid.longValue()) {
      throw SimulatedApiException.badParameter("vmid", "expected an integer VM id, got " + vmid);
    }
    return vmid.longValue();
  }

  private interface ApiCall {
    Object call(RoutingContext ctx);
  }

  private interface AclPath {
    String of(RoutingContext ctx);
  }

  private Handler<RoutingContext> api(ApiCall call) {
    return ctx -> {
      try {
        ok(ctx, call.call(ctx));
      } catch (SimulatedApiException e) {
        error(ctx, e);
      }
    };
  }

  /** A call that changes state: refused with 403 for the read-only token, as PVE's ACL check would. */
  private Handler<RoutingContext> write(AclPath path, String privilege, ApiCall call) {
    return ctx -> {
      try {
        if (principal(ctx).readOnly()) {
          throw new SimulatedApiException(403, "Permission check failed (" + path.of(ctx) + ", " + privilege + ")");
        }
        ok(ctx, call.call(ctx));
      } catch (SimulatedApiException e) {
        error(ctx, e);
      }
    };
  }

  private String vmPath(RoutingContext ctx) {
    return "/vms/" + ctx.pathParam("vmid");
  }

  private static String param(RoutingContext ctx, String name) {
    return ctx.request().params().get(name);
  }

  private static Map<String, String> flatParams(RoutingContext ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    // request().params() also holds the path parameters; PVE sees only the query and the form.
    for (MultiMap params : List.of(ctx.queryParams(), ctx.request().formAttributes())) {
      for (String name : params.names()) {
        out.put(name, params.get(name));
      }
    }
    return out;
  }

  private static long vmid(RoutingContext ctx) {
    String raw = ctx.pathParam("vmid");
    if (raw != null && raw.matches("\\d{3,9}")) {
      return Long.parseLong(raw);
    }
    throw SimulatedApiException.badParameter("vmid", "invalid format - value does not look like a valid VM ID");
  }

  private Principal principal(RoutingContext ctx) {
    return ctx.get("principal");
  }

  private void ticket(RoutingContext ctx) {
    String username = param(ctx, "username");
    String password = param(ctx, "password");
    if (username == null || password == null) {
      Map<String, String> errors = new LinkedHashMap<>();
      if (username == null) {
        errors.put("username", "property is missing and it is not optional");
      }
      if (password == null) {
        errors.put("password", "property is missing and it is not optional");
      }
      error(ctx, new SimulatedApiException(400, "Parameter verification failed.", errors));
      return;
    }
    if (!username.equals(options.user()) || !password.equals(options.password())) {
      error(ctx, new SimulatedApiException(401, "authentication failure"));
      return;
    }
    long now = System.currentTimeMillis();
    String hexTime = String.format(Locale.ROOT, "%08X", now / 1000);
    String ticket = "PVE:" + username + ":" + hexTime + "::" + randomToken(48);
    String csrf = hexTime + ":" + randomToken(32);
    tickets.put(ticket, new IssuedTicket(username, csrf, now));
    ticketsIssued.incrementAndGet();
    ok(ctx, new JsonObject().put("username", username).put("ticket", ticket).put("CSRFPreventionToken", csrf)
        .put("clustername", "agentnet-sim").put("cap", new JsonObject()));
  }

  private String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private void authenticate(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.startsWith("PVEAPIToken=")) {
      String credential = authorization.substring("PVEAPIToken=".length()).trim();
      int bang = credential.indexOf('!');
      int eq = credential.indexOf('=', Math.max(bang, 0));
      if (bang > 0 && eq > bang) {
        String user = credential.substring(0, bang);
        String tokenName = credential.substring(bang + 1, eq);
        String secret = credential.substring(eq + 1);
        if (user.equals(options.user())) {
          if (tokenName.equals(options.tokenName()) && secret.equals(options.tokenValue())) {
            ctx.put("principal", new Principal(user + "!" + tokenName, false));
            ctx.next();
            return;
          }
          if (tokenName.equals(options.readOnlyTokenName()) && secret.equals(options.readOnlyTokenValue())) {
            ctx.put("principal", new Principal(user + "!" + tokenName, true));
            ctx.next();
            return;
          }
        }
      }
      error(ctx, new SimulatedApiException(401, "authentication failure"));
      return;
    }
    Cookie cookie = ctx.request().getCookie("PVEAuthCookie");
    if (cookie == null) {
      error(ctx, new SimulatedApiException(401, "No ticket"));
      return;
    }
    IssuedTicket issued = tickets.get(cookie.getValue());
    if (issued == null || System.currentTimeMillis() - issued.issuedMs() > TICKET_LIFETIME_MS) {
      error(ctx, new SimulatedApiException(401, "invalid PVE ticket"));
      return;
    }
    if (ctx.request().method() != HttpMethod.GET && !issued.csrf().equals(ctx.request().getHeader("CSRFPreventionToken"))) {
      error(ctx, new SimulatedApiException(401, "Permission denied - invalid csrf token"));
      return;
    }
    ctx.put("principal", new Principal(issued.user(), false));
    ctx.next();
  }

  /** How many tickets were handed out (successful logins) since start. */
  public int ticketsIssued() {
    return ticketsIssued.get();
  }

  /** Ends every ticket issued so far (as if they had expired), for tests of renewal. */
  public void expireTickets() {
    tickets.clear();
  }

  private static void ok(RoutingContext ctx, Object data) {
    ctx.response().putHeader("Content-Type", "application/json;charset=UTF-8")
        .end(new JsonObject().put("data", data).encode());
  }

  /** PVE puts the message in the status line; newer versions also in the body, which is what clients read. */
  private static void error(RoutingContext ctx, SimulatedApiException e) {
    JsonObject body = new JsonObject().putNull("data").put("message", e.getMessage() + "\n");
    if (!e.errors().isEmpty()) {
      JsonObject errors = new JsonObject();
      e.errors().forEach((k, v) -> errors.put(k, v + "\n"));
      body.put("errors", errors);
    }
    String reason = e.getMessage().replaceAll("[^\\x20-\\x7E]", "?");
    ctx.response().setStatusCode(e.status()).setStatusMessage(reason)
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .end(body.encode());
  }

}
