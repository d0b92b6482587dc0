package io.agentnet.test;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * What an outside program sees of an agentnet network: raw NATS requests to the orchestrator
 * service and the MCP servers, and every event on {@code ai.events.>} as it happens.
 */
final class NetworkClient implements AutoCloseable {

  private final Connection nats;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  NetworkClient(String url) throws Exception {
    nats = Nats.connect(url);
    Dispatcher d = nats.createDispatcher(m -> events.add(new JsonObject(new String(m.getData(), StandardCharsets.UTF_8))
        .put("_subject", m.getSubject())));
    d.subscribe("ai.events.>");
    d.subscribe("ai.metrics.>");
    nats.flush(Duration.ofSeconds(5));
  }

  Connection nats() {
    return nats;
  }

  /** A request with retries while nobody answers yet (processes still starting). */
  JsonObject request(String subject, JsonObject body, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    Exception last = null;
    while (System.nanoTime() < end) {
      try {
        Message reply = nats.request(subject, body.encode().getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
        if (reply == null) {
          throw new IllegalStateException("no reply on " + subject);
        }
        String error = reply.getHeaders() == null ? null : reply.getHeaders().getFirst("Nats-Service-Error");
        if (error != null) {
          throw new ServiceError(reply.getHeaders().getFirst("Nats-Service-Error-Code"), error);
        }
        return new JsonObject(new String(reply.getData(), StandardCharsets.UTF_8));
      } catch (ServiceError e) {
        throw e;
      } catch (Exception e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new AssertionError("no answer on " + subject + " within " + deadline, last);
  }

  String submit(String type, JsonObject parameters) throws Exception {
    return submit(new JsonObject().put("workflow_type", type).put("parameters", parameters));
  }

  String submit(JsonObject request) throws Exception {
    // an id of our own: a retry after a slow reply is then the same submission, not a second workflow
    JsonObject submission = request.copy().put("requester_id", "e2e");
    if (!submission.containsKey("workflow_id")) {
      submission.put("workflow_id", UUID.randomUUID().toString());
    }
    JsonObject reply = request("ai.orchestrator.submit", submission, Duration.ofSeconds(60));
    return reply.getString("workflow_id");
  }

  JsonObject get(String workflowId) throws Exception {
    return request("ai.orchestrator.get", new JsonObject().put("workflow_id", workflowId), Duration.ofSeconds(30));
  }

  /** Events and metric reports alike, each with its subject in {@code _subject}. */
  List<JsonObject> events() {
    return List.copyOf(events);
  }

  List<JsonObject> events(Predicate<JsonObject> p) {
    return events.stream().filter(p).toList();
  }

  JsonObject awaitEvent(Predicate<JsonObject> p, Duration deadline, String what) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      for (JsonObject e : events) {
        if (p.test(e)) {
          return e;
        }
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no event: " + what + " within " + deadline + "; last events:\n"
        + String.join("\n", events.stream().skip(Math.max(0, events.size() - 30)).map(JsonObject::encode).toList()));
  }

  /** The workflow's terminal event (workflow.completed, failed or cancelled). */
  JsonObject awaitFinished(String workflowId, Duration deadline) throws InterruptedException {
    return awaitEvent(e -> workflowId.equals(data(e).getString("workflow_id"))
        && List.of("workflow.completed", "workflow.failed", "workflow.cancelled").contains(e.getString("event_type")),
        deadline, "workflow " + workflowId + " finished");
  }

  static JsonObject data(JsonObject event) {
    return event.getJsonObject("data", new JsonObject());
  }

  static Predicate<JsonObject> type(String eventType) {
    return e -> eventType.equals(e.getString("event_type"));
  }

  @Override
  public void close() throws InterruptedException {
    nats.close();
  }

  static final class ServiceError extends RuntimeException {
    final String code;

    ServiceError(String code, String message) {
      super(code + " " + message);
      this.code = code;
    }
  }
}
