package io.agentnet.bridge.it;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.BusHeaders;
import io.agentnet.bridge.config.InboundMapping;
import io.agentnet.bridge.config.RequestMapping;
import io.agentnet.bridge.config.ServiceMapping;
import io.agentnet.bridge.impl.BridgeMetrics;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.service.Discovery;
import io.nats.service.InfoResponse;
import io.nats.service.PingResponse;
import io.nats.service.ServiceMessage;
import io.nats.service.StatsResponse;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.agentnet.bridge.it.CoreMappingTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request/reply in both directions, through two bridges in two Vert.x instances (two processes'
 * worth of event bus): bus, bridge, NATS, bridge, bus handler, and back.
 */
class RequestReplyTest extends BridgeTestSupport {

  /** Short, for the test that waits it out; the others must not fail a round trip on a busy machine. */
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration ROUND_TRIP = Duration.ofSeconds(5);

  /** The caller's side: requests to "orchestrator" go to NATS ai.orchestrator.*. */
  private void deployCaller() throws Exception {
    deployCaller(ROUND_TRIP);
  }

  private void deployCaller(Duration timeout) throws Exception {
    deploy(options().addRequest(new RequestMapping("orchestrator", "orchestrator", "ai.orchestrator.*", null, timeout)));
  }

  /** The service's side, in another Vert.x: NATS ai.orchestrator.* requests go to its "orchestrator.in" handler. */
  private Vertx deployServer() throws Exception {
    Vertx server = newVertx();
    deploy(server, options().addInbound(new InboundMapping("orchestrator-in", "ai.orchestrator.*", "orchestrator",
        "orchestrator.in", InboundMapping.Delivery.REQUEST, null, Duration.ofSeconds(2))));
    return server;
  }

  @Test
  void busToNatsToBusAndBack() throws Exception {
    Vertx server = deployServer();
    server.eventBus().<JsonObject>consumer("orchestrator.in", msg -> msg.reply(new JsonObject()
        .put("workflow_id", msg.body().getString("workflow_id"))
        .put("subject", msg.headers().get(BusHeaders.SUBJECT)))).completion().await();
    deployCaller();

    JsonObject reply = vertx.eventBus().<JsonObject>request("orchestrator", new JsonObject().put("workflow_id", "w-1"),
            new io.vertx.core.eventbus.DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.orchestrator.submit"))
        .await(5, TimeUnit.SECONDS).body();
    assertThat(reply.getString("workflow_id")).isEqualTo("w-1");
    assertThat(reply.getString("subject")).isEqualTo("ai.orchestrator.submit");
    assertThat(registry.find(BridgeMetrics.REQUEST_LATENCY).tag("mapping", "orchestrator").timer().count()).isEqualTo(1);
  }

  @Test
  void aRemoteHandlerFailureArrivesWithItsCodeAndMessage() throws Exception {
    Vertx server = deployServer();
    server.eventBus().<JsonObject>consumer("orchestrator.in", msg -> msg.fail(422, "unknown workflow_type \"dance\""))
        .completion().await();
    deployCaller();
    ReplyException e = failure(vertx.eventBus().request("orchestrator", new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.orchestrator.submit")));
    assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(e.failureCode()).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo("handler for ai.orchestrator.submit failed: unknown workflow_type \"dance\"");
  }

  @Test
  void noRespondersIsItsOwnFailure() throws Exception {
    deployCaller();
    ReplyException e = failure(vertx.eventBus().request("orchestrator", new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.orchestrator.submit")));
    assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(e.failureCode()).isEqualTo(BridgeFailure.NO_RESPONDERS.code());
    assertThat(e.getMessage()).contains("no responders on NATS subject ai.orchestrator.submit");
  }

  @Test
  void aSilentResponderIsATimeout() throws Exception {
    Connection silent = raw();
    silent.subscribe("ai.orchestrator.submit"); // subscribed, never answers
    silent.flush(Duration.ofSeconds(2));
    deployCaller(TIMEOUT);
    long start = System.nanoTime();
    ReplyException e = failure(vertx.eventBus().request("orchestrator", new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(BusHeaders.SUBJECT, "ai.orchestrator.submit")));
    assertThat(e.failureType()).isEqualTo(ReplyFailure.TIMEOUT);
    assertThat(e.failureCode()).isEqualTo(BridgeFailure.TIMEOUT.code());
    assertThat(e.getMessage()).contains("within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
  }

  @Test
  void aNatsRequestToAProcessWithoutTheHandlerIsAnsweredWithAnError() throws Exception {
    deployServer(); // nothing consumes orchestrator.in
    Message reply = raw().request("ai.orchestrator.list", "{}".getBytes(), Duration.ofSeconds(5));
    assertThat(reply.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR)).contains("no handler for orchestrator.in");
    assertThat(reply.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR_CODE)).isEqualTo("503");
  }

  @Test
  void malformedRequestsGetABadRequestReply() throws Exception {
    Vertx server = deployServer();
    server.eventBus().consumer("orchestrator.in", msg -> msg.reply(new JsonObject())).completion().await();
    Message reply = raw().request("ai.orchestrator.submit", "{oops".getBytes(), Duration.ofSeconds(5));
    assertThat(reply.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR_CODE)).isEqualTo("400");
    assertThat(reply.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR)).contains("not a JSON object");
  }

  @Test
  void eventBusServicesAreDiscoverableNatsMicroServices() throws Exception {
    deploy(options().addService(new ServiceMapping("orchestrator", "1.2.3", "accepts workflow requests", List.of(
        ServiceMapping.Endpoint.of("submit", "ai.orchestrator.submit", "orchestrator.submit"),
        ServiceMapping.Endpoint.of("get", "ai.orchestrator.get", "orchestrator.get")))));
    vertx.eventBus().<JsonObject>consumer("orchestrator.submit", msg -> msg.reply(new JsonObject().put("workflow_id", "w-9")))
        .completion().await();
    vertx.eventBus().<JsonObject>consumer("orchestrator.get", msg -> msg.fail(404, "no workflow w-x"))
        .completion().await();

    Connection client = raw();
    Message ok = client.request("ai.orchestrator.submit", "{\"workflow_type\":\"vm_deployment\"}".getBytes(),
        Duration.ofSeconds(5));
    assertThat(new JsonObject(new String(ok.getData(), StandardCharsets.UTF_8)).getString("workflow_id")).isEqualTo("w-9");
    Message notFound = client.request("ai.orchestrator.get", "{}".getBytes(), Duration.ofSeconds(5));
    assertThat(notFound.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR)).isEqualTo("no workflow w-x");
    assertThat(notFound.getHeaders().getFirst(ServiceMessage.NATS_SERVICE_ERROR_CODE)).isEqualTo("404");

    Discovery discovery = new Discovery(client, 5000, 1); // returns at the first answer; 5 s for a busy machine
    List<PingResponse> pings = discovery.ping("orchestrator");
    assertThat(pings).hasSize(1);
    assertThat(pings.get(0).getVersion()).isEqualTo("1.2.3");
    InfoResponse info = discovery.info("orchestrator").get(0);
    assertThat(info.getDescription()).isEqualTo("accepts workflow requests");
    assertThat(info.getEndpoints()).extracting(io.nats.service.Endpoint::getSubject)
        .containsExactlyInAnyOrder("ai.orchestrator.submit", "ai.orchestrator.get");
    StatsResponse stats = discovery.stats("orchestrator").get(0);
    assertThat(stats.getEndpointStatsList()).filteredOn(s -> s.getName().equals("submit"))
        .singleElement().extracting(s -> s.getNumRequests()).isEqualTo(1L);
  }
}
