package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.config.InboundMapping;
import io.agentnet.bridge.config.ServiceMapping;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.service.Service;
import io.nats.service.ServiceEndpoint;
import io.nats.service.ServiceMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries NATS messages onto the event bus: core subscriptions (publish, send or request) and
 * endpoints of NATS micro services. jnats calls us on its dispatcher threads; every delivery hops
 * to the bridge's context first. Messages are tagged with this bridge's id, so the outbound side
 * never sends them back to NATS; the connection itself is opened with no-echo, so what this
 * process publishes never comes back in.
 */
final class NatsToBus {

  private static final Logger LOG = LoggerFactory.getLogger(NatsToBus.class);

  private final Vertx vertx;
  private final Context context;
  private final String bridgeId;
  private final BridgeMetrics metrics;
  private final List<Service> services = new ArrayList<>();
  private final MalformedLog malformedLog = new MalformedLog();

  NatsToBus(Vertx vertx, Context context, String bridgeId, BridgeMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.bridgeId = bridgeId;
    this.metrics = metrics;
  }

  void subscribe(Connection connection, Dispatcher dispatcher, InboundMapping m) {
    io.nats.client.MessageHandler handler = msg -> context.runOnContext(v -> deliver(connection, m, msg));
    if (m.queue() == null) {
      dispatcher.subscribe(m.subject(), handler);
    } else {
      dispatcher.subscribe(m.subject(), m.queue(), handler);
    }
    LOG.info("inbound {}: NATS {}{} -> event bus {} ({})", m.name(), m.subject(),
        m.queue() == null ? "" : " (queue " + m.queue() + ")", m.address(), m.delivery().name().toLowerCase());
  }

  private void deliver(Connection connection, InboundMapping m, Message msg) {
    Object body = decode(m.name(), msg.getSubject(), msg.getData(), m.format());
    boolean wantsReply = m.delivery() == InboundMapping.Delivery.REQUEST && msg.getReplyTo() != null;
    Responder responder = wantsReply ? replySubject(connection, msg.getReplyTo()) : null;
    if (body == null) {
      if (responder != null) {
        responder.fail(BridgeFailure.BAD_REQUEST.code(), "payload on " + msg.getSubject() + " is not a JSON object");
      }
      return;
    }
    metrics.in(m.name());
    DeliveryOptions options = deliveryOptions(msg.getSubject(), msg.getHeaders());
    switch (m.delivery()) {
      case PUBLISH -> vertx.eventBus().publish(m.address(), body, options);
      case SEND -> vertx.eventBus().send(m.address(), body, options);
      case REQUEST -> {
        if (responder == null) {
          vertx.eventBus().send(m.address(), body, options);
        } else {
          forward(m.name(), m.address(), body, options, m.timeout(), m.format(), responder);
        }
      }
    }
  }

  /** Starts one micro service per mapping; its endpoints forward to their event bus addresses. */
  void startService(Connection connection, ServiceMapping sm) {
    var builder = Service.builder().connection(connection).name(sm.name()).version(sm.version())
        .description(sm.description());
    for (ServiceMapping.Endpoint e : sm.endpoints()) {
      String mapping = sm.name() + "." + e.name();
      var endpoint = ServiceEndpoint.builder().endpointName(e.name()).endpointSubject(e.subject())
          .handler(smsg -> context.runOnContext(v -> deliverService(connection, mapping, e, smsg)));
      if (e.queue() != null) {
        endpoint.endpointQueueGroup(e.queue());
      }
      builder.addServiceEndpoint(endpoint.build());
    }
    Service service = builder.build();
    service.startService();
    services.add(service);
    LOG.info("micro service {} {} started: endpoints {}", sm.name(), sm.version(),
        sm.endpoints().stream().map(e -> e.subject() + " -> " + e.address()).toList());
  }

  private void deliverService(Connection connection, String mapping, ServiceMapping.Endpoint e, ServiceMessage msg) {
    Responder responder = new Responder() {
      @Override
      public void respond(byte[] data, Headers headers) {
        msg.respond(connection, data, headers);
      }

      @Override
      public void fail(int code, String message) {
        msg.respondStandardError(connection, message, code);
      }
    };
    Object body = decode(mapping, msg.getSubject(), msg.getData(), e.format());
    if (body == null) {
      responder.fail(BridgeFailure.BAD_REQUEST.code(), "payload on " + msg.getSubject() + " is not a JSON object");
      return;
    }
    metrics.in(mapping);
    forward(mapping, e.address(), body, deliveryOptions(msg.getSubject(), msg.getHeaders()), e.timeout(),
        e.format(), responder);
  }

