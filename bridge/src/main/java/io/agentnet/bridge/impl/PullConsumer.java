package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.config.ConsumerMapping;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.Headers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A durable JetStream pull consumer feeding one event bus address, at least once.
 *
 * <p>Its fetch loop runs on a thread of its own (fetching blocks, and must never hold an event loop
 * or a shared worker). A semaphore of {@code maxInFlight} permits is taken before each message is
 * fetched and given back only when the handler's outcome has been acknowledged to the server, so at
 * most that many messages are ever held: a slow handler slows the pulling. The server enforces the
 * same bound with {@code max_ack_pending}. Handling itself happens on the bridge's context.
 */
final class PullConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(PullConsumer.class);
  private static final long FETCH_EXPIRES_MS = 1_000;

  static final String DLQ_REASON = "Nats-Dlq-Reason";
  static final String DLQ_STREAM = "Nats-Dlq-Stream";
  static final String DLQ_CONSUMER = "Nats-Dlq-Consumer";
  static final String DLQ_SUBJECT = "Nats-Dlq-Subject";
  static final String DLQ_SEQUENCE = "Nats-Dlq-Stream-Seq";
  static final String DLQ_DELIVERIES = "Nats-Dlq-Deliveries";

  private final Vertx vertx;
  private final Context context;
  private final String bridgeId;
  private final BridgeMetrics metrics;
  private final ConsumerMapping mapping;
  private final Backoff nakBackoff;
  private final Semaphore permits;
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread thread;
  private JetStream jetStream;

  PullConsumer(Vertx vertx, Context context, String bridgeId, BridgeMetrics metrics, ConsumerMapping mapping) {
    this.vertx = vertx;
    this.context = context;
    this.bridgeId = bridgeId;
    this.metrics = metrics;
    this.mapping = mapping;
    this.nakBackoff = new Backoff(mapping.backoffBase(), mapping.backoffMax(), false);
    this.permits = new Semaphore(mapping.maxInFlight());
    metrics.gauge(BridgeMetrics.IN_FLIGHT, "consumer", mapping.durable(), this::inFlight);
  }

  String name() {
    return mapping.durable();
  }

  int inFlight() {
    return mapping.maxInFlight() - permits.availablePermits();
  }

  /**
   * Creates or updates the durable consumer. Blocking: call on a worker. Deliveries are not capped
   * on the server; this consumer dead-letters past {@code maxDeliver} itself, so a message whose
   * last attempt died with its process is still dead-lettered rather than stranded.
   */
  void ensure(JetStreamManagement jsm) throws Exception {
    ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder()
        .durable(mapping.durable())
        .ackPolicy(AckPolicy.Explicit)
        .ackWait(mapping.ackWait())
        .maxAckPending(mapping.maxInFlight())
        .maxDeliver(-1);
    if (mapping.filterSubject() != null) {
      cc.filterSubject(mapping.filterSubject());
    }
    jsm.addOrUpdateConsumer(mapping.stream(), cc.build());
  }

  void start(Connection connection) throws Exception {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    ConsumerContext consumer;
    try {
      jetStream = connection.jetStream();
      consumer = connection.getStreamContext(mapping.stream()).getConsumerContext(mapping.durable());
    } catch (Exception e) {
      running.set(false); // not started: the next connect tries again
      throw e;
    }
    thread = new Thread(() -> fetchLoop(consumer), "agentnet-pull-" + mapping.durable());
    thread.setDaemon(true);
    thread.start();
    LOG.info("consumer {}: stream {}{} -> event bus {} (at most {} in flight, {} deliveries, then {})",
        mapping.durable(), mapping.stream(), mapping.filterSubject() == null ? "" : " " + mapping.filterSubject(),
        mapping.address(), mapping.maxInFlight(), mapping.maxDeliver(), mapping.deadLetterSubject());
  }

  /** Stops fetching; in-flight messages finish or are redelivered after their ack wait. Blocking. */
  void stop() throws InterruptedException {
    if (running.compareAndSet(true, false) && thread != null) {
      thread.interrupt();
      thread.join(5_000);
    }
  }

  private void fetchLoop(ConsumerContext consumer) {
    Backoff errorBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), true);
    int errors = 0;
    while (running.get()) {
      int taken = 0;
      int delivered = 0;
      try {
        permits.acquire();
        taken = 1 + drainUpTo(permits, mapping.maxInFlight() - 1);
        FetchConsumeOptions options = FetchConsumeOptions.builder().maxMessages(taken)
            .expiresIn(FETCH_EXPIRES_MS).build();
        try (FetchConsumer fetch = consumer.fetch(options)) {
          Message msg;
          while ((msg = fetch.nextMessage()) != null) {
            delivered++;
            Message m = msg;
            context.runOnContext(v -> handle(m));
          }
        }
        errors = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // Typically the connection is down: wait and try again, without flooding the log.
        if (errors++ == 0) {
          LOG.warn("consumer {}: fetch failed, retrying: {}", mapping.durable(), e.toString());
        }
        try {
          Thread.sleep(errorBackoff.delay(errors).toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      } finally {
        permits.release(Math.max(0, taken - delivered));
      }
    }
  }

  private static int drainUpTo(Semaphore semaphore, int max) {
    int got = 0;
    while (got < max && semaphore.tryAcquire()) {
      got++;
    }
    return got;
  }

  private void handle(Message msg) {
    long deliveries = msg.metaData().deliveredCount();
    if (deliveries > 1) {
      metrics.redelivery(mapping.durable());
    }
    if (deliveries > mapping.maxDeliver()) {
      deadLetter(msg, "delivered " + deliveries + " times, more than the maximum of " + mapping.maxDeliver()
          + " (earlier attempts did not finish)");
      return;
    }
    Object body;
    try {
      body = Payloads.decode(msg.getData(), mapping.format());
    } catch (DecodeException e) {
      metrics.error(mapping.durable(), "malformed_json");
      deadLetter(msg, "payload is not a JSON object: " + firstLine(e.getMessage()));
      return;
    }
    metrics.in(mapping.durable());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(mapping.handlerTimeout().toMillis());
    HeaderMapping.toBus(msg.getHeaders(), options);
    options.addHeader(BusHeaders.SUBJECT, msg.getSubject())
        .addHeader(BusHeaders.STREAM, mapping.stream())
        .addHeader(BusHeaders.STREAM_SEQUENCE, String.valueOf(msg.metaData().streamSequence()))
        .addHeader(BusHeaders.DELIVERIES, String.valueOf(deliveries))
        .addHeader(BusHeaders.ORIGIN, bridgeId);
    vertx.eventBus().request(mapping.address(), body, options).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.ack();
        permits.release();
        return;
      }
      Throwable cause = ar.cause();
      int code = cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          ? re.failureCode() : BridgeFailure.HANDLER_FAILURE.code();
      String reason = cause.getMessage();
      metrics.error(mapping.durable(), "handler_failure");
      if (BridgeFailure.isPermanent(code)) {
        deadLetter(msg, "handler refused it permanently (" + code + "): " + reason);
      } else if (deliveries >= mapping.maxDeliver()) {
        deadLetter(msg, "failed on all " + deliveries + " deliveries; last error (" + code + "): " + reason);
      } else {
        msg.nakWithDelay(nakBackoff.delay(deliveries));
        permits.release();
      }
    });
  }

  /**
   * Publishes the message with the reason to the dead-letter subject and, once JetStream has it,
   * terminates the original. If the dead letter cannot be stored the original is nak'ed instead:
   * it comes back later rather than vanishing.
   */
  private void deadLetter(Message msg, String reason) {
    Headers headers = new Headers(msg.getHeaders())
        .put(DLQ_REASON, reason)
        .put(DLQ_STREAM, mapping.stream())
        .put(DLQ_CONSUMER, mapping.durable())
        .put(DLQ_SUBJECT, msg.getSubject())
        .put(DLQ_SEQUENCE, String.valueOf(msg.metaData().streamSequence()))
        .put(DLQ_DELIVERIES, String.valueOf(msg.metaData().deliveredCount()));
    headers.remove("Nats-Msg-Id");
    jetStream.publishAsync(mapping.deadLetterSubject(), headers, msg.getData())
        .whenComplete((ack, err) -> context.runOnContext(v -> {
          if (err == null) {
            msg.term();
            metrics.deadLetter(mapping.durable());
            LOG.warn("consumer {}: message {} on {} dead-lettered to {}: {}", mapping.durable(),
                msg.metaData().streamSequence(), msg.getSubject(), mapping.deadLetterSubject(), reason);
          } else {
            metrics.error(mapping.durable(), "dead_letter_failed");
            LOG.error("consumer {}: could not store dead letter on {} ({}); message {} will be redelivered",
                mapping.durable(), mapping.deadLetterSubject(), err.getMessage(), msg.metaData().streamSequence());
            msg.nakWithDelay(mapping.backoffMax());
          }
          permits.release();
        }));
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
