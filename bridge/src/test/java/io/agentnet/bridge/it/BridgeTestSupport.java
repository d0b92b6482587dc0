package io.agentnet.bridge.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each test gets a real nats-server (JetStream on, its own store), a Vert.x instance whose blocked
 * thread checker is strict, and a fresh meter registry. After the test no event loop may have been
 * blocked: that is checked, not hoped.
 */
@ExtendWith(VertxExtension.class)
abstract class BridgeTestSupport {

  private static final String BLOCKED_THREAD_CHECKER = io.vertx.core.internal.threadchecker.BlockedThreadChecker.LOGGER_NAME;

  protected NatsServerProcess nats;
  protected Vertx vertx;
  protected MeterRegistry registry;
  private final List<Connection> rawConnections = new ArrayList<>();
  private final List<Vertx> extraVertx = new ArrayList<>();
  private ListAppender<ILoggingEvent> blockedThreadWarnings;

  @BeforeEach
  void startServerAndVertx() {
    nats = startServer();
    vertx = newVertx();
    registry = new SimpleMeterRegistry();
    blockedThreadWarnings = new ListAppender<>();
    blockedThreadWarnings.start();
    ((Logger) LoggerFactory.getLogger(BLOCKED_THREAD_CHECKER)).addAppender(blockedThreadWarnings);
  }

  /** Override to configure the server (auth, TLS, limits). */
  protected NatsServerProcess startServer() {
    return NatsServerProcess.start();
  }

  protected Vertx newVertx() {
    // An event loop held for over a second is reported, with its stack, and fails the test. A jnats call
    // that really blocks the loop waits out a 2 s or 5 s timeout, so this catches it; a tighter limit
    // tripped on the JVM's one-time work (linking a string concatenation took 244 ms on a busy machine).
    Vertx v = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(1).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
        .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.SECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    if (vertx != null) {
      extraVertx.add(v);
    }
    return v;
  }

  @AfterEach
  void stopEverything() throws Exception {
    ((Logger) LoggerFactory.getLogger(BLOCKED_THREAD_CHECKER)).detachAppender(blockedThreadWarnings);
    for (Connection c : rawConnections) {
      c.close();
    }
    for (Vertx v : extraVertx) {
      v.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    nats.close();
    assertThat(blockedThreadWarnings.list).as("event loop blocked").isEmpty();
  }

  protected BridgeOptions options() {
    return new BridgeOptions().setServer(nats.url()).setConnectionName("test")
        .setStartupWait(Duration.ofSeconds(10));
  }

  protected NatsBridge deploy(BridgeOptions options) throws Exception {
    return deploy(vertx, options);
  }

  protected NatsBridge deploy(Vertx on, BridgeOptions options) throws Exception {
    NatsBridge bridge = NatsBridge.create(options, registry);
    on.deployVerticle(bridge).await(20, TimeUnit.SECONDS);
    assertThat(bridge.state()).isEqualTo(ConnectionState.CONNECTED);
    return bridge;
  }

  /** A plain jnats connection: the "other side" of the bridge. */
  protected Connection raw() throws Exception {
    Connection c = Nats.connect(new Options.Builder().server(nats.url()).maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(50)).build());
    rawConnections.add(c);
    return c;
  }

  /** Polls a condition until it holds or the deadline passes. */
  protected static void await(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline.toMillis() + " ms waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  protected double counter(String name, String... tags) {
    var search = registry.find(name).tags(tags);
    return search.counter() == null ? 0 : search.counter().count();
  }
}
