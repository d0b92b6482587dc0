package io.agentnet.runtime.messaging;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.config.RequestMapping;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.DecodeException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.LocalMap;

import java.time.Duration;

/**
 * Requests to an address that may be served in this process or by another one over NATS, such as
 * {@code ai.mcp.proxmox} or {@code ai.agents.<id>.task}. A verticle that serves an address declares
 * it with {@link #serve}; a request to a declared address stays on the local event bus, any other
 * goes through the bridge's {@link #REMOTE_ADDRESS} mapping as a NATS request on the subject of the
 * same name. Two reasons not to send everything through NATS: it is faster in one JVM, and the
 * bridge's connection uses noEcho, so a process cannot reach its own services over NATS at all.
 *
 * <p>In local mode (no NATS) every request is local. Failures are the event bus's in both cases
 * (no handlers, timeout, recipient failure with the remote code), see the bridge's RequestMapping.
 */
public final class Messenger {

  /** The bridge's request mapping for NATS-bound requests; the subject travels in {@code nats-subject}. */
  public static final String REMOTE_ADDRESS = "agentnet.remote.request";
  /** The subjects {@link #REMOTE_ADDRESS} may reach. */
  public static final String REMOTE_SUBJECTS = "ai.>";
  private static final String ENDPOINTS = "agentnet.local.endpoints";
  private static final String MODE = "agentnet.mode";

  private final Vertx vertx;

  private Messenger(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Messenger create(Vertx vertx) {
    return new Messenger(vertx);
  }

  /**
   * The bridge mapping the launcher adds in NATS mode; its timeout is an upper bound, each request
   * carries its own in {@link BusHeaders#TIMEOUT}.
   */
  public static RequestMapping remoteMapping() {
    return new RequestMapping("remote", REMOTE_ADDRESS, REMOTE_SUBJECTS, null, Duration.ofMinutes(15));
  }

  /** Called once by the launcher: whether this process is joined to NATS. */
  public static void setNatsMode(Vertx vertx, boolean nats) {
    vertx.sharedData().<String, Boolean>getLocalMap(MODE).put(MODE, nats);
  }

  public static boolean natsMode(Vertx vertx) {
    return Boolean.TRUE.equals(vertx.sharedData().<String, Boolean>getLocalMap(MODE).get(MODE));
  }

  /**
   * Registers {@code consumer}'s address as served here, for as long as the consumer is registered
   * (call {@link #withdraw} when unregistering it).
   */
  public static <T> MessageConsumer<T> serve(Vertx vertx, MessageConsumer<T> consumer) {
    endpoints(vertx).merge(consumer.address(), 1, Integer::sum);
    return consumer;
  }

  public static void withdraw(Vertx vertx, String address) {
    endpoints(vertx).computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
  }

  public static boolean servedLocally(Vertx vertx, String address) {
    return endpoints(vertx).containsKey(address);
  }

  private static LocalMap<String, Integer> endpoints(Vertx vertx) {
    return vertx.sharedData().getLocalMap(ENDPOINTS);
  }

  /**
   * A message body as a JSON object: a JsonObject as it is, text or a buffer (a reply that crossed
   * NATS) parsed. @throws DecodeException when it is not a JSON object
   */
  public static JsonObject jsonBody(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    if (body instanceof Buffer buffer) {
      return new JsonObject(buffer);
    }
    if (body instanceof String text) {
      return new JsonObject(text);
    }
    throw new DecodeException("expected a JSON object, got " + (body == null ? "nothing" : body.getClass().getSimpleName()));
  }

  public <T> Future<Message<T>> request(String address, Object body, Duration timeout) {
    return request(address, body, new DeliveryOptions().setSendTimeout(timeout.toMillis()));
  }

  /** {@code options.getSendTimeout()} bounds the request on both paths. */
  public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
    if (!natsMode(vertx) || servedLocally(vertx, address)) {
      return vertx.eventBus().request(address, body, options);
    }
    DeliveryOptions remote = new DeliveryOptions(options)
        .addHeader(BusHeaders.SUBJECT, address)
        .addHeader(BusHeaders.TIMEOUT, Long.toString(options.getSendTimeout()));
    return vertx.eventBus().request(REMOTE_ADDRESS, body, remote);
  }
}
