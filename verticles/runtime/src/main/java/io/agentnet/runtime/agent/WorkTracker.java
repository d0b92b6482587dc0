package io.agentnet.runtime.agent;

import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.runtime.heartbeat.LoadReporter;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;

/**
 * An agent's work in flight against its capacity, and whether it is draining (finishing what it
 * has, taking nothing new). It is the agent's {@link LoadReporter}: load is in-flight over capacity,
 * status DRAINING while draining, BUSY at capacity, else AVAILABLE.
 *
 * <p>Thread-safe: the agent's verticle acquires and releases on its context while the heartbeat
 * publisher reads on its own. Plain Java; {@link #whenIdle()} uses a Vert.x {@link Promise}, which
 * needs no Vert.x instance, and its future completes on the thread of the last {@link #release()}.
 */
public final class WorkTracker implements LoadReporter {

  private final int capacity;
  private int inFlight;
  private boolean draining;
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();

  /** @param capacity how many tasks may run at once, at least 1 */
  public WorkTracker(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 task at a time, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Takes a slot for one task; false when all slots are taken or the agent is draining. */
  public synchronized boolean tryAcquire() {
    if (draining || inFlight >= capacity) {
      return false;
    }
    inFlight++;
    return true;
  }

  /**
   * Gives back a slot taken by {@link #tryAcquire()}.
   *
   * @throws IllegalStateException when no slot is taken (a release without an acquire is a bug)
   */
  public void release() {
    List<Promise<Void>> toComplete;
    synchronized (this) {
      if (inFlight == 0) {
        throw new IllegalStateException("release() without a task in flight (capacity " + capacity + ")");
      }
      inFlight--;
      if (inFlight > 0 || idleWaiters.isEmpty()) {
        return;
      }
      toComplete = List.copyOf(idleWaiters);
      idleWaiters.clear();
    }
    // Outside the lock: a waiter's handlers may call back into the tracker.
    toComplete.forEach(Promise::tryComplete);
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  /** From now on {@link #tryAcquire()} refuses; the tasks in flight carry on. There is no way back. */
  public synchronized void startDraining() {
    draining = true;
  }

  public synchronized boolean draining() {
    return draining;
  }

  @Override
  public synchronized double load() {
    return (double) inFlight / capacity;
  }

  @Override
  public synchronized AgentStatus status() {
    if (draining) {
      return AgentStatus.DRAINING;
    }
    return inFlight >= capacity ? AgentStatus.BUSY : AgentStatus.AVAILABLE;
  }

  /** Completes when nothing is in flight: at once when idle now, else with the release of the last task. */
  public synchronized Future<Void> whenIdle() {
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    idleWaiters.add(promise);
    return promise.future();
  }

  @Override
  public synchronized String toString() {
    return "WorkTracker[" + inFlight + "/" + capacity + (draining ? ", draining" : "") + "]";
  }
}