  void stopServices() {
    services.forEach(Service::stop);
    services.clear();
  }

  private DeliveryOptions deliveryOptions(String subject, Headers headers) {
    DeliveryOptions options = new DeliveryOptions();
    HeaderMapping.toBus(headers, options);
    options.addHeader(BusHeaders.SUBJECT, subject);
    options.addHeader(BusHeaders.ORIGIN, bridgeId);
    return options;
  }

  /** An event bus request whose reply, or failure, goes back to the NATS requester. */
  private void forward(String mapping, String address, Object body, DeliveryOptions options, Duration timeout,
                       PayloadFormat format, Responder responder) {
    long start = System.nanoTime();
    options.setSendTimeout(timeout.toMillis());
    vertx.eventBus().request(address, body, options).onComplete(ar -> {
      metrics.requestLatency(mapping, Duration.ofNanos(System.nanoTime() - start));
      if (ar.succeeded()) {
        try {
          responder.respond(Payloads.encode(ar.result().body()), HeaderMapping.toNats(ar.result().headers()));
          metrics.out(mapping);
        } catch (ReplyException unsupported) {
          metrics.error(mapping, "bad_reply");
          responder.fail(500, "handler on " + address + " replied with an unsupported body: " + unsupported.getMessage());
        }
      } else {
        metrics.error(mapping, "handler_failure");
        responder.fail(failureCode(ar.cause()), failureMessage(address, ar.cause()));
      }
    });
  }

  private static int failureCode(Throwable cause) {
    if (cause instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> BridgeFailure.NO_RESPONDERS.code();
        case TIMEOUT -> BridgeFailure.TIMEOUT.code();
        default -> re.failureCode() > 0 ? re.failureCode() : BridgeFailure.HANDLER_FAILURE.code();
      };
    }
    return BridgeFailure.HANDLER_FAILURE.code();
  }

  private static String failureMessage(String address, Throwable cause) {
    if (cause instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "no handler for " + address + " in the bridged process";
        case TIMEOUT -> "handler for " + address + " did not answer in time";
        default -> String.valueOf(re.getMessage());
      };
    }
    return String.valueOf(cause.getMessage());
  }

  private static Responder replySubject(Connection connection, String replyTo) {
    return new Responder() {
      @Override
      public void respond(byte[] data, Headers headers) {
        connection.publish(replyTo, headers, data);
      }

      @Override
      public void fail(int code, String message) {
        Headers headers = new Headers()
            .put(ServiceMessage.NATS_SERVICE_ERROR, message)
            .put(ServiceMessage.NATS_SERVICE_ERROR_CODE, String.valueOf(code));
        connection.publish(replyTo, headers, new byte[0]);
      }
    };
  }

  /** The bus body, or null after logging and counting a payload that is not what the mapping expects. */
  private Object decode(String mapping, String subject, byte[] data, PayloadFormat format) {
    try {
      return Payloads.decode(data, format);
    } catch (DecodeException e) {
      metrics.error(mapping, "malformed_json");
      malformedLog.log(mapping, subject, data, e);
      return null;
    }
  }

  /** Logs the first malformed message of each burst in full, then a count, so bad input cannot flood the log. */
  private final class MalformedLog {
    private long suppressed;
    private boolean quiet;

    void log(String mapping, String subject, byte[] data, DecodeException e) {
      if (quiet) {
        suppressed++;
        return;
      }
      String reason = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      LOG.warn("dropped malformed JSON on {} (mapping {}, {} bytes): {}", subject, mapping,
          data == null ? 0 : data.length, reason);
      quiet = true;
      vertx.setTimer(5_000, t -> {
        if (suppressed > 0) {
          LOG.warn("dropped {} more malformed message(s) in the last 5 s (counted in {}{{reason=malformed_json}})",
              suppressed, BridgeMetrics.ERRORS);
        }
        suppressed = 0;
        quiet = false;
      });
    }
  }
}
