package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.SubjectPattern;
import io.agentnet.bridge.config.OutboundMapping;
import io.agentnet.bridge.config.RequestMapping;
import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.impl.Headers;
import io.nats.service.ServiceMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Carries event bus messages to NATS: outbound rules (publish, core or JetStream, through the
 * {@link OutboundPublisher}) and request rules (a NATS request whose reply becomes the bus reply).
 * Messages that this bridge itself brought in from NATS are skipped, so nothing loops.
 */
final class BusToNats {

  private static final Logger LOG = LoggerFactory.getLogger(BusToNats.class);

  private final Vertx vertx;
  private final Context context;
  private final String bridgeId;
  private final BridgeMetrics metrics;
  private final OutboundPublisher publisher;
  private final Supplier<Long> maxPayload;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private Connection connection;

  BusToNats(Vertx vertx, Context context, String bridgeId, BridgeMetrics metrics, OutboundPublisher publisher,
            Supplier<Long> maxPayload) {
    this.vertx = vertx;
    this.context = context;
    this.bridgeId = bridgeId;
    this.metrics = metrics;
    this.publisher = publisher;
    this.maxPayload = maxPayload;
  }

  void connected(Connection connection) {
    this.connection = connection;
  }

  Future<Void> register(OutboundMapping m) {
    LOG.info("outbound {}: event bus {} -> NATS {}{}", m.name(), m.address(), m.subject(),
        m.jetstream() ? " (JetStream, acknowledged)" : "");
    return consume(m.name(), m.address(), m.subject(), (subject, data, msg) -> {
      MultiMap busHeaders = msg.headers();
      String msgId = m.jetstream() ? messageId(busHeaders) : null;
      publisher.submit(new PendingPublish(m.name(), subject, HeaderMapping.toNats(busHeaders), data, m.jetstream(),
          msgId, msg));
    });
  }

  Future<Void> register(RequestMapping m) {
    LOG.info("request {}: event bus {} -> NATS request {} (timeout {} ms)", m.name(), m.address(), m.subject(),
        m.timeout().toMillis());
    return consume(m.name(), m.address(), m.subject(), (subject, data, msg) -> request(m, subject, data, msg));
  }

  /** What a rule does with a message once its subject is resolved and its payload checked. */
  private interface Forward {
    void to(String subject, byte[] data, Message<Object> msg);
  }

