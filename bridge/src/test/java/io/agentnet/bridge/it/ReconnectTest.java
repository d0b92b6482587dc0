package io.agentnet.bridge.it;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.ConnectionState;
import io.agentnet.bridge.NatsBridge;
import io.agentnet.bridge.config.OutboundMapping;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server is stopped mid-stream and started again (same port, same store). Messages published
 * during the outage wait in the bridge's buffer up to its bound and arrive, in order, after the
 * reconnect; those past the bound are refused to their sender with a clear error. None vanishes.
 */
class ReconnectTest extends BridgeTestSupport {

  private static final int BOUND = 50;

  @Test
  void outageMessagesUpToTheBoundArriveAndTheRestAreRefusedLoudly() throws Exception {
    NatsBridge bridge = deploy(options().setOutboundBufferMessages(BOUND)
        .setReconnectWaitMin(Duration.ofMillis(50)).setReconnectWaitMax(Duration.ofMillis(200))
        .addOutbound(OutboundMapping.jetStream("events", "ai.events.>")));
    List<Future<Object>> before = send(0, 10);
    Future.all(before).await(10, TimeUnit.SECONDS);

    nats.stop();
    await("the bridge to notice the outage", Duration.ofSeconds(10),
        () -> bridge.state() == ConnectionState.RECONNECTING);
    assertThat(health(bridge).isOk()).isFalse();
    List<Future<Object>> during = send(10, BOUND + 15);
    // Past the bound the sender is told at once, while NATS is still down.
    List<ReplyException> refused = new ArrayList<>();
    for (Future<Object> f : during.subList(BOUND, during.size())) {
      refused.add((ReplyException) f.transform(ar -> Future.succeededFuture(ar.cause())).await(5, TimeUnit.SECONDS));
    }
    assertThat(refused).allSatisfy(e -> {
      assertThat(e.failureCode()).isEqualTo(BridgeFailure.BUFFER_FULL.code());
      assertThat(e.getMessage()).contains("outbound buffer is full (50 of 50 messages");
    });
    assertThat(during.subList(0, BOUND)).noneMatch(Future::isComplete);
    assertThat(bridge.status().getInteger("buffered")).isEqualTo(BOUND);

    nats.startAgain();
    Future.all(during.subList(0, BOUND)).await(20, TimeUnit.SECONDS);
    assertThat(bridge.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(health(bridge).isOk()).isTrue();
    Future.all(send(10 + BOUND + 15, 10)).await(10, TimeUnit.SECONDS);

    // The stream holds every accepted message exactly once, in the order sent.
    JetStreamSubscription sub = raw().jetStream().subscribe("ai.events.>", PullSubscribeOptions.builder().build());
    List<Integer> stored = new ArrayList<>();
    List<Message> batch;
    while (!(batch = sub.fetch(100, Duration.ofSeconds(1))).isEmpty()) {
      batch.forEach(m -> stored.add(new JsonObject(new String(m.getData())).getInteger("n")));
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 10 + BOUND; i++) {
      expected.add(i);
    }
    for (int i = 10 + BOUND + 15; i < 10 + BOUND + 25; i++) {
      expected.add(i);
    }
    assertThat(stored).containsExactlyElementsOf(expected);
  }

  private List<Future<Object>> send(int from, int count) {
    List<Future<Object>> replies = new ArrayList<>();
    for (int n = from; n < from + count; n++) {
      replies.add(vertx.eventBus().request("events", new JsonObject().put("n", n),
          new DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.events.test").setSendTimeout(60_000)).map(m -> m.body()));
    }
    return replies;
  }

  private Status health(NatsBridge bridge) throws Exception {
    Promise<Status> p = Promise.promise();
    bridge.healthCheck().handle(p);
    return p.future().await(5, TimeUnit.SECONDS);
  }
}
