package io.agentnet.bridge.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.BridgeOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.Status;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LocalModeTest {

  @Test
  void withoutNatsTheBridgeSaysSoOnceAndStaysOut() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(NatsBridge.class);
    logger.addAppender(log);
    Vertx vertx = Vertx.vertx();
    try {
      NatsBridge bridge = NatsBridge.create(new BridgeOptions());
      vertx.deployVerticle(bridge).await(5, TimeUnit.SECONDS);
      assertThat(bridge.state()).isEqualTo(ConnectionState.LOCAL);
      assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(NatsBridge.LOCAL_MODE_MESSAGE);
      Promise<Status> health = Promise.promise();
      bridge.healthCheck().handle(health);
      assertThat(health.future().await(5, TimeUnit.SECONDS).isOk()).isTrue();
      assertThat(bridge.status().getString("state")).isEqualTo("local");
    } finally {
      logger.detachAppender(log);
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
