package io.agentnet.bridge.it;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.config.RequestMapping;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.agentnet.bridge.it.CoreMappingTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** The nats-timeout-ms header shortens one request's timeout below its mapping's, and stays off NATS. */
class RequestTimeoutHeaderTest extends BridgeTestSupport {

  private static final Duration MAPPING_TIMEOUT = Duration.ofSeconds(10);

  private void deployCaller() throws Exception {
    deploy(options().addRequest(new RequestMapping("remote", "remote", "ai.>", null, MAPPING_TIMEOUT)));
  }

  @Test
  void theHeaderShortensTheTimeoutAndIsNotForwarded() throws Exception {
    List<Message> seen = new CopyOnWriteArrayList<>();
    Connection silent = raw();
    silent.createDispatcher(seen::add).subscribe("ai.agents.a1.task"); // receives, never replies
    silent.flush(Duration.ofSeconds(2));
    deployCaller();

    long start = System.nanoTime();
    ReplyException e = failure(vertx.eventBus().request("remote", new JsonObject(), new DeliveryOptions()
        .addHeader(BusHeaders.SUBJECT, "ai.agents.a1.task").addHeader(BusHeaders.TIMEOUT, "300")
        .addHeader("trace-id", "t-1")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(e.failureType()).isEqualTo(ReplyFailure.TIMEOUT);
    assertThat(e.failureCode()).isEqualTo(BridgeFailure.TIMEOUT.code());
    assertThat(e.getMessage()).isEqualTo("no reply on NATS subject ai.agents.a1.task within 300 ms");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(5));

    await("the request to reach the subscriber", Duration.ofSeconds(5), () -> seen.size() == 1);
    Message request = seen.get(0);
    assertThat(request.getHeaders().getFirst("trace-id")).as("ordinary headers travel").isEqualTo("t-1");
    assertThat(request.getHeaders().containsKeyIgnoreCase(BusHeaders.TIMEOUT)).as("the reserved header does not").isFalse();
  }

  @Test
  void anUnparsableOrLongerHeaderLeavesTheMappingsTimeout() throws Exception {
    Connection responder = raw();
    Dispatcher d = responder.createDispatcher(msg -> {
      // answers after 500 ms: later than a 300 ms timeout, well within the mapping's 10 s
      try {
        Thread.sleep(500);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      responder.publish(msg.getReplyTo(), "{\"ok\":true}".getBytes());
    });
    d.subscribe("ai.orchestrator.get");
    responder.flush(Duration.ofSeconds(2));
    deployCaller();
    for (String header : List.of("soon", "60000", "-1")) {
      JsonObject reply = vertx.eventBus().<JsonObject>request("remote", new JsonObject(), new DeliveryOptions()
          .addHeader(BusHeaders.SUBJECT, "ai.orchestrator.get").addHeader(BusHeaders.TIMEOUT, header))
          .await(10, TimeUnit.SECONDS).body();
      assertThat(reply.getBoolean("ok")).as("header " + header).isTrue();
    }
  }
}
