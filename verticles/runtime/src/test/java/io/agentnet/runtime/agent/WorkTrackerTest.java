package io.agentnet.runtime.agent;

import io.agentnet.bridge.message.AgentStatus;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkTrackerTest {

  @Test
  void acquiresUpToCapacityAndReportsLoadAndStatus() {
    WorkTracker tracker = new WorkTracker(2);
    assertThat(tracker.capacity()).isEqualTo(2);
    assertThat(tracker.load()).isZero();
    assertThat(tracker.status()).isEqualTo(AgentStatus.AVAILABLE);

    assertThat(tracker.tryAcquire()).isTrue();
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(tracker.load()).isEqualTo(0.5);
    assertThat(tracker.status()).isEqualTo(AgentStatus.AVAILABLE);

    assertThat(tracker.tryAcquire()).isTrue();
    assertThat(tracker.load()).isEqualTo(1.0);
    assertThat(tracker.status()).isEqualTo(AgentStatus.BUSY);
    assertThat(tracker.tryAcquire()).as("at capacity").isFalse();
    assertThat(tracker.inFlight()).isEqualTo(2);

    tracker.release();
    assertThat(tracker.status()).isEqualTo(AgentStatus.AVAILABLE);
    assertThat(tracker.tryAcquire()).isTrue();
  }

  @Test
  void drainingRefusesNewWorkAndSaysSoEvenWhenIdle() {
    WorkTracker tracker = new WorkTracker(3);
    assertThat(tracker.tryAcquire()).isTrue();
    tracker.startDraining();
    assertThat(tracker.draining()).isTrue();
    assertThat(tracker.status()).isEqualTo(AgentStatus.DRAINING);
    assertThat(tracker.tryAcquire()).isFalse();
    assertThat(tracker.inFlight()).isEqualTo(1);
    tracker.release();
    assertThat(tracker.status()).isEqualTo(AgentStatus.DRAINING);
    assertThat(tracker.load()).isZero();
  }

  @Test
  void whenIdleCompletesWithTheLastRelease() {
    WorkTracker tracker = new WorkTracker(2);
    assertThat(tracker.whenIdle().succeeded()).as("idle already").isTrue();
    tracker.tryAcquire();
    tracker.tryAcquire();
    Future<Void> idle = tracker.whenIdle();
    Future<Void> idleToo = tracker.whenIdle();
    tracker.release();
    assertThat(idle.isComplete()).as("one task still in flight").isFalse();
    tracker.release();
    assertThat(idle.succeeded()).isTrue();
    assertThat(idleToo.succeeded()).isTrue();
    tracker.tryAcquire();
    assertThat(tracker.whenIdle().isComplete()).as("a new wait after new work").isFalse();
  }

  @Test
  void rejectsBadCapacityAndUnbalancedRelease() {
    assertThatThrownBy(() -> new WorkTracker(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1").hasMessageContaining("got 0");
    WorkTracker tracker = new WorkTracker(1);
    assertThatThrownBy(tracker::release).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without a task in flight");
  }

  @Test
  void neverExceedsCapacityUnderContention() throws Exception {
    WorkTracker tracker = new WorkTracker(4);
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger acquired = new AtomicInteger();
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          for (int n = 0; n < 5_000; n++) {
            if (tracker.tryAcquire()) {
              acquired.incrementAndGet();
              maxSeen.accumulateAndGet(tracker.inFlight(), Math::max);
              tracker.release();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
      workers.add(t);
      t.start();
    }
    go.countDown();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acquired.get()).isPositive();
    assertThat(maxSeen.get()).isBetween(1, 4);
    assertThat(tracker.inFlight()).isZero();
    assertThat(tracker.whenIdle().succeeded()).isTrue();
  }
}
