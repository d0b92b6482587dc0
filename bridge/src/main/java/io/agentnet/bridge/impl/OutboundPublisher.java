package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Publishes event bus messages to NATS without ever blocking the event loop, and without losing
 * one silently. While NATS is reachable and keeping up, a message goes straight out (core publish
 * only queues it in jnats' writer; JetStream publishes are asynchronous and their PubAcks bounded
 * in number). Otherwise it waits in a bounded FIFO, drained in order when the connection is back or
 * the writer has caught up; past the bound it is refused with {@link BridgeFailure#BUFFER_FULL}. A
 * JetStream publish that is not acknowledged is retried with backoff under the same Nats-Msg-Id, so
 * the stream keeps it once.
 *
 * <p>Everything here runs on the bridge verticle's context; jnats completions hop back to it.
 */
final class OutboundPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(OutboundPublisher.class);
  /** Above this many messages waiting in jnats' writer we buffer instead, so jnats never blocks us. */
  static final int WRITER_HIGH_WATER = 32_768;
  private static final long DRAIN_RETRY_MS = 10;
  private static final int WRITER_CHECK_EVERY = 1024;
  private int sendsUntilWriterCheck;
  private boolean writerHasRoom = true;

  private final Vertx vertx;
  private final Context context;
  private final BridgeMetrics metrics;
  private final BoundedQueue<PendingPublish> buffer;
  private final int maxPendingAcks;
  private final Duration ackTimeout;
  private final int maxAttempts;
  private final Backoff retryBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), true);

  private Connection connection;
  private JetStream jetStream;
  private boolean open;
  private int pendingAcks;
  private long drainTimer = -1;
  private long rejectedSinceLastLog;

  OutboundPublisher(Vertx vertx, Context context, BridgeMetrics metrics, int bufferMessages, long bufferBytes,
                    int maxPendingAcks, Duration ackTimeout, int maxAttempts) {
    this.vertx = vertx;
    this.context = context;
    this.metrics = metrics;
    this.buffer = new BoundedQueue<>(bufferMessages, bufferBytes, PendingPublish::size);
    this.maxPendingAcks = maxPendingAcks;
    this.ackTimeout = ackTimeout;
    this.maxAttempts = maxAttempts;
  }

  /** The connection is up (again): send what waited, in order. */
  void open(Connection connection, JetStream jetStream) {
    this.connection = connection;
    this.jetStream = jetStream;
    this.open = true;
    this.sendsUntilWriterCheck = 0;
    drain();
  }

  /** The connection is down: buffer from now on. */
  void pause() {
    open = false;
  }

  int buffered() {
    return buffer.size();
  }

  long bufferedBytes() {
    return buffer.bytes();
  }

  int pendingAcks() {
    return pendingAcks;
  }

  void submit(PendingPublish p) {
    if (open && buffer.isEmpty() && canSendNow(p)) {
      send(p);
      return;
    }
    if (!buffer.offer(p)) {
      reject(p);
      return;
    }
    if (open) {
      scheduleDrain(DRAIN_RETRY_MS);
    }
  }

  private void reject(PendingPublish p) {
    metrics.error(p.mapping, "buffer_full");
    String message = "NATS is " + (open ? "not keeping up" : "unreachable") + " and the outbound buffer is full ("
        + buffer.size() + " of " + buffer.maxItems() + " messages, " + buffer.bytes() + " of " + buffer.maxBytes()
        + " bytes): message to " + p.subject + " was not sent";
    p.fail(BridgeFailure.BUFFER_FULL, message);
    // One line per burst of rejections: enough to be seen, not enough to flood the log.
    if (rejectedSinceLastLog++ == 0) {
      LOG.warn("{} (further rejections are counted in {}{{reason=buffer_full}})", message, BridgeMetrics.ERRORS);
      vertx.setTimer(5_000, t -> {
        if (rejectedSinceLastLog > 1) {
          LOG.warn("{} more outbound messages refused: buffer full", rejectedSinceLastLog - 1);
        }
        rejectedSinceLastLog = 0;
      });
    }
  }

  private boolean canSendNow(PendingPublish p) {
    if (p.notBeforeNanos != 0 && System.nanoTime() < p.notBeforeNanos) {
      return false;
    }
    return p.jetStream ? pendingAcks < maxPendingAcks : writerHasRoom();
  }

  /**
   * Reading jnats' queue depth takes its writer lock, which its writer thread holds while writing
   * to the socket: asked per message, the event loop would stall on it. Between checks at most
   * WRITER_CHECK_EVERY messages are queued, far below the gap between high water and jnats' limit.
   */
  private boolean writerHasRoom() {
    if (--sendsUntilWriterCheck <= 0) {
      sendsUntilWriterCheck = WRITER_CHECK_EVERY;
      writerHasRoom = connection.outgoingPendingMessageCount() < WRITER_HIGH_WATER;
    }
    return writerHasRoom;
  }

  private void send(PendingPublish p) {
    p.attempts++;
    if (p.jetStream) {
      sendJetStream(p);
      return;
    }
    try {
      connection.publish(p.subject, p.headers, p.data);
      metrics.out(p.mapping);
      if (p.wantsReply()) {
        p.succeed(new JsonObject().put("subject", p.subject));
      }
    } catch (IllegalStateException disconnected) {
      // The connection dropped before we heard about it: keep the message for the reconnect.
      buffer.pushFront(p);
      open = false;
    } catch (IllegalArgumentException refused) {
      metrics.error(p.mapping, "refused");
      p.fail(BridgeFailure.BAD_REQUEST, "NATS refused the message to " + p.subject + ": " + refused.getMessage());
    }
  }

  private void sendJetStream(PendingPublish p) {
    pendingAcks++;
    PublishOptions options = PublishOptions.builder().messageId(p.msgId).build();
    CompletableFuture<PublishAck> future;
    try {
      future = jetStream.publishAsync(p.subject, p.headers, p.data, options);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((ack, err) -> context.runOnContext(v -> onPublishAck(p, ack, err)));
  }

  private void onPublishAck(PendingPublish p, PublishAck ack, Throwable err) {
    pendingAcks--;
    if (err == null) {
      metrics.out(p.mapping);
      p.succeed(new JsonObject().put("subject", p.subject).put("stream", ack.getStream())
          .put("seq", ack.getSeqno()).put("duplicate", ack.isDuplicate()));
    } else {
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      if (isPermanent(cause) || p.attempts >= maxAttempts) {
        metrics.error(p.mapping, "not_acknowledged");
        String message = "JetStream did not acknowledge the publish to " + p.subject + " after " + p.attempts
            + " attempt(s): " + describe(cause);
        LOG.warn(message);
        p.fail(BridgeFailure.NATS_ERROR, message);
      } else {
        p.notBeforeNanos = System.nanoTime() + retryBackoff.delay(p.attempts).toNanos();
        buffer.pushFront(p);
      }
    }
    drain();
  }

  /** A JetStream API error (such as a wrong expected stream) will not change on retry; transport trouble may. */
  private static boolean isPermanent(Throwable cause) {
    return cause instanceof JetStreamApiException || cause instanceof IllegalArgumentException;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return "no PubAck within the publish timeout (is a stream capturing this subject, and is JetStream up?)";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private void drain() {
    while (open && !buffer.isEmpty() && canSendNow(buffer.peek())) {
      send(buffer.poll());
    }
    if (open && !buffer.isEmpty()) {
      scheduleDrain(DRAIN_RETRY_MS);
    }
  }

  private void scheduleDrain(long delayMs) {
    if (drainTimer < 0) {
      drainTimer = vertx.setTimer(delayMs, t -> {
        drainTimer = -1;
        drain();
      });
    }
  }

  /** At stop: whatever could not be sent is failed with a clear error rather than dropped unnoticed. */
  void close() {
    open = false;
    int lost = buffer.size();
    PendingPublish p;
    while ((p = buffer.poll()) != null) {
      metrics.error(p.mapping, "shutdown");
      p.fail(BridgeFailure.SHUTTING_DOWN, "the bridge stopped before the message to " + p.subject + " could be sent");
    }
    if (lost > 0) {
      LOG.warn("bridge stopped with {} outbound message(s) unsent; their senders were told", lost);
    }
  }
}
