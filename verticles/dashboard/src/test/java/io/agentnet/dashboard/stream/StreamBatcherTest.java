package io.agentnet.dashboard.stream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamBatcherTest {

  private static JsonObject hb(String id, double load) {
    return new JsonObject().put("agent_id", id).put("load", load);
  }

  private static List<Object> field(JsonArray items, String name) {
    return items.stream().map(o -> ((JsonObject) o).getValue(name)).toList();
  }

  @Test
  void theLatestHeartbeatPerAgentWinsAndCarriesOnline() {
    StreamBatcher b = new StreamBatcher(100);
    b.heartbeat(hb("a", 0.1), true);
    b.heartbeat(hb("b", 0.2), true);
    b.heartbeat(hb("a", 0.9), false);
    b.heartbeat(new JsonObject().put("load", 1.0), true); // no agent_id: ignored

    Map<String, JsonObject> out = b.drain(1234L);

    assertThat(out).containsOnlyKeys(StreamBatcher.HEARTBEATS);
    JsonObject body = out.get(StreamBatcher.HEARTBEATS);
    assertThat(body.getLong("now")).isEqualTo(1234L);
    assertThat(body.containsKey("dropped")).isFalse();
    JsonArray items = body.getJsonArray("items");
    assertThat(items).hasSize(2);
    // one per agent; an agent that beats again moves behind the others (insertion order of its latest beat)
    assertThat(field(items, "agent_id")).containsExactly("b", "a");
    assertThat(field(items, "load")).containsExactly(0.2, 0.9);
    assertThat(field(items, "online")).containsExactly(true, false);
  }

  @Test
  void theHeartbeatIsCopiedNotKeptByReference() {
    StreamBatcher b = new StreamBatcher(10);
    JsonObject beat = hb("a", 0.5);
    b.heartbeat(beat, true);
    beat.put("load", 0.99);
    assertThat(beat.containsKey("online")).isFalse();
    JsonObject item = b.drain(1).get(StreamBatcher.HEARTBEATS).getJsonArray("items").getJsonObject(0);
    assertThat(item.getDouble("load")).isEqualTo(0.5);
  }

  @Test
  void eventsMetricsAndTransitionsKeepTheirOrder() {
    StreamBatcher b = new StreamBatcher(100);
    for (int i = 0; i < 5; i++) {
      assertThat(b.event(new JsonObject().put("n", i), "ai.events.workflow.w" + i)).isTrue();
      b.metric(new JsonObject().put("n", i), "ai.metrics.node.pve" + i);
      b.transition(new JsonObject().put("n", i).put("kind", "online"));
    }
    b.metric(new JsonObject().put("n", 99), null);

    Map<String, JsonObject> out = b.drain(7L);

    assertThat(out).containsOnlyKeys(StreamBatcher.AGENTS, StreamBatcher.METRICS, StreamBatcher.EVENTS);
    JsonArray events = out.get(StreamBatcher.EVENTS).getJsonArray("items");
    assertThat(field(events, "n")).containsExactly(0, 1, 2, 3, 4);
    assertThat(field(events, "subject")).containsExactly("ai.events.workflow.w0", "ai.events.workflow.w1",
        "ai.events.workflow.w2", "ai.events.workflow.w3", "ai.events.workflow.w4");
    JsonArray metrics = out.get(StreamBatcher.METRICS).getJsonArray("items");
    assertThat(field(metrics, "n")).containsExactly(0, 1, 2, 3, 4, 99);
    assertThat(metrics.getJsonObject(2).getString("subject")).isEqualTo("ai.metrics.node.pve2");
    assertThat(metrics.getJsonObject(5).containsKey("subject")).isFalse();
    assertThat(field(out.get(StreamBatcher.AGENTS).getJsonArray("items"), "n")).containsExactly(0, 1, 2, 3, 4);
    out.values().forEach(body -> assertThat(body.getLong("now")).isEqualTo(7L));
  }

  @Test
  void overTheCapTheOldestAreDroppedAndCounted() {
    StreamBatcher b = new StreamBatcher(3);
    for (int i = 0; i < 8; i++) {
      b.event(new JsonObject().put("n", i), "ai.events.task.t" + i);
      b.heartbeat(hb("agent-" + i, i / 10.0), true);
    }
    for (int i = 0; i < 2; i++) {
      b.metric(new JsonObject().put("n", i), "ai.metrics.vm.100");
    }

    Map<String, JsonObject> out = b.drain(1);

    JsonObject events = out.get(StreamBatcher.EVENTS);
    assertThat(field(events.getJsonArray("items"), "n")).containsExactly(5, 6, 7);
    assertThat(events.getInteger("dropped")).isEqualTo(5);
    JsonObject beats = out.get(StreamBatcher.HEARTBEATS);
    assertThat(field(beats.getJsonArray("items"), "agent_id")).containsExactly("agent-5", "agent-6", "agent-7");
    assertThat(beats.getInteger("dropped")).isEqualTo(5);
    JsonObject metrics = out.get(StreamBatcher.METRICS);
    assertThat(metrics.getJsonArray("items")).hasSize(2);
    assertThat(metrics.containsKey("dropped")).isFalse();

    // the count starts again after a drain
    for (int i = 0; i < 4; i++) {
      b.event(new JsonObject().put("n", i), "ai.events.alert.a");
    }
    assertThat(b.drain(2).get(StreamBatcher.EVENTS).getInteger("dropped")).isEqualTo(1);
  }

  @Test
  void drainEmptiesEverything() {
    StreamBatcher b = new StreamBatcher(10);
    assertThat(b.drain(1)).isEmpty();
    b.heartbeat(hb("a", 0), true);
    b.event(new JsonObject(), "ai.events.agent.a");
    b.metric(new JsonObject(), "ai.metrics.agent.a");
    b.transition(new JsonObject().put("agent_id", "a"));
    assertThat(b.drain(1)).hasSize(4);
    assertThat(b.drain(2)).isEmpty();
    b.event(new JsonObject().put("n", 1), "ai.events.workflow.x");
    Map<String, JsonObject> next = b.drain(3);
    assertThat(next).containsOnlyKeys(StreamBatcher.EVENTS);
    assertThat(next.get(StreamBatcher.EVENTS).getJsonArray("items")).hasSize(1);
  }

  @Test
  void onlyWorkflowTaskAgentAndAlertEventsAreStreamed() {
    assertThat(StreamBatcher.streamed("ai.events.workflow.wf-1")).isTrue();
    assertThat(StreamBatcher.streamed("ai.events.task.t-1")).isTrue();
    assertThat(StreamBatcher.streamed("ai.events.agent.specialist-1")).isTrue();
    assertThat(StreamBatcher.streamed("ai.events.alert.node.pve1")).isTrue();

    assertThat(StreamBatcher.streamed("ai.events.other.x")).isFalse();
    assertThat(StreamBatcher.streamed("ai.eventsX")).isFalse();
    assertThat(StreamBatcher.streamed("ai.eventsX.workflow.x")).isFalse();
    assertThat(StreamBatcher.streamed("ai.events")).isFalse();
    assertThat(StreamBatcher.streamed("ai.events.workflow")).isFalse();
    assertThat(StreamBatcher.streamed("ai.events.workflowX.x")).isFalse();
    assertThat(StreamBatcher.streamed("ai.metrics.x")).isFalse();
    assertThat(StreamBatcher.streamed("ai.heartbeat")).isFalse();
    assertThat(StreamBatcher.streamed("")).isFalse();
    assertThat(StreamBatcher.streamed(null)).isFalse();
  }

  @Test
  void anEventNotStreamedIsNotBatched() {
    StreamBatcher b = new StreamBatcher(10);
    assertThat(b.event(new JsonObject().put("n", 1), "ai.events.other.x")).isFalse();
    assertThat(b.event(new JsonObject().put("n", 2), null)).isFalse();
    assertThat(b.drain(1)).isEmpty();
  }

  @Test
  void theAddressesAreTheFourOutboundOnes() {
    assertThat(StreamBatcher.ADDRESSES).containsExactly("dashboard.heartbeats", "dashboard.agents",
        "dashboard.metrics", "dashboard.events");
  }

  @Test
  void aCapBelowOneIsRefused() {
    assertThatThrownBy(() -> new StreamBatcher(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxItemsPerFlush");
  }
}