  /**
   * The consumer behind every bus-to-NATS rule: skips what this bridge brought in, resolves the
   * subject against the rule's pattern, checks the payload size, and refuses with a typed failure.
   */
  private Future<Void> consume(String mapping, String address, String subjectPattern, Forward forward) {
    SubjectPattern pattern = SubjectPattern.of(subjectPattern);
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, msg -> {
      if (isOwnInbound(msg)) {
        return;
      }
      try {
        String subject = resolveSubject(pattern, msg.headers(), address);
        forward.to(subject, checkedPayload(msg.body(), subject), msg);
      } catch (ReplyException refused) {
        refuse(mapping, msg, refused);
      }
    });
    consumers.add(consumer);
    return consumer.completion();
  }

  private void request(RequestMapping m, String subject, byte[] data, Message<Object> msg) {
    Connection conn = connection;
    if (conn == null || conn.getStatus() != Connection.Status.CONNECTED) {
      metrics.error(m.name(), "not_connected");
      msg.reply(BridgeFailure.NOT_CONNECTED.exception("NATS is not connected; request to " + subject
          + " was not sent (the bridge is reconnecting, try again)"));
      return;
    }
    long start = System.nanoTime();
    metrics.out(m.name());
    Duration timeout = effectiveTimeout(m.timeout(), msg.headers().get(BusHeaders.TIMEOUT));
    // jnats expires requests only on its periodic cleanup sweep: enforce the timeout here, on time.
    // The nats-timeout-ms header is reserved (nats- prefix), so toNats leaves it out.
    conn.requestWithTimeout(subject, HeaderMapping.toNats(msg.headers()), data, timeout)
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .whenComplete((reply, err) -> context.runOnContext(v -> {
          metrics.requestLatency(m.name(), Duration.ofNanos(System.nanoTime() - start));
          if (err != null) {
            metrics.error(m.name(), "request_failed");
            msg.reply(requestFailure(subject, timeout, err));
            return;
          }
          String serviceError = reply.getHeaders() == null ? null
              : reply.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR);
          if (serviceError != null) {
            metrics.error(m.name(), "handler_failure");
            msg.reply(new ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE,
                serviceErrorCode(reply.getHeaders()), "handler for " + subject + " failed: " + serviceError));
            return;
          }
          try {
            Object body = Payloads.decode(reply.getData(), m.format());
            metrics.in(m.name());
            DeliveryOptions options = new DeliveryOptions();
            HeaderMapping.toBus(reply.getHeaders(), options);
            options.addHeader(BusHeaders.SUBJECT, subject);
            msg.reply(body, options);
          } catch (io.vertx.core.json.DecodeException e) {
            metrics.error(m.name(), "malformed_json");
            msg.reply(BridgeFailure.BAD_REQUEST.exception("the reply on " + subject + " is not a JSON object"));
          }
        }));
  }

  /**
   * The request's own timeout from the {@link BusHeaders#TIMEOUT} header when it is shorter than the
   * mapping's (the mapping's is the upper bound); a missing, unparsable or non-positive value is ignored.
   */
  static Duration effectiveTimeout(Duration mappingTimeout, String header) {
    if (header == null) {
      return mappingTimeout;
    }
    try {
      long ms = Long.parseLong(header.trim());
      return ms > 0 && ms < mappingTimeout.toMillis() ? Duration.ofMillis(ms) : mappingTimeout;
    } catch (NumberFormatException e) {
      return mappingTimeout;
    }
  }

  private static ReplyException requestFailure(String subject, Duration timeout, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    // With reportNoResponders, "nobody listens" is a 503 status; a cancellation is jnats expiring the request.
    if (cause instanceof JetStreamStatusException status && status.getStatus() != null
        && status.getStatus().getCode() == 503) {
      return BridgeFailure.NO_RESPONDERS.exception("no responders on NATS subject " + subject
          + ": nothing subscribes to it (is the service running?)");
    }
    if (cause instanceof TimeoutException || cause instanceof CancellationException) {
      return BridgeFailure.TIMEOUT.exception("no reply on NATS subject " + subject + " within "
          + timeout.toMillis() + " ms");
    }
    return BridgeFailure.NATS_ERROR.exception("request on NATS subject " + subject + " failed: " + cause);
  }

  private static int serviceErrorCode(Headers headers) {
    try {
      return Integer.parseInt(headers.getFirst(ServiceMessage.NATS_SERVICE_ERROR_CODE));
    } catch (RuntimeException e) {
      return BridgeFailure.HANDLER_FAILURE.code();
    }
  }

  private boolean isOwnInbound(Message<Object> msg) {
    return bridgeId.equals(msg.headers().get(BusHeaders.ORIGIN));
  }

  private void refuse(String mapping, Message<Object> msg, ReplyException refused) {
    metrics.error(mapping, refused.failureCode() == BridgeFailure.PAYLOAD_TOO_LARGE.code() ? "too_large" : "refused");
    if (msg.replyAddress() != null) {
      msg.reply(refused);
    } else {
      LOG.warn("outbound {}: {}", mapping, refused.getMessage());
    }
  }

  /** The concrete subject: the sender's {@code nats-subject} header, which the rule must allow. */
  static String resolveSubject(SubjectPattern pattern, MultiMap headers, String address) {
    String requested = headers.get(BusHeaders.SUBJECT);
    if (requested == null) {
      if (pattern.isLiteral()) {
        return pattern.pattern();
      }
      throw BridgeFailure.BAD_REQUEST.exception("address " + address + " maps to the subject pattern "
          + pattern + ": name the concrete subject in the " + BusHeaders.SUBJECT + " header");
    }
    String problem = SubjectPattern.concreteSubjectProblem(requested);
    if (problem != null) {
      throw BridgeFailure.BAD_REQUEST.exception("subject \"" + requested + "\" is not valid: " + problem);
    }
    if (!pattern.matches(requested)) {
      throw BridgeFailure.BAD_REQUEST.exception("subject " + requested + " is not allowed on address " + address
          + " (the rule allows " + pattern + ")");
    }
    return requested;
  }

  private byte[] checkedPayload(Object body, String subject) {
    byte[] data = Payloads.encode(body);
    long limit = maxPayload.get();
    if (limit > 0 && data.length > limit) {
      throw BridgeFailure.PAYLOAD_TOO_LARGE.exception("payload of " + data.length + " bytes for " + subject
          + " exceeds the limit of " + limit + " bytes; put large content in object storage and send a reference");
    }
    return data;
  }

  private static String messageId(MultiMap headers) {
    String id = headers.get(BusHeaders.MSG_ID);
    return id != null ? id : UUID.randomUUID().toString();
  }

  Future<Void> unregister() {
    List<Future<Void>> all = consumers.stream().map(MessageConsumer::unregister).toList();
    consumers.clear();
    return Future.all(all).mapEmpty();
  }
}
