package io.agentnet.bench;

import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.nats.client.Connection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Synthetic agents for {@link DashboardBenchmark}: from its own thread, every second, one heartbeat
 * per agent on {@code ai.heartbeat.<agent_id>} (the JSON of {@link Heartbeat#toJson}), spread over
 * the second in {@value #TICKS_PER_SECOND} ticks rather than in one burst. The number of agents can
 * change while it runs (it takes effect at the next second); agent {@code i} keeps its id, type and
 * capabilities, its load moves and its status follows the load (busy above 0.8). It stops by itself
 * at its deadline, or on {@link #close()}.
 */
final class HeartbeatGenerator implements AutoCloseable {

  static final int TICKS_PER_SECOND = 50;
  static final String ID_PREFIX = "bench-agent-";

  private static final String[] TYPES = {"infrastructure", "monitoring", "deployment", "security"};
  private static final List<List<String>> CAPABILITIES = List.of(
      List.of("health_check", "vm_management"),
      List.of("metrics", "alerting", "health_check"),
      List.of("deploy", "rollback"),
      List.of("audit", "compliance_scan"));

  private final Connection nc;
  private final long deadlineNanos;
  private final AtomicInteger agents = new AtomicInteger();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong lateTicks = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  HeartbeatGenerator(Connection nc, long deadlineNanos) {
    this.nc = nc;
    this.deadlineNanos = deadlineNanos;
    this.thread = new Thread(this::run, "heartbeat-generator");
    this.thread.setDaemon(true);
  }

  static String agentId(int i) {
    return String.format(Locale.ROOT, "%s%04d", ID_PREFIX, i);
  }

  void start() {
    thread.start();
  }

  /** How many agents beat from the next second on. */
  void agents(int n) {
    agents.set(n);
  }

  /** Heartbeats handed to jnats so far. */
  long published() {
    return published.get();
  }

  /** Ticks that started more than one tick late (the generator could not keep its schedule). */
  long lateTicks() {
    return lateTicks.get();
  }

  Throwable failure() {
    return failure;
  }

  private void run() {
    long tickNanos = TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;
    long next = System.nanoTime();
    int n = 0;
    long second = 0;
    try {
      while (running && System.nanoTime() < deadlineNanos) {
        for (int tick = 0; tick < TICKS_PER_SECOND && running; tick++) {
          if (tick == 0) {
            n = agents.get();
            second++;
          }
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          } else if (-wait > tickNanos) {
            lateTicks.incrementAndGet();
          }
          // agents [from, to) beat in this tick: agent i at i/n of the second
          int from = (int) ((long) tick * n / TICKS_PER_SECOND);
          int to = (int) ((long) (tick + 1) * n / TICKS_PER_SECOND);
          Instant now = Instant.now();
          for (int i = from; i < to && running; i++) {
            nc.publish("ai.heartbeat." + agentId(i), heartbeat(i, second, now));
            published.incrementAndGet();
          }
          next += tickNanos;
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private static byte[] heartbeat(int i, long second, Instant now) {
    // a load that moves every beat, differently per agent, rounded as an agent would report it
    double load = Math.round((0.5 + 0.45 * Math.sin(second * 0.7 + i * 1.3)) * 100) / 100.0;
    AgentStatus status = load > 0.8 ? AgentStatus.BUSY : AgentStatus.AVAILABLE;
    int kind = i % TYPES.length;
    return new Heartbeat(agentId(i), TYPES[kind], CAPABILITIES.get(kind), load, status, now, 4 + i % 13)
        .toJson().encode().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    // no interrupt: jnats discards a message published from an interrupted thread
    running = false;
    LockSupport.unpark(thread);
    thread.join(TimeUnit.SECONDS.toMillis(5));
  }
}
