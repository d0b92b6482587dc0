package io.agentnet.dashboard.stream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects what browsers are sent between two flushes, so 500 agents beating every second cost a
 * browser a few messages a second instead of 500: heartbeats keep only the latest per agent;
 * metrics, events and agent transitions keep their order, up to a cap per flush (beyond it the
 * oldest are dropped and the batch says how many). Not thread safe: one verticle context owns it.
 */
public final class StreamBatcher {

  public static final String HEARTBEATS = "dashboard.heartbeats";
  public static final String AGENTS = "dashboard.agents";
  public static final String METRICS = "dashboard.metrics";
  public static final String EVENTS = "dashboard.events";
  /** Every address browsers may listen to: nothing else goes out over the SockJS bridge. */
  public static final List<String> ADDRESSES = List.of(HEARTBEATS, AGENTS, METRICS, EVENTS);

  /** The event kinds ({@code ai.events.<kind>.<id>}) browsers see. */
  private static final Set<String> STREAMED_KINDS = Set.of("workflow", "task", "agent", "alert");

  private final int maxItems;
  private final Map<String, JsonObject> heartbeats = new LinkedHashMap<>();
  private final Map<String, Bounded> lists = new LinkedHashMap<>();

  public StreamBatcher(int maxItemsPerFlush) {
    if (maxItemsPerFlush < 1) {
      throw new IllegalArgumentException("maxItemsPerFlush must be at least 1, got " + maxItemsPerFlush);
    }
    this.maxItems = maxItemsPerFlush;
    for (String address : List.of(AGENTS, METRICS, EVENTS)) {
      lists.put(address, new Bounded());
    }
  }

  /** Whether an event on this subject goes to browsers: workflow, task, agent and alert events only. */
  public static boolean streamed(String subject) {
    if (subject == null || !subject.startsWith("ai.events.")) {
      return false;
    }
    String rest = subject.substring("ai.events.".length());
    int dot = rest.indexOf('.');
    return dot > 0 && STREAMED_KINDS.contains(rest.substring(0, dot));
  }

  /** The latest heartbeat of an agent replaces any earlier one not yet flushed. */
  public void heartbeat(JsonObject heartbeat, boolean online) {
    String id = heartbeat.getString("agent_id");
    if (id != null) {
      heartbeats.remove(id);
      heartbeats.put(id, heartbeat.copy().put("online", online));
    }
  }

  public void transition(JsonObject transition) {
    lists.get(AGENTS).add(transition);
  }

  public void metric(JsonObject report, String subject) {
    lists.get(METRICS).add(subject == null ? report : report.copy().put("subject", subject));
  }

  /** Adds the event when its subject is {@link #streamed}; says whether it did. */
  public boolean event(JsonObject event, String subject) {
    if (!streamed(subject)) {
      return false;
    }
    lists.get(EVENTS).add(event.copy().put("subject", subject));
    return true;
  }

  /** One body per address with something to send ({@code {now, items[, dropped]}}), and empties the buffers. */
  public Map<String, JsonObject> drain(long nowMillis) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    if (!heartbeats.isEmpty()) {
      List<JsonObject> items = new ArrayList<>(heartbeats.values());
      int dropped = Math.max(0, items.size() - maxItems);
      out.put(HEARTBEATS, body(nowMillis, items.subList(dropped, items.size()), dropped));
      heartbeats.clear();
    }
    lists.forEach((address, list) -> {
      if (!list.items.isEmpty()) {
        out.put(address, body(nowMillis, new ArrayList<>(list.items), list.dropped));
        list.items = new ArrayDeque<>();
        list.dropped = 0;
      }
    });
    return out;
  }

  private static JsonObject body(long now, List<JsonObject> items, int dropped) {
    JsonObject body = new JsonObject().put("now", now).put("items", new JsonArray(new ArrayList<>(items)));
    return dropped > 0 ? body.put("dropped", dropped) : body;
  }

  private final class Bounded {
    private ArrayDeque<JsonObject> items = new ArrayDeque<>();
    private int dropped;

    void add(JsonObject item) {
      if (items.size() >= maxItems) {
        items.removeFirst();
        dropped++;
      }
      items.add(item);
    }
  }
}
