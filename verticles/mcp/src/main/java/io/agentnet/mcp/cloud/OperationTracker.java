package io.agentnet.mcp.cloud;

import io.agentnet.runtime.mcp.ToolException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The operations of mutating calls, in memory and bounded: past {@code capacity} the oldest
 * finished operation is forgotten first (a running one only when none has finished).
 *
 * <p>An operation that does not finish within its call (a deployment becoming ready) carries a
 * {@link Completion}: each {@link #get} of a running operation asks it once whether the work is
 * done, so progress is observed by polling get_operation and needs no timer or thread. Past its
 * deadline the operation fails with the last state the completion reported.
 */
public final class OperationTracker {

  private static final Logger LOG = LoggerFactory.getLogger(OperationTracker.class);

  /** Checks whether a running operation's work is done; it may block (it runs on a worker). */
  @FunctionalInterface
  public interface Completion {
    /**
     * Returns {@link Check#done} with the result when the work is finished, {@link Check#pending}
     * with what it waits for otherwise; throws {@link ToolException} when it can never finish.
     */
    Check check();
  }

  /** The answer of a {@link Completion}: a result when done, a description of the wait otherwise. */
  public record Check(JsonObject result, String waitingFor) {
    public static Check done(JsonObject result) {
      return new Check(result == null ? new JsonObject() : result, null);
    }

    public static Check pending(String waitingFor) {
      return new Check(null, waitingFor);
    }

    public boolean isDone() {
      return result != null;
    }
  }

  private record Entry(Operation operation, Completion completion, Instant deadline) {
  }

  private final int capacity;
  private final Clock clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public OperationTracker(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("operation capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  public OperationTracker(int capacity) {
    this(capacity, Clock.systemUTC());
  }

  /** Records an operation that finished within its call. */
  public Operation succeeded(String kind, String target, JsonObject result) {
    Instant now = clock.instant();
    Operation op = new Operation(newId(), kind, target, Operation.Status.SUCCEEDED, now, now,
        result == null ? new JsonObject() : result, null);
    add(new Entry(op, null, null));
    return op;
  }

  /**
   * Records an operation that goes on after its call; {@code completion} is asked on each
   * {@link #get} until it is done, fails, or {@code timeout} has passed.
   */
  public Operation running(String kind, String target, Completion completion, Duration timeout) {
    Instant now = clock.instant();
    Operation op = new Operation(newId(), kind, target, Operation.Status.RUNNING, now, null, null, null);
    add(new Entry(op, completion, now.plus(timeout)));
    return op;
  }

  /**
   * The operation with this id, brought up to date by asking its completion once when it is
   * still running; a {@link ToolException} when there is none (unknown, or forgotten).
   */
  public Operation get(String id) {
    Entry entry;
    synchronized (this) {
      entry = entries.get(id);
    }
    if (entry == null) {
      throw new ToolException("no operation " + id + ": it never existed or was forgotten (only the latest "
          + capacity + " are kept)");
    }
    if (entry.operation().finished() || entry.completion() == null) {
      return entry.operation();
    }
    // Checked outside the lock: the completion may call a cluster.
    Operation updated = poll(entry);
    synchronized (this) {
      Entry current = entries.get(id);
      if (current == null) {
        return updated;
      }
      if (current.operation().finished()) {
        return current.operation(); // another poll finished it first
      }
      if (updated.finished()) {
        entries.put(id, new Entry(updated, null, null));
      }
      return updated;
    }
  }

  /** How many operations are remembered. */
  public synchronized int size() {
    return entries.size();
  }

  private Operation poll(Entry entry) {
    Operation op = entry.operation();
    Check check;
    try {
      check = entry.completion().check();
    } catch (ToolException e) {
      return op.failed(clock.instant(), e.getMessage());
    } catch (RuntimeException e) {
      // A transient failure to look (network): keep running, the next poll tries again.
      LOG.warn("checking operation {} ({} {}) failed: {}", op.id(), op.kind(), op.target(), e.toString());
      check = Check.pending("a successful check (the last one failed: " + e.getClass().getSimpleName() + ")");
    }
    Instant now = clock.instant();
    if (check.isDone()) {
      return op.succeeded(now, check.result());
    }
    if (now.isAfter(entry.deadline())) {
      long seconds = Duration.between(op.startedAt(), entry.deadline()).toSeconds();
      return op.failed(now, op.kind() + " of " + op.target() + " did not finish within " + seconds
          + " s; it was waiting for " + check.waitingFor());
    }
    return op;
  }

  private synchronized void add(Entry entry) {
    entries.put(entry.operation().id(), entry);
    if (entries.size() > capacity) {
      evictOne();
    }
  }

  private void evictOne() {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      if (it.next().operation().finished()) {
        it.remove();
        return;
      }
    }
    Iterator<Entry> oldest = entries.values().iterator();
    oldest.next();
    oldest.remove();
  }

  private static String newId() {
    return "op-" + UUID.randomUUID();
  }
}
