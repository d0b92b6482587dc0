package io.agentnet.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw jnats subscriber (its own Dispatcher, no pending limits, so jnats itself never drops) that
 * counts the messages of one publish run on one subject and notes when the expected last one arrived.
 * One instance per run: {@link #close()} unsubscribes.
 */
final class CountingSubscriber implements AutoCloseable {

  private final Connection connection;
  private final Dispatcher dispatcher;
  private final long expected;
  private final AtomicLong received = new AtomicLong();
  private final CountDownLatch complete = new CountDownLatch(1);
  private volatile long completedAt;

  CountingSubscriber(Connection connection, String subject, long expected) throws Exception {
    this.connection = connection;
    this.expected = expected;
    this.dispatcher = connection.createDispatcher(msg -> {
      if (received.incrementAndGet() == this.expected) {
        completedAt = System.nanoTime();
        complete.countDown();
      }
    });
    dispatcher.setPendingLimits(-1, -1);
    dispatcher.subscribe(subject);
    // The server has the subscription once the flush's PONG is back: nothing published after this is missed.
    connection.flush(Duration.ofSeconds(5));
  }

  /** What happened: all messages arrived (then {@code completedAt} is set), or the count stopped short. */
  record Outcome(boolean complete, long received, long completedAt, long dropped) {
  }

  /**
   * Waits until the expected count has arrived, the count has not moved for {@code stall}, or
   * {@code deadline} passed since the call.
   */
  Outcome await(Duration stall, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    long last = -1;
    long lastChange = System.nanoTime();
    while (!complete.await(20, TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      long n = received.get();
      if (n != last) {
        last = n;
        lastChange = now;
      } else if (now - lastChange > stall.toNanos()) {
        break;
      }
      if (now > end) {
        break;
      }
    }
    boolean done = complete.getCount() == 0;
    return new Outcome(done, received.get(), done ? completedAt : 0, dispatcher.getDroppedCount());
  }

  @Override
  public void close() {
    connection.closeDispatcher(dispatcher);
  }
}
