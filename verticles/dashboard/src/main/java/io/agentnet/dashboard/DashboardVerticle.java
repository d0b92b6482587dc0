package io.agentnet.dashboard;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.dashboard.api.RestApi;
import io.agentnet.dashboard.api.TokenGuard;
import io.agentnet.dashboard.stream.StreamBatcher;
import io.agentnet.dashboard.topology.Topology;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.health.ProcessHealth;
import io.agentnet.runtime.launch.NodeVerticle;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.registry.AgentDirectory;
import io.agentnet.runtime.registry.AgentRegistry;
import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.agentnet.runtime.registry.DirectoryOptions;
import io.agentnet.runtime.store.Buckets;
import io.agentnet.runtime.store.KeyValueStores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard: the UI (webroot/), the REST API ({@link RestApi}), /health, /metrics, and the
 * SockJS event bus bridge at /eventbus, which sends browsers batches ({@link StreamBatcher}) of the
 * heartbeats, metrics and events this process hears, and takes nothing from them.
 */
public final class DashboardVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardVerticle.class);

  /** How the process's announcement of the URL to open begins. */
  public static final String OPEN = "dashboard: open ";
  private static final Pattern OPEN_URL = Pattern.compile(Pattern.quote(OPEN) + "http://[^:/]+:(\\d+)/");

  /** The port in the first "dashboard: open http://host:port/" line of the text: the one the dashboard bound. */
  public static OptionalInt announcedPort(String text) {
    Matcher url = OPEN_URL.matcher(text);
    return url.find() ? OptionalInt.of(Integer.parseInt(url.group(1))) : OptionalInt.empty();
  }

  private final DashboardOptions options;
  private final StreamBatcher batcher;
  private final Topology topology = new Topology();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Meter> meters = new ArrayList<>();
  private AgentDirectory directory;
  private HttpServer server;
  private long flushTimer = -1;
  private long meterTimer = -1;
  private MultiGauge agentLoad;

  public DashboardVerticle(DashboardOptions options) {
    this.options = options;
    this.batcher = new StreamBatcher(options.getMaxItemsPerFlush());
  }

  @Override
  public Future<?> start() {
    boolean generated = options.getToken() == null || options.getToken().isBlank();
    String token = generated ? TokenGuard.generate() : options.getToken();
    TokenGuard guard = new TokenGuard(token);
    return AgentDirectory.start(vertx, new DirectoryOptions().setHeartbeatInterval(options.getHeartbeatInterval())
            .setRegistryStore(KeyValueStores.open(vertx, Buckets.REGISTRY))
            .setPublishEvents(false).setLogTransitions(false))
        .compose(d -> {
          directory = d;
          directory.onTransition(t -> batcher.transition(new JsonObject().put("agent_id", t.agentId())
              .put("kind", t.kind().name().toLowerCase(Locale.ROOT)).put("reason", t.reason())
              .put("agent", t.agent().toJson())));
          listen();
          registerHealthAndMeters();
          Router router = router(guard);
          return vertx.createHttpServer().requestHandler(router).listen(options.getPort(), options.getHost());
        })
        .onSuccess(s -> {
          server = s;
          flushTimer = vertx.setPeriodic(options.getStreamFlush().toMillis(), t -> flush());
          String url = "http://" + displayHost() + ":" + s.actualPort() + "/";
          LOG.info("dashboard listening on {}:{} (UI, REST API /api, event bus /eventbus, /health, /metrics)",
              options.getHost(), s.actualPort());
          NodeVerticle.announce(vertx, OPEN + url);
          if (generated) {
            // the one place the token is shown: the operator needs it to act from the UI
            NodeVerticle.announce(vertx, "dashboard token (generated, as DASHBOARD_TOKEN is not set): " + token);
          }
        });
  }

  private String displayHost() {
    String host = options.getHost();
    return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
  }

  private Router router(TokenGuard guard) {
    Router router = Router.router(vertx);
    SockJSBridgeOptions bridge = new SockJSBridgeOptions();
    StreamBatcher.ADDRESSES.forEach(a -> bridge.addOutboundPermitted(new PermittedOptions().setAddress(a)));
    // no inbound permissions: browsers act through the REST API, where the token is checked
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(bridge));
    new RestApi(vertx, options, guard, directory.registry(), topology).mount(router);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(ProcessHealth.of(vertx)));
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    // the UI's own files keep their names across releases: browsers must revalidate them (304 when
    // unchanged); the pinned libraries under /vendor may be cached as the static handler says
    router.route("/*").handler(ctx -> {
      if (!ctx.normalizedPath().startsWith("/vendor/")) {
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
      }
      ctx.next();
    });
    router.route("/*").handler(StaticHandler.create("webroot"));
    return router;
  }

  private void listen() {
    consumers.add(vertx.eventBus().consumer(Addresses.HEARTBEAT, msg -> {
      JsonObject hb = json(msg);
      if (hb != null && hb.getString("agent_id") != null) {
        boolean online = directory.registry().online(hb.getString("agent_id"));
        batcher.heartbeat(hb, online);
      }
    }));
    consumers.add(vertx.eventBus().consumer(Addresses.METRICS, msg -> {
      JsonObject report = json(msg);
      if (report != null) {
        batcher.metric(report, msg.headers().get(BusHeaders.SUBJECT));
      }
    }));
    consumers.add(vertx.eventBus().consumer(Addresses.EVENTS, msg -> {
      JsonObject event = json(msg);
      if (event != null && batcher.event(event, msg.headers().get(BusHeaders.SUBJECT))
          && "workflow.step".equals(event.getString("event_type"))) {
        JsonObject data = event.getJsonObject("data", new JsonObject());
        topology.observeStep(data.getString("workflow_type"), data.getString("step_id"), data.getString("agent_id"));
      }
    }));
  }

  /** A message body as JSON, or null when it is not (the registry logs malformed heartbeats). */
  private static JsonObject json(Message<Object> msg) {
    try {
      return Messenger.jsonBody(msg.body());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void flush() {
    Map<String, JsonObject> batches = batcher.drain(System.currentTimeMillis());
    batches.forEach((address, body) -> vertx.eventBus().publish(address, body));
  }

  private void registerHealthAndMeters() {
    ProcessHealth.of(vertx).register("dashboard", promise -> {
      long online = directory.registry().agents().stream().filter(AgentInfo::online).count();
      JsonObject data = new JsonObject().put("agents", directory.registry().agents().size()).put("online", online);
      promise.complete(server != null ? Status.OK(data) : Status.KO(data.put("reason", "not listening yet")));
    });
    MeterRegistry registry = ProcessHealth.meters();
    AgentRegistry agents = directory.registry();
    meters.add(Gauge.builder("agentnet.dashboard.agents", agents, r -> r.agents().stream().filter(AgentInfo::online).count())
        .description("agents the dashboard hears, by state").tags("state", "online").register(registry));
    meters.add(Gauge.builder("agentnet.dashboard.agents", agents, r -> r.agents().stream().filter(a -> !a.online()).count())
        .description("agents the dashboard hears, by state").tags("state", "offline").register(registry));
    agentLoad = MultiGauge.builder("agentnet.agent.load").description("each agent's load from its last heartbeat (0..1)")
        .register(registry);
    meterTimer = vertx.setPeriodic(0, Math.max(1000, options.getHeartbeatInterval().toMillis()), t ->
        agentLoad.register(directory.registry().agents().stream()
            .map(a -> MultiGauge.Row.of(Tags.of("agent_id", a.agentId(), "agent_type", a.agentType()), a.load()))
            .toList(), true));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(meterTimer);
    ProcessHealth.of(vertx).unregister("dashboard");
    MeterRegistry registry = ProcessHealth.meters();
    meters.forEach(registry::remove);
    if (agentLoad != null) {
      agentLoad.register(List.of(), true);
    }
    consumers.forEach(MessageConsumer::unregister);
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.compose(v -> directory == null ? Future.succeededFuture() : directory.close());
  }
}
