package io.agentnet.bridge.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.InboundMapping;
import io.agentnet.bridge.config.OutboundMapping;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.agentnet.bridge.testkit.TestPki;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityTest {

  private static final String PASSWORD = "pa55-Sup3r-s3cret";

  @Nested
  class PasswordAuth extends BridgeTestSupport {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @Override
    protected NatsServerProcess startServer() {
      return NatsServerProcess.builder()
          .extraConfig("authorization { user: agent, password: \"" + PASSWORD + "\" }").start();
    }

    @AfterEach
    void detach() {
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    @Test
    void thePasswordNeverAppearsInTheLogOrStatus() throws Exception {
      log.start();
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);

      // One bridge with the right password, one with a wrong one (so failures get logged too), and a
      // URL that carries credentials itself.
      NatsBridge good = deploy(options().setUser("agent").setPassword(PASSWORD)
          .addOutbound(OutboundMapping.core("out", "ai.events.x")));
      String wrongPassword = PASSWORD + "-wrong";
      NatsBridge bad = NatsBridge.create(options().setUser("agent").setPassword(wrongPassword)
          .setStartupWait(Duration.ofMillis(300)), registry);
      vertx.deployVerticle(bad).await(10, TimeUnit.SECONDS);
      NatsBridge inUrl = NatsBridge.create(options().setServer(nats.url().replace("nats://", "nats://agent:" + PASSWORD + "@"))
          .setStartupWait(Duration.ofSeconds(10)), registry);
      vertx.deployVerticle(inUrl).await(10, TimeUnit.SECONDS);
      assertThat(inUrl.state()).isEqualTo(ConnectionState.CONNECTED);
      vertx.eventBus().request("out", new JsonObject().put("x", 1)).await(5, TimeUnit.SECONDS);
      await("the wrong password to be reported", Duration.ofSeconds(5),
          () -> bad.status().getString("last_error", "").contains("Authorization Violation"));

      assertThat(bad.state()).isNotEqualTo(ConnectionState.CONNECTED);
      List<ILoggingEvent> logged;
      synchronized (log) { // the bad bridge keeps retrying, and logging, from other threads
        logged = List.copyOf(log.list);
      }
      assertThat(logged).as("log captured").anyMatch(e -> e.getFormattedMessage().contains("NATS bridge"));
      assertThat(logged).anyMatch(e -> e.getFormattedMessage().contains("Authorization Violation"));
      for (ILoggingEvent e : logged) {
        String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
            : ThrowableProxyUtil.asString(e.getThrowableProxy()));
        assertThat(text).doesNotContain(PASSWORD);
      }
      for (NatsBridge b : List.of(good, bad, inUrl)) {
        assertThat(b.status().encode()).doesNotContain(PASSWORD);
      }
    }
  }

  @Nested
  class TokenAuth extends BridgeTestSupport {

    @Override
    protected NatsServerProcess startServer() {
      return NatsServerProcess.builder().extraConfig("authorization { token: \"" + PASSWORD + "\" }").start();
    }

    @Test
    void connectsWithATokenAndKeepsItOutOfTheStatus() throws Exception {
      NatsBridge bridge = deploy(options().setToken(PASSWORD));
      assertThat(bridge.status().encode()).doesNotContain(PASSWORD);
      assertThat(bridge.status().getString("state")).isEqualTo("connected");
    }
  }

  @Nested
  class Tls extends BridgeTestSupport {

    private TestPki pki;

    @Override
    protected NatsServerProcess startServer() {
      pki = TestPki.create();
      return NatsServerProcess.builder().tls(pki, true).start();
    }

    @AfterEach
    void removePki() {
      pki.close();
    }

    @Test
    void connectsWithACustomCaAndAClientCertificate() throws Exception {
      deploy(options().setTlsCaFile(pki.caCert().toString()).setTlsCertFile(pki.clientCert().toString())
          .setTlsKeyFile(pki.clientKey().toString())
          .addOutbound(OutboundMapping.core("out", "ai.events.tls"))
          .addInbound(InboundMapping.publish("ai.events.tls", "in")));
      assertThat(nats.url()).startsWith("tls://");
    }

    @Test
    void withoutTheClientCertificateItIsRefusedAndSaysSo() throws Exception {
      NatsBridge bridge = NatsBridge.create(options().setTlsCaFile(pki.caCert().toString())
          .setStartupWait(Duration.ofMillis(500)), registry);
      vertx.deployVerticle(bridge).await(10, TimeUnit.SECONDS);
      assertThat(bridge.state()).isEqualTo(ConnectionState.CONNECTING);
      await("the TLS failure to be reported", Duration.ofSeconds(5), () -> bridge.status().containsKey("last_error"));
    }
  }
}
