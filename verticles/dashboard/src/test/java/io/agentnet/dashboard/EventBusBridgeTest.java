package io.agentnet.dashboard;

import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SockJS event bus bridge at /eventbus, spoken to as a browser's client does over the raw
 * WebSocket endpoint: batches go out on the four dashboard.* addresses, and nothing comes in.
 */
@ExtendWith(VertxExtension.class)
class EventBusBridgeTest extends DashboardTestNetwork {

  /**
   * A raw SockJS WebSocket: JSON text frames out, every frame received kept in order (JSON in text
   * or, as Vert.x's raw transport sends them, binary messages).
   */
  final class Bus implements AutoCloseable {
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    /** How the socket ended, if it did. */
    final List<String> closed = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    Bus() throws Exception {
      socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/eventbus/websocket"), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();
            private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              partial.append(data);
              if (last) {
                frames.add(new JsonObject(partial.toString()));
                partial.setLength(0);
              }
              ws.request(1);
              return null;
            }

            /** Vert.x's raw WebSocket transport writes the bridge's JSON frames as binary messages. */
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
              byte[] bytes = new byte[data.remaining()];
              data.get(bytes);
              partialBinary.writeBytes(bytes);
              if (last) {
                frames.add(new JsonObject(partialBinary.toString(java.nio.charset.StandardCharsets.UTF_8)));
                partialBinary.reset();
              }
              ws.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
              closed.add(status + " " + reason);
              return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
              closed.add("error: " + error);
            }
          }).get(10, TimeUnit.SECONDS);
    }

    void send(JsonObject frame) throws Exception {
      socket.sendText(frame.encode(), true).get(5, TimeUnit.SECONDS);
    }

    void register(String address) throws Exception {
      send(new JsonObject().put("type", "register").put("address", address));
    }

    /** The first frame from index {@code from} on that matches, within the deadline. */
    JsonObject await(String what, int from, Duration within, Predicate<JsonObject> match) throws Exception {
      return DashboardTestNetwork.await(what, within, () -> {
        if (!closed.isEmpty()) {
          throw new AssertionError("the socket closed: " + closed);
        }
        send(new JsonObject().put("type", "ping")); // the bridge closes sockets that stop pinging
        return frames.subList(from, frames.size()).stream().filter(match).findFirst();
      });
    }

    List<JsonObject> received(String address) {
      return frames.stream().filter(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address")))
          .toList();
    }

    @Override
    public void close() throws Exception {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
  }

  private static Predicate<JsonObject> rec(String address) {
    return f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address"));
  }

  private static final Predicate<JsonObject> ACCESS_DENIED =
      f -> "err".equals(f.getString("type")) && "access_denied".equals(f.getString("body"));

  @Test
  void heartbeatsArriveBatchedWithTheLatestBeatPerAgentAndOnline() throws Exception {
    try (Bus bus = new Bus()) {
      bus.register("dashboard.heartbeats");
      long before = System.currentTimeMillis();
      JsonObject first = bus.await("a heartbeat batch", 0, Duration.ofSeconds(5), rec("dashboard.heartbeats"));

      JsonObject body = first.getJsonObject("body");
      assertThat(body.getLong("now")).isBetween(before - 1000, System.currentTimeMillis() + 1000);
      assertThat(body.getJsonArray("items")).isNotEmpty();
      Set<String> inBatch = new HashSet<>();
      for (Object o : body.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        assertThat(item.getString("agent_id")).isNotBlank();
        assertThat(item.containsKey("online")).as(item.encode()).isTrue();
        assertThat(item.getString("agent_type")).isNotBlank();
        assertThat(inBatch.add(item.getString("agent_id"))).as("one item per agent in a batch: " + body.encode()).isTrue();
      }

      // every agent beats each second: within a few intervals the batches have named all seven online (one
      // may show offline for a moment when this JVM pauses past three of its beats)
      Set<String> seen = new HashSet<>();
      bus.await("heartbeats of all 7 agents, online", 0, Duration.ofSeconds(10), f -> {
        if (rec("dashboard.heartbeats").test(f)) {
          f.getJsonObject("body").getJsonArray("items").stream().map(JsonObject.class::cast)
              .filter(i -> i.getBoolean("online")).forEach(i -> seen.add(i.getString("agent_id")));
        }
        return seen.size() >= 7;
      });
      assertThat(seen).hasSize(7).anyMatch(id -> id.startsWith("orchestrator-")).anyMatch(id -> id.startsWith("mcp-proxmox-"));
      // batched: seven agents beating every second over this time took far fewer frames than beats
      List<JsonObject> batches = bus.received("dashboard.heartbeats");
      int items = batches.stream().mapToInt(b -> b.getJsonObject("body").getJsonArray("items").size()).sum();
      assertThat(items).isGreaterThan(batches.size());
      // and only what was registered
      assertThat(bus.frames).allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("dashboard.heartbeats"));
    }
  }

  @Test
  void workflowEventsArriveOnDashboardEventsInOrder() throws Exception {
    try (Bus bus = new Bus()) {
      bus.register("dashboard.events");
      // the bridge handles a socket's frames in order: once a heartbeat batch arrives, dashboard.events is registered
      bus.register("dashboard.heartbeats");
      bus.await("a heartbeat batch", 0, Duration.ofSeconds(5), rec("dashboard.heartbeats"));
      String id = submit("health_check", new JsonObject());
      String subject = "ai.events.workflow." + id;

      bus.await("workflow.completed of " + id, 0, Duration.ofSeconds(30), f -> rec("dashboard.events").test(f)
          && f.getJsonObject("body").getJsonArray("items").stream().map(i -> (JsonObject) i)
          .anyMatch(i -> subject.equals(i.getString("subject")) && "workflow.completed".equals(i.getString("event_type"))));

      List<JsonObject> items = bus.received("dashboard.events").stream()
          .flatMap(f -> f.getJsonObject("body").getJsonArray("items").stream().map(i -> (JsonObject) i)).toList();
      assertThat(items).allSatisfy(i -> assertThat(i.getString("subject"))
          .matches("ai\\.events\\.(workflow|task|agent|alert)\\..+"));
      List<JsonObject> ours = items.stream().filter(i -> subject.equals(i.getString("subject"))).toList();
      assertThat(ours).allSatisfy(i -> {
        assertThat(i.getString("event_id")).isNotBlank();
        assertThat(i.getString("source")).startsWith("orchestrator-");
        assertThat(i.getValue("timestamp")).isNotNull();
        assertThat(i.getJsonObject("data").getString("workflow_id")).isEqualTo(id);
      });
      List<String> types = ours.stream().map(i -> i.getString("event_type")).toList();
      assertThat(types.get(0)).isEqualTo("workflow.submitted");
      assertThat(types.get(types.size() - 1)).isEqualTo("workflow.completed");
      assertThat(types).contains("workflow.step");
      // the steps each went to a specialist: task events for the workflow came too
      assertThat(items).anyMatch(i -> ("ai.events.task." + id).equals(i.getString("subject")));
      // each batch has the server's clock
      assertThat(bus.received("dashboard.events")).allSatisfy(f -> assertThat(f.getJsonObject("body").getLong("now"))
          .isPositive());
    }
  }

  @Test
  void registeringAnyOtherAddressIsDenied() throws Exception {
    try (Bus bus = new Bus()) {
      for (String address : List.of("ai.heartbeat", "ai.events", "ai.metrics", "ai.orchestrator.submit", "dashboard.x")) {
        int from = bus.frames.size();
        bus.register(address);
        bus.await("access_denied for registering " + address, from, Duration.ofSeconds(5), ACCESS_DENIED);
      }
      assertThat(bus.frames).hasSize(5).allSatisfy(f -> assertThat(ACCESS_DENIED).accepts(f));
      // a denied registration delivers nothing: while two batches arrive on an allowed address (so over a
      // second, in which every agent beat on ai.heartbeat), nothing comes from the denied ones
      bus.register("dashboard.heartbeats");
      bus.await("two heartbeat batches", 0, Duration.ofSeconds(5),
          f -> bus.received("dashboard.heartbeats").size() >= 2);
      assertThat(bus.frames).allSatisfy(f -> assertThat(f.getString("type")).isIn("err", "rec"))
          .filteredOn(f -> "rec".equals(f.getString("type")))
          .allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("dashboard.heartbeats"));
    }
  }

  @Test
  void sendingOrPublishingIsDeniedAndDoesNothing() throws Exception {
    int before = workflowsTotal();
    try (Bus browser = new Bus(); Bus watcher = new Bus()) {
      watcher.register("dashboard.heartbeats");
      watcher.await("a heartbeat batch", 0, Duration.ofSeconds(5), rec("dashboard.heartbeats"));

      browser.send(new JsonObject().put("type", "send").put("address", "ai.orchestrator.submit")
          .put("replyAddress", "r1").put("body", new JsonObject().put("workflow_type", "health_check")
              .put("parameters", new JsonObject())));
      browser.await("access_denied for a send", 0, Duration.ofSeconds(5), ACCESS_DENIED);

      int from = browser.frames.size();
      browser.send(new JsonObject().put("type", "publish").put("address", "dashboard.heartbeats")
          .put("body", new JsonObject().put("now", 1).put("items", List.of(new JsonObject().put("agent_id", "forged")
              .put("online", true)))));
      browser.await("access_denied for a publish", from, Duration.ofSeconds(5), ACCESS_DENIED);

      from = browser.frames.size();
      browser.send(new JsonObject().put("type", "send").put("address", "dashboard.events").put("body", new JsonObject()));
      browser.await("access_denied for a send to an outbound address", from, Duration.ofSeconds(5), ACCESS_DENIED);

      // the watcher gets the next real batches, and never the forged one
      int seen = watcher.received("dashboard.heartbeats").size();
      watcher.await("two more heartbeat batches", 0, Duration.ofSeconds(5),
          f -> watcher.received("dashboard.heartbeats").size() >= seen + 2);
      assertThat(watcher.frames).noneMatch(f -> f.encode().contains("forged"));
      assertThat(browser.frames).noneMatch(f -> "rec".equals(f.getString("type")));
    }
    // nothing was submitted through the bridge (the two batches the watcher waited for took over 250 ms)
    assertThat(workflowsTotal()).isEqualTo(before);
  }

  @Test
  void topologyShowsWhichAgentUsedWhichServerForStepsRunBeforeAnyoneLooked() throws Exception {
    // nothing in this class asked for the definitions or the topology before
    String id = submit("health_check", new JsonObject());
    JsonObject record = awaitFinished(id);
    assertThat(record.getString("status")).isEqualTo("completed");
    String diagnoser = record.getJsonObject("steps").getJsonObject("diagnose").getString("agent_id");
    JsonObject topology = get("/api/topology").json();
    assertThat(topology.getJsonArray("edges").stream().map(e -> (JsonObject) e))
        .anyMatch(e -> ("agent:" + diagnoser).equals(e.getString("from")) && "mcp:proxmox".equals(e.getString("to"))
            && "uses".equals(e.getString("kind")));
  }

}
