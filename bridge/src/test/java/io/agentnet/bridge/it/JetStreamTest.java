package io.agentnet.bridge.it;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.config.ConsumerMapping;
import io.agentnet.bridge.config.OutboundMapping;
import io.agentnet.bridge.impl.BridgeMetrics;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class JetStreamTest extends BridgeTestSupport {

  private static final Duration FAST = Duration.ofMillis(50);

  private ConsumerMapping worker(int maxInFlight, int maxDeliver) {
    return ConsumerMapping.of("worker", "AI_WORKFLOWS", "ai.workflows.>", "work")
        .withMaxInFlight(maxInFlight).withMaxDeliver(maxDeliver).withBackoff(FAST, Duration.ofMillis(200));
  }

  private void publishWork(int n) throws Exception {
    JetStream js = raw().jetStream();
    for (int i = 0; i < n; i++) {
      js.publish("ai.workflows.task", new JsonObject().put("n", i).toBuffer().getBytes());
    }
  }

  private long streamMessages(String stream) throws Exception {
    return raw().jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
  }

  private List<Message> deadLetters(int expected) throws Exception {
    JetStreamSubscription sub = raw().jetStream().subscribe("ai.dlq.>", PullSubscribeOptions.builder().build());
    List<Message> got = sub.fetch(expected, Duration.ofSeconds(5));
    got.forEach(Message::ack);
    return got;
  }

  @Test
  void publishesAreAcknowledgedAndDeduplicated() throws Exception {
    deploy(options().addOutbound(OutboundMapping.jetStream("events", "ai.events.>")));
    DeliveryOptions headers = new DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.events.workflow.w1")
        .addHeader(BusHeaders.MSG_ID, "event-1");
    JsonObject first = vertx.eventBus().<JsonObject>request("events", new JsonObject().put("n", 1), headers)
        .await(5, TimeUnit.SECONDS).body();
    JsonObject again = vertx.eventBus().<JsonObject>request("events", new JsonObject().put("n", 1), headers)
        .await(5, TimeUnit.SECONDS).body();
    assertThat(first.getString("stream")).isEqualTo("AI_EVENTS");
    assertThat(first.getBoolean("duplicate")).isFalse();
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat(again.getLong("seq")).isEqualTo(first.getLong("seq"));
    assertThat(streamMessages("AI_EVENTS")).isEqualTo(1);
  }

  @Test
  void aHandlersReplyAcknowledges() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer("work", msg -> {
      handled.incrementAndGet();
      msg.reply(new JsonObject().put("ok", true));
    }).completion().await();
    deploy(options().addConsumer(worker(8, 5)));
    publishWork(20);
    await("20 messages handled", Duration.ofSeconds(10), () -> handled.get() == 20);
    // AI_WORKFLOWS is a work queue: acknowledged messages leave the stream.
    await("the work queue to empty", Duration.ofSeconds(10), () -> uncheckedCount("AI_WORKFLOWS") == 0);
    assertThat(handled.get()).isEqualTo(20);
    assertThat(counter(BridgeMetrics.REDELIVERIES, "consumer", "worker")).isZero();
  }

  @Test
  void aFailureIsRedeliveredWithTheDeliveryCount() throws Exception {
    List<String> deliveries = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("work", msg -> {
      deliveries.add(msg.headers().get(BusHeaders.DELIVERIES));
      if (deliveries.size() == 1) {
        msg.fail(500, "node pve1 did not answer");
      } else {
        msg.reply(new JsonObject());
      }
    }).completion().await();
    deploy(options().addConsumer(worker(4, 5)));
    publishWork(1);
    await("the redelivery to succeed", Duration.ofSeconds(10), () -> deliveries.size() == 2);
    await("the work queue to empty", Duration.ofSeconds(10), () -> uncheckedCount("AI_WORKFLOWS") == 0);
    assertThat(deliveries).containsExactly("1", "2");
    assertThat(counter(BridgeMetrics.REDELIVERIES, "consumer", "worker")).isEqualTo(1.0);
  }

  @Test
  void aPermanentFailureIsTerminatedAndDeadLettered() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer("work", msg -> {
      calls.incrementAndGet();
      msg.fail(422, "memory must be a positive number of MiB");
    }).completion().await();
    deploy(options().addConsumer(worker(4, 5)));
    publishWork(1);
    Message dead = deadLetters(1).get(0);
    assertThat(dead.getSubject()).isEqualTo("ai.dlq.AI_WORKFLOWS.worker");
    assertThat(dead.getHeaders().getFirst("Nats-Dlq-Reason"))
        .isEqualTo("handler refused it permanently (422): memory must be a positive number of MiB");
    assertThat(dead.getHeaders().getFirst("Nats-Dlq-Subject")).isEqualTo("ai.workflows.task");
    assertThat(new String(dead.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":0}");
    await("the work queue to empty", Duration.ofSeconds(10), () -> uncheckedCount("AI_WORKFLOWS") == 0);
    assertThat(calls.get()).as("a permanent failure is not retried").isEqualTo(1);
  }

  @Test
  void afterTheMaximumDeliveriesTheMessageIsDeadLettered() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer("work", msg -> {
      calls.incrementAndGet();
      msg.fail(503, "proxmox unreachable");
    }).completion().await();
    deploy(options().addConsumer(worker(4, 3)));
    publishWork(1);
    Message dead = deadLetters(1).get(0);
    assertThat(dead.getHeaders().getFirst("Nats-Dlq-Reason"))
        .isEqualTo("failed on all 3 deliveries; last error (503): proxmox unreachable");
    assertThat(dead.getHeaders().getFirst("Nats-Dlq-Deliveries")).isEqualTo("3");
    assertThat(calls.get()).isEqualTo(3);
    await("the dead letter to be counted", Duration.ofSeconds(5),
        () -> counter(BridgeMetrics.DEAD_LETTERS, "consumer", "worker") == 1.0);
    await("the work queue to empty", Duration.ofSeconds(10), () -> uncheckedCount("AI_WORKFLOWS") == 0);
  }

  @Test
  void malformedJsonOnAStreamGoesStraightToTheDeadLetters() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().consumer("work", msg -> calls.incrementAndGet()).completion().await();
    deploy(options().addConsumer(worker(4, 5)));
    raw().jetStream().publish("ai.workflows.task", "{broken".getBytes());
    Message dead = deadLetters(1).get(0);
    assertThat(dead.getHeaders().getFirst("Nats-Dlq-Reason")).startsWith("payload is not a JSON object");
    assertThat(calls.get()).isZero();
  }

  @Test
  void inFlightIsBoundedUnderASlowHandler() throws Exception {
    int bound = 4;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer("work", msg -> {
      maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      vertx.setTimer(30, t -> {
        inFlight.decrementAndGet();
        done.incrementAndGet();
        msg.reply(new JsonObject());
      });
    }).completion().await();
    deploy(options().addConsumer(worker(bound, 5)));
    publishWork(60);
    JetStreamManagement jsm = raw().jetStreamManagement();
    long maxAckPending = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (done.get() < 60) {
      assertThat(System.nanoTime()).as("all 60 handled within 20 s").isLessThan(deadline);
      maxAckPending = Math.max(maxAckPending, jsm.getConsumerInfo("AI_WORKFLOWS", "worker").getNumAckPending());
      double gauge = registry.find(BridgeMetrics.IN_FLIGHT).tag("consumer", "worker").gauge().value();
      assertThat(gauge).isLessThanOrEqualTo(bound);
      Thread.sleep(5);
    }
    assertThat(maxSeen.get()).as("handlers running at once").isLessThanOrEqualTo(bound).isGreaterThan(1);
    assertThat(maxAckPending).as("messages the server counts as unacknowledged").isLessThanOrEqualTo(bound);
  }

  private long uncheckedCount(String stream) {
    try {
      return streamMessages(stream);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
