package io.agentnet.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentnet.bridge.config.BridgeOptions;
import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bridge that never got through to NATS still owns a jnats connection that retries forever: stopping
 * the bridge must close it, or it goes on retrying (and logging) for the rest of the JVM.
 */
class StopUnconnectedTest {

  @Test
  void stoppingABridgeThatNeverConnectedClosesItsConnection() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NatsBridgeImpl bridge = (NatsBridgeImpl) NatsBridge.create(new BridgeOptions().setServer(nothingListening())
          .setStartupWait(Duration.ofMillis(200)), new SimpleMeterRegistry());
      String id = vertx.deployVerticle(bridge).await(10, TimeUnit.SECONDS);
      await("jnats to report its refused attempts", () -> bridge.jnatsStatus() != null);
      assertThat(bridge.state()).isNotEqualTo(ConnectionState.CONNECTED);

      vertx.undeploy(id).await(10, TimeUnit.SECONDS);
      await("the connection to be closed", () -> bridge.jnatsStatus() == Connection.Status.CLOSED);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A loopback URL that refuses connections: jnats retries it forever. */
  private static String nothingListening() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "nats://127.0.0.1:" + socket.getLocalPort();
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
      Thread.sleep(10);
    }
  }
}
