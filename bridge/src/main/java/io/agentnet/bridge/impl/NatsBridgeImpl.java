package io.agentnet.bridge.impl;

import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.config.ConsumerMapping;
import io.agentnet.bridge.config.InboundMapping;
import io.agentnet.bridge.config.OutboundMapping;
import io.agentnet.bridge.config.RequestMapping;
import io.agentnet.bridge.config.ServiceMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Wires the bridge's parts to one NATS connection and follows its life: connect (asynchronously,
 * retrying without limit), set up streams, consumers, subscriptions and services on a worker, then
 * open the outbound path; pause it while reconnecting; close in order at stop.
 */
public final class NatsBridgeImpl extends VerticleBase implements NatsBridge {

  private static final Logger LOG = LoggerFactory.getLogger(NatsBridge.class);
  /** How long the server may take to confirm the subscriptions before the bridge reports connected anyway. */
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

  private final BridgeOptions options;
  private final MeterRegistry registryOverride;
  private final Redactor redactor;
  private final List<PullConsumer> consumers = new ArrayList<>();

  private String bridgeId;
  private BridgeMetrics metrics;
  private OutboundPublisher publisher;
  private BusToNats busToNats;
  private NatsToBus natsToBus;
  private KvService kv;
  private volatile Connection connection;
  /**
   * jnats' connection as soon as jnats reports anything about it. One that never reached the server has
   * no {@link #connection} yet goes on retrying, so stop() closes this one.
   */
  private volatile Connection jnatsConnection;
  private volatile boolean closed;
  private volatile ConnectionState state = ConnectionState.CONNECTING;
  private volatile String lastError;
  private volatile long serverMaxPayload;
  private Instant since = Instant.now();
  private List<String> streamOutcomes = List.of();
  private List<String> kvOutcomes = List.of();
  private boolean subscribed;
  private boolean stopping;
  private Promise<Void> ready;

  public NatsBridgeImpl(BridgeOptions options, MeterRegistry registry) {
    this.options = options;
    this.registryOverride = registry;
    this.redactor = new Redactor(options);
  }

  @Override
  public Future<?> start() {
    if (!options.isEnabled()) {
      state = ConnectionState.LOCAL;
      LOG.info(LOCAL_MODE_MESSAGE);
      return Future.succeededFuture();
    }
    bridgeId = options.getConnectionName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    metrics = new BridgeMetrics(meterRegistry(), bridgeId);
    publisher = new OutboundPublisher(vertx, context, metrics, options.getOutboundBufferMessages(),
        options.getOutboundBufferBytes(), options.getMaxPendingPublishAcks(), options.getPublishAckTimeout(),
        options.getPublishAttempts());
    busToNats = new BusToNats(vertx, context, bridgeId, metrics, publisher, this::maxPayload);
    natsToBus = new NatsToBus(vertx, context, bridgeId, metrics);
    if (!options.getKvBuckets().isEmpty()) {
      kv = new KvService(vertx, context, metrics, options.getKvAddress(), options.getKvBuckets());
    }
    for (ConsumerMapping m : options.getConsumers()) {
      consumers.add(new PullConsumer(vertx, context, bridgeId, metrics, m));
    }
    metrics.gauge(BridgeMetrics.BUFFERED, "unit", "messages", publisher::buffered);
    metrics.gauge(BridgeMetrics.CONNECTED, "state", "connected", () -> state == ConnectionState.CONNECTED ? 1 : 0);
    LOG.info("NATS bridge {} starting: servers {}; {} inbound, {} outbound, {} request, {} consumer and {} service "
            + "mapping(s), {} KV bucket(s); outbound buffer {} messages / {} bytes", bridgeId,
        options.getServers().stream().map(BridgeOptions::redactUrl).toList(), options.getInbound().size(),
        options.getOutbound().size(), options.getRequests().size(), options.getConsumers().size(),
        options.getServices().size(), options.getKvBuckets().size(), options.getOutboundBufferMessages(),
        options.getOutboundBufferBytes());

    List<Future<Void>> registrations = new ArrayList<>();
    for (OutboundMapping m : options.getOutbound()) {
      registrations.add(busToNats.register(m));
    }
    for (RequestMapping m : options.getRequests()) {
      registrations.add(busToNats.register(m));
    }
    if (kv != null) {
      registrations.add(kv.register());
    }
    registrations.add(vertx.eventBus().consumer(options.getStatusAddress() + ".get", msg -> msg.reply(status()))
        .completion());
    ready = Promise.promise();
    return Future.all(registrations)
        .compose(v -> vertx.executeBlocking(() -> {
          Nats.connectAsynchronously(NatsConnector.options(vertx, options, connectionListener(), errorListener()), true);
          return null;
        }))
        .compose(v -> awaitReady());
  }

