package io.agentnet.runtime.events;

import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.message.Event;
import io.agentnet.runtime.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Publishes on {@code ai.events.<kind>.<id>}: one event bus address, the concrete subject in the
 * {@code nats-subject} header (the bridge carries it to JetStream stream AI_EVENTS in NATS mode).
 */
public final class Events {

  private Events() {
  }

  /** {@code ai.events.<kind>.<id>}, e.g. {@code ai.events.agent.spec-1}. */
  public static String subject(String kind, String id) {
    return Addresses.EVENTS + "." + kind + "." + id;
  }

  /** e.g. {@code publish(vertx, "workflow", id, Event.of("workflow.started", source, data))}. */
  public static void publish(Vertx vertx, String kind, String id, Event event) {
    vertx.eventBus().publish(Addresses.EVENTS, event.toJson(),
        new DeliveryOptions().addHeader(BusHeaders.SUBJECT, subject(kind, id)));
  }

  public static void publish(Vertx vertx, String kind, String id, String eventType, String source, JsonObject data) {
    publish(vertx, kind, id, Event.of(eventType, source, data));
  }
}
