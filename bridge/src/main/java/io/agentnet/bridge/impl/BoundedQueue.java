package io.agentnet.bridge.impl;

import java.util.ArrayDeque;
import java.util.function.ToLongFunction;

/**
 * A FIFO bounded by element count and total bytes. Used by one thread only (the bridge's context).
 * {@link #offer} refuses past the bound; {@link #pushFront} always takes an element back that was
 * accepted before, so a retry never loses a message to a full queue.
 */
public final class BoundedQueue<T> {

  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final int maxItems;
  private final long maxBytes;
  private final ToLongFunction<T> sizeOf;
  private long bytes;

  public BoundedQueue(int maxItems, long maxBytes, ToLongFunction<T> sizeOf) {
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
    this.sizeOf = sizeOf;
  }

  public boolean offer(T item) {
    long size = sizeOf.applyAsLong(item);
    if (items.size() >= maxItems || bytes + size > maxBytes) {
      return false;
    }
    items.addLast(item);
    bytes += size;
    return true;
  }

  public void pushFront(T item) {
    items.addFirst(item);
    bytes += sizeOf.applyAsLong(item);
  }

  public T peek() {
    return items.peekFirst();
  }

  public T poll() {
    T item = items.pollFirst();
    if (item != null) {
      bytes -= sizeOf.applyAsLong(item);
    }
    return item;
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  public int size() {
    return items.size();
  }

  public long bytes() {
    return bytes;
  }

  public int maxItems() {
    return maxItems;
  }

  public long maxBytes() {
    return maxBytes;
  }
}
