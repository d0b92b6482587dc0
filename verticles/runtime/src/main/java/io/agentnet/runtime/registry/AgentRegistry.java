package io.agentnet.runtime.registry;

import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The live view of the network from heartbeats: who is there, what they can do, how loaded they
 * are, and who went away. An agent is online from its first heartbeat until it says offline or is
 * silent for {@value #MISSED_BEATS} heartbeat intervals; it comes back with its next heartbeat.
 *
 * <p>Plain Java, no Vert.x: time is passed in, so tests (and the start-up catch-up, which observes
 * stored heartbeats at their own timestamps) decide what "now" is. {@code lastSeen} is when the
 * heartbeat was observed, not its timestamp, so an agent whose clock is off is not taken for
 * silent; timestamps only order heartbeats (one not newer than the last seen is ignored as a
 * duplicate or a late delivery). Thread-safe.
 */
public final class AgentRegistry {

  /** Heartbeat intervals of silence after which an agent counts as offline. */
  public static final int MISSED_BEATS = 3;
  /** How long an offline agent stays in the view (the registry bucket's TTL) before it is forgotten. */
  public static final Duration DEFAULT_FORGET_AFTER = Duration.ofHours(1);
  /** The agent type MCP servers announce themselves with. */
  public static final String MCP_SERVER_TYPE = "mcp-server";
  private static final String MCP_PREFIX = "mcp:";

  /** What changed about an agent. */
  public enum Kind { ONLINE, OFFLINE, DRAINING }

  /** One agent as last seen: its last heartbeat, when it was observed, and whether it counts as online. */
  public record AgentInfo(Heartbeat heartbeat, Instant lastSeen, boolean online) {

    public String agentId() {
      return heartbeat.agentId();
    }

    public String agentType() {
      return heartbeat.agentType();
    }

    public List<String> capabilities() {
      return heartbeat.capabilities();
    }

    public double load() {
      return online ? heartbeat.load() : 0.0;
    }

    /** The heartbeat's status, OFFLINE when the agent is not online (whatever its last heartbeat said). */
    public AgentStatus status() {
      return online ? heartbeat.status() : AgentStatus.OFFLINE;
    }

    public int capacity() {
      return heartbeat.capacity();
    }

    /** The MCP servers this agent is (from its {@code mcp:<server>[/<tool>]} capabilities), sorted; empty for other agents. */
    public Set<String> mcpServerNames() {
      Set<String> names = new TreeSet<>();
      if (MCP_SERVER_TYPE.equals(agentType())) {
        capabilities().stream().map(AgentRegistry::serverOf).filter(Objects::nonNull).forEach(names::add);
      }
      return names;
    }

    /** For listings (dashboard, logs): the heartbeat's fields with the live status, plus last_seen and online. */
    public JsonObject toJson() {
      JsonObject json = new JsonObject()
          .put("agent_id", agentId())
          .put("agent_type", agentType())
          .put("capabilities", new JsonArray(capabilities()))
          .put("load", load())
          .put("status", status().json())
          .put("last_seen", lastSeen.toString())
          .put("online", online);
      return capacity() > 0 ? json.put("capacity", capacity()) : json;
    }
  }

  /** A change of an agent's state, with the agent as it is after the change and why, in words. */
  public record Transition(Kind kind, String agentId, AgentInfo agent, String reason) {
  }

  private final Duration interval;
  private final Duration offlineAfter;
  private final Duration forgetAfter;
  private final Map<String, AgentInfo> agents = new LinkedHashMap<>();
  /** When an agent went offline, for forgetting it later. */
  private final Map<String, Instant> offlineSince = new LinkedHashMap<>();

  public AgentRegistry(Duration heartbeatInterval) {
    this(heartbeatInterval, DEFAULT_FORGET_AFTER);
  }

  /** @param forgetAfter how long an offline agent stays listed before {@link #sweep} drops it */
  public AgentRegistry(Duration heartbeatInterval, Duration forgetAfter) {
    if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatInterval);
    }
    if (forgetAfter == null || forgetAfter.isNegative()) {
      throw new IllegalArgumentException("forgetAfter must not be negative, got " + forgetAfter);
    }
    this.interval = heartbeatInterval;
    this.offlineAfter = heartbeatInterval.multipliedBy(MISSED_BEATS);
    this.forgetAfter = forgetAfter;
  }

  public Duration heartbeatInterval() {
    return interval;
  }

  /**
   * Takes in one heartbeat observed at {@code now}. ONLINE for an agent not known or back from
   * offline, OFFLINE when an online agent says it is going, DRAINING when an online agent's status
   * turns to draining; empty otherwise, and for a heartbeat not newer than the last one seen from
   * that agent (ignored altogether). An agent first seen saying offline is listed as offline,
   * without a transition: nobody saw it online.
   */
  public synchronized Optional<Transition> observe(Heartbeat hb, Instant now) {
    String id = hb.agentId();
    AgentInfo known = agents.get(id);
    if (known != null && !hb.timestamp().isAfter(known.heartbeat().timestamp())) {
      return Optional.empty();
    }
    boolean online = hb.status() != AgentStatus.OFFLINE;
    AgentInfo info = new AgentInfo(hb, now, online);
    agents.put(id, info);
    if (!online) {
      offlineSince.putIfAbsent(id, now);
      return known != null && known.online()
          ? Optional.of(new Transition(Kind.OFFLINE, id, info, "the agent announced it is going offline"))
          : Optional.empty();
    }
    offlineSince.remove(id);
    if (known == null) {
      return Optional.of(new Transition(Kind.ONLINE, id, info, "first heartbeat (" + hb.status().json() + ")"));
    }
    if (!known.online()) {
      return Optional.of(new Transition(Kind.ONLINE, id, info, "heartbeat again after "
          + seconds(Duration.between(known.lastSeen(), now)) + " (" + hb.status().json() + ")"));
    }
    if (hb.status() == AgentStatus.DRAINING && known.heartbeat().status() != AgentStatus.DRAINING) {
      return Optional.of(new Transition(Kind.DRAINING, id, info, "the agent is draining: it finishes its work and takes no new"));
    }
    return Optional.empty();
  }

  /**
   * OFFLINE for each online agent silent for {@value #MISSED_BEATS} intervals or more at {@code
   * now}; also forgets agents offline for longer than forgetAfter (without a transition).
   */
  public synchronized List<Transition> sweep(Instant now) {
    List<Transition> out = new ArrayList<>();
    for (Map.Entry<String, AgentInfo> e : agents.entrySet()) {
      AgentInfo info = e.getValue();
      Duration silence = Duration.between(info.lastSeen(), now);
      if (info.online() && silence.compareTo(offlineAfter) >= 0) {
        AgentInfo offline = new AgentInfo(info.heartbeat(), info.lastSeen(), false);
        e.setValue(offline);
        offlineSince.put(e.getKey(), now);
        long missed = silence.toNanos() / interval.toNanos();
        out.add(new Transition(Kind.OFFLINE, e.getKey(), offline,
            "no heartbeat for " + seconds(silence) + " (" + missed + " missed)"));
      }
    }
    for (Iterator<Map.Entry<String, Instant>> it = offlineSince.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> e = it.next();
      if (Duration.between(e.getValue(), now).compareTo(forgetAfter) > 0) {
        agents.remove(e.getKey());
        it.remove();
      }
    }
    return out;
  }

  /** Every agent known, online or not, in the order first seen. */
  public synchronized Collection<AgentInfo> agents() {
    return List.copyOf(agents.values());
  }

  public synchronized Optional<AgentInfo> agent(String id) {
    return Optional.ofNullable(agents.get(id));
  }

  /**
   * The online agents that declare this capability, whatever their status: callers that hand out
   * work skip those draining or busy (see {@link AgentInfo#status()}).
   */
  public synchronized List<AgentInfo> withCapability(String capability) {
    List<AgentInfo> out = new ArrayList<>();
    for (AgentInfo info : agents.values()) {
      if (info.online() && info.capabilities().contains(capability)) {
        out.add(info);
      }
    }
    return out;
  }

  /**
   * The MCP servers online now and their tools (sorted), from the heartbeats of agents of type
   * {@value #MCP_SERVER_TYPE}: capability {@code mcp:<server>} names a server, {@code
   * mcp:<server>/<tool>} one of its tools. Replicas of one server are merged.
   */
  public synchronized Map<String, List<String>> mcpServers() {
    Map<String, TreeSet<String>> servers = new TreeMap<>();
    for (AgentInfo info : agents.values()) {
      if (!info.online() || !MCP_SERVER_TYPE.equals(info.agentType())) {
        continue;
      }
      for (String capability : info.capabilities()) {
        String server = serverOf(capability);
        if (server == null) {
          continue;
        }
        TreeSet<String> tools = servers.computeIfAbsent(server, s -> new TreeSet<>());
        String tool = capability.substring(MCP_PREFIX.length() + server.length());
        if (tool.length() > 1) {
          tools.add(tool.substring(1));
        }
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    servers.forEach((server, tools) -> out.put(server, List.copyOf(tools)));
    return out;
  }

  /** The server a capability {@code mcp:<server>} or {@code mcp:<server>/<tool>} names; null for any other. */
  private static String serverOf(String capability) {
    if (!capability.startsWith(MCP_PREFIX)) {
      return null;
    }
    String rest = capability.substring(MCP_PREFIX.length());
    int slash = rest.indexOf('/');
    String server = slash < 0 ? rest : rest.substring(0, slash);
    return server.isEmpty() ? null : server;
  }

  public synchronized boolean online(String id) {
    AgentInfo info = agents.get(id);
    return info != null && info.online();
  }

  /** Drops an agent from the view (an operator removed it); its next heartbeat brings it back as new. */
  public synchronized void forget(String id) {
    agents.remove(id);
    offlineSince.remove(id);
  }

  /** "92 s", or "0.6 s" below 10 s (short intervals in tests and demos). */
  static String seconds(Duration d) {
    long ms = Math.max(0, d.toMillis());
    return ms >= 10_000 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