  /** Ready when connected and set up, or after the startup wait: then NATS is retried in the background. */
  private Future<Void> awaitReady() {
    long timer = vertx.setTimer(Math.max(1, options.getStartupWait().toMillis()), t -> {
      if (ready.tryComplete()) {
        LOG.warn("NATS {} not reachable within {} ms{}; retrying in the background, buffering up to {} outbound "
                + "messages meanwhile", options.getServers().stream().map(BridgeOptions::redactUrl).toList(),
            options.getStartupWait().toMillis(), lastError == null ? "" : " (" + lastError + ")",
            options.getOutboundBufferMessages());
      }
    });
    return ready.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private ConnectionListener connectionListener() {
    return (conn, event) -> {
      track(conn);
      context.runOnContext(v -> onConnectionEvent(conn, event));
    };
  }

  private void track(Connection conn) {
    if (conn == null) {
      return;
    }
    jnatsConnection = conn;
    if (closed && conn.getStatus() != Connection.Status.CLOSED) {
      // a connection attempt stop() could not see yet; not closed on jnats' callback thread, which close() waits for
      Thread closer = new Thread(() -> {
        try {
          conn.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "agentnet-nats-close-" + bridgeId);
      closer.setDaemon(true);
      closer.start();
    }
  }

  private void onConnectionEvent(Connection conn, ConnectionListener.Events event) {
    switch (event) {
      case CONNECTED -> {
        connection = conn;
        setUp(conn);
      }
      case RECONNECTED -> setUp(conn);
      case DISCONNECTED -> {
        if (state == ConnectionState.CONNECTED) {
          publisher.pause();
          changeState(ConnectionState.RECONNECTING, "disconnected; reconnecting and buffering outbound messages");
        }
      }
      case CLOSED -> {
        publisher.pause();
        changeState(ConnectionState.CLOSED, "connection closed");
      }
      case LAME_DUCK -> LOG.warn("NATS server {} is entering lame duck mode; the bridge will move to another server",
          redactor.scrub(conn.getConnectedUrl()));
      default -> LOG.debug("NATS connection event {}", event);
    }
  }

  /**
   * After every (re)connect: provision streams, KV buckets and consumers (idempotent; a server that
   * lost its store gets them back); the first time also subscribe and start services and consumers.
   * JetStream trouble is reported but does not keep core mappings down.
   */
  private void setUp(Connection conn) {
    boolean first = !subscribed;
    subscribed = true;
    vertx.executeBlocking(() -> {
      serverMaxPayload = conn.getMaxPayload();
      List<String> outcomes = new ArrayList<>();
      List<String> buckets = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      List<PullConsumer> startable = new ArrayList<>();
      try {
        JetStreamManagement jsm = conn.jetStreamManagement();
        if (options.isProvisionStreams()) {
          outcomes.addAll(StreamProvisioner.provision(jsm, options.getStreams()));
          buckets.addAll(KvProvisioner.provision(conn.keyValueManagement(), options.getKvBuckets()));
        }
        for (PullConsumer c : consumers) {
          try {
            c.ensure(jsm);
            startable.add(c);
          } catch (Exception e) {
            problems.add(consumerProblem(c, "created", e));
          }
        }
      } catch (Exception e) {
        problems.add("JetStream unavailable: " + redactor.scrub(e.getMessage()));
        LOG.error("NATS connected, but JetStream is unavailable ({}); core mappings work, streams, KV buckets and "
            + "consumers are retried at the next reconnect", redactor.scrub(e.getMessage()));
      }
      if (first) {
        Dispatcher dispatcher = conn.createDispatcher();
        for (InboundMapping m : options.getInbound()) {
          natsToBus.subscribe(conn, dispatcher, m);
        }
        for (ServiceMapping s : options.getServices()) {
          natsToBus.startService(conn, s);
        }
      }
      for (PullConsumer c : startable) {
        try {
          c.start(conn);
        } catch (Exception e) {
          problems.add(consumerProblem(c, "started", e));
        }
      }
      if (first) {
        // SUBs are only queued so far: until the server has them, "connected" would be a promise that a message
        // published right now reaches this process, and it might not.
        try {
          conn.flush(FLUSH_TIMEOUT);
        } catch (Exception e) {
          problems.add("subscriptions not confirmed by the server: " + redactor.scrub(String.valueOf(e.getMessage())));
          LOG.warn("the server did not confirm the subscriptions within {} ms: {}", FLUSH_TIMEOUT.toMillis(),
              redactor.scrub(String.valueOf(e.getMessage())));
        }
      }
      outcomes.stream().filter(o -> o.contains(": error: ")).forEach(problems::add);
      buckets.stream().filter(o -> o.contains(": error: ")).forEach(problems::add);
      return new SetupResult(outcomes, buckets, problems);
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        streamOutcomes = ar.result().streams();
        kvOutcomes = ar.result().buckets();
        lastError = ar.result().problems().isEmpty() ? null : String.join("; ", ar.result().problems());
      } else {
        lastError = redactor.scrub(String.valueOf(ar.cause().getMessage()));
        LOG.error("setting up the NATS mappings failed: {}", lastError);
      }
      busToNats.connected(conn);
      if (kv != null) {
        kv.connected(conn);
      }
      try {
        publisher.open(conn, conn.jetStream());
      } catch (java.io.IOException e) {
        LOG.error("JetStream context unavailable: {}", redactor.scrub(e.getMessage()));
      }
      changeState(ConnectionState.CONNECTED, "connected to " + redactor.scrub(conn.getConnectedUrl()));
      ready.tryComplete();
    });
  }

  /** Logs why a consumer could not be created or started; returns the line for the status's last_error. */
  private String consumerProblem(PullConsumer c, String what, Exception e) {
    String reason = redactor.scrub(String.valueOf(e.getMessage()));
    LOG.error("consumer {} could not be {}: {}", c.name(), what, reason);
    return "consumer " + c.name() + ": " + reason;
  }

  private record SetupResult(List<String> streams, List<String> buckets, List<String> problems) {
  }

  private ErrorListener errorListener() {
    return new ErrorListener() {
      @Override
      public void errorOccurred(Connection conn, String error) {
        track(conn);
        report("NATS server error: " + redactor.scrub(error));
      }

      @Override
      public void exceptionOccurred(Connection conn, Exception exp) {
        track(conn);
        report("NATS connection problem: " + redactor.scrub(exp.toString()));
      }

      @Override
      public void slowConsumerDetected(Connection conn, Consumer consumer) {
        metrics.error("connection", "slow_consumer");
        LOG.warn("NATS slow consumer: the bridge is not keeping up with inbound messages; the server may drop some");
      }

      @Override
      public void messageDiscarded(Connection conn, io.nats.client.Message msg) {
        metrics.error("connection", "discarded");
        LOG.error("jnats discarded an outbound message to {}: its writer queue was full", msg.getSubject());
      }
    };
  }

  /** Logs a problem once while it repeats (every reconnect attempt would report it again). */
  private void report(String problem) {
    if (!problem.equals(lastError)) {
      LOG.warn("{} (repeats of this are logged at debug level)", problem);
    } else {
      LOG.debug(problem);
    }
    lastError = problem;
  }

  private void changeState(ConnectionState next, String why) {
    if (state == next) {
      return;
    }
    state = next;
    since = Instant.now();
    if (next == ConnectionState.CONNECTED || stopping) {
      LOG.info("NATS bridge {}: {}", bridgeId, why);
    } else {
      LOG.warn("NATS bridge {}: {}", bridgeId, why);
    }
    vertx.eventBus().publish(options.getStatusAddress(), status());
  }

  private long maxPayload() {
    long configured = options.getMaxPayload();
    long server = serverMaxPayload;
    if (configured > 0 && server > 0) {
      return Math.min(configured, server);
    }
    return configured > 0 ? configured : server;
  }

  @Override
  public ConnectionState state() {
    return state;
  }

  @Override
  public JsonObject status() {
    JsonObject s = new JsonObject().put("bridge_id", bridgeId).put("state", state.name().toLowerCase())
        .put("since", since.toString());
    if (state == ConnectionState.LOCAL) {
      return s.put("message", LOCAL_MODE_MESSAGE);
    }
    Connection c = connection;
    s.put("servers", new JsonArray(options.getServers().stream().map(BridgeOptions::redactUrl).toList()));
    if (c != null && state == ConnectionState.CONNECTED) {
      s.put("server", redactor.scrub(c.getConnectedUrl()));
    }
    if (publisher != null) {
      s.put("buffered", publisher.buffered()).put("buffered_bytes", publisher.bufferedBytes())
          .put("pending_acks", publisher.pendingAcks());
    }
    s.put("streams", new JsonArray(new ArrayList<>(streamOutcomes)));
    s.put("kv_buckets", new JsonArray(new ArrayList<>(kvOutcomes)));
    if (lastError != null) {
      s.put("last_error", lastError);
    }
    return s;
  }

  @Override
  public Handler<Promise<Status>> healthCheck() {
    return promise -> {
      boolean up = state == ConnectionState.CONNECTED || state == ConnectionState.LOCAL;
      promise.complete(up ? Status.OK(status()) : Status.KO(status()));
    };
  }

  @Override
  public MeterRegistry meterRegistry() {
    if (registryOverride != null) {
      return registryOverride;
    }
    MeterRegistry vertxDefault = BackendRegistries.getDefaultNow();
    return vertxDefault != null ? vertxDefault : Metrics.globalRegistry;
  }

  @Override
  public Future<?> stop() {
    if (state == ConnectionState.LOCAL || busToNats == null) {
      return Future.succeededFuture();
    }
    stopping = true;
    ready.tryFail("the bridge was stopped before NATS was reached");
    return busToNats.unregister()
        .compose(v -> kv == null ? Future.succeededFuture() : kv.unregister())
        .compose(v -> drainOutbound(System.currentTimeMillis() + 2_000))
        .compose(v -> vertx.executeBlocking(() -> {
          for (PullConsumer c : consumers) {
            c.stop();
          }
          natsToBus.stopServices();
          closed = true;
          Connection c = jnatsConnection != null ? jnatsConnection : connection;
          if (c != null) {
            flushBeforeClose(c);
            c.close();
          }
          return null;
        }))
        .onComplete(ar -> {
          publisher.close();
          state = ConnectionState.CLOSED;
          LOG.info("NATS bridge {} stopped", bridgeId);
        });
  }

  /**
   * jnats' close() drops what its writer has not sent yet: the last core publishes (an agent's offline
   * heartbeat, its final events) would be lost at every shutdown.
   */
  private void flushBeforeClose(Connection c) {
    if (c.getStatus() != Connection.Status.CONNECTED) {
      return;
    }
    try {
      c.flush(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("NATS bridge {}: outbound messages may not all have been sent before closing ({})", bridgeId,
          redactor.scrub(e.toString()));
    }
  }

  /** jnats' own view of its connection, null before jnats reported anything: for tests. */
  Connection.Status jnatsStatus() {
    Connection c = jnatsConnection;
    return c == null ? null : c.getStatus();
  }

  /** Gives buffered and unacknowledged publishes a moment to go out before the connection closes. */
  private Future<Void> drainOutbound(long deadline) {
    if (publisher.buffered() == 0 && publisher.pendingAcks() == 0 || state != ConnectionState.CONNECTED
        || System.currentTimeMillis() > deadline) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(10, t -> drainOutbound(deadline).onComplete(later));
    return later.future();
  }
}
