package io.agentnet.agents.orchestrator;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Work waiting for an agent, in the order it should go out: priority first (1 highest .. 10
 * lowest), then first come, first served by a sequence number. {@link #pollFirst(Predicate)}
 * takes the first item a predicate accepts, so work whose capability has no free agent does not
 * hold up work behind it that another agent could take. An item is queued at most once (by
 * {@code equals}). Not thread-safe: one verticle owns it.
 */
public final class ReadyQueue<T> implements Iterable<T> {

  private record Entry<T>(T item, int priority, long sequence, long tieBreak) {
  }

  private static final Comparator<Entry<?>> ORDER = Comparator
      .comparingInt((Entry<?> e) -> e.priority())
      .thenComparingLong(Entry::sequence)
      .thenComparingLong(Entry::tieBreak);

  private final TreeSet<Entry<T>> entries = new TreeSet<>(ORDER);
  private final Map<T, Entry<T>> byItem = new HashMap<>();
  private long counter;

  /**
   * Queues an item behind everything already queued at its priority.
   *
   * @return false (and no change) when the item is already queued
   */
  public boolean add(T item, int priority) {
    return add(item, priority, counter);
  }

  /**
   * Queues an item with the caller's sequence number (e.g. its workflow's submission order, so a
   * retried step of an older workflow goes before a new workflow's steps after a restart). Equal
   * sequence numbers keep insertion order.
   *
   * @return false (and no change) when the item is already queued
   */
  public boolean add(T item, int priority, long sequence) {
    if (item == null) {
      throw new IllegalArgumentException("item must not be null");
    }
    if (priority < 1 || priority > 10) {
      throw new IllegalArgumentException("priority must be between 1 (highest) and 10 (lowest), got " + priority);
    }
    if (byItem.containsKey(item)) {
      return false;
    }
    Entry<T> entry = new Entry<>(item, priority, sequence, counter++);
    entries.add(entry);
    byItem.put(item, entry);
    return true;
  }

  /** Removes and returns the first item in order. */
  public Optional<T> poll() {
    Entry<T> first = entries.pollFirst();
    if (first == null) {
      return Optional.empty();
    }
    byItem.remove(first.item());
    return Optional.of(first.item());
  }

  /** The first item in order, left in the queue. */
  public Optional<T> peek() {
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries.first().item());
  }

  /** Removes and returns the first item, in order, that {@code accept} takes; the others keep their places. */
  public Optional<T> pollFirst(Predicate<? super T> accept) {
    for (Iterator<Entry<T>> it = entries.iterator(); it.hasNext(); ) {
      Entry<T> entry = it.next();
      if (accept.test(entry.item())) {
        it.remove();
        byItem.remove(entry.item());
        return Optional.of(entry.item());
      }
    }
    return Optional.empty();
  }

  /** @return whether the item was queued */
  public boolean remove(T item) {
    Entry<T> entry = byItem.remove(item);
    return entry != null && entries.remove(entry);
  }

  public boolean contains(T item) {
    return byItem.containsKey(item);
  }

  /** The item's priority, or empty when it is not queued. */
  public Optional<Integer> priorityOf(T item) {
    return Optional.ofNullable(byItem.get(item)).map(Entry::priority);
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public void clear() {
    entries.clear();
    byItem.clear();
  }

  /** The items in order; read-only (use {@link #remove} or {@link #pollFirst} to take items). */
  @Override
  public Iterator<T> iterator() {
    Iterator<Entry<T>> it = Collections.unmodifiableSortedSet(entries).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next().item();
      }
    };
  }
}
