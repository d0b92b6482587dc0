package io.agentnet.agents.orchestrator;

import io.agentnet.runtime.store.InMemoryKeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Leader election on a lease that expires, without Vert.x: the in-memory store with a test clock. */
class LeaderLeaseTest {

  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final InMemoryKeyValueStore leases = new InMemoryKeyValueStore("leases", Duration.ofSeconds(10), millis::get);

  private LeaderLease lease(String holder) {
    return new LeaderLease(leases, holder, Duration.ofSeconds(10), () -> Instant.ofEpochMilli(millis.get()));
  }

  private static boolean tick(LeaderLease lease) {
    return lease.tick().result();
  }

  @Test
  void oneLeadsTheOtherWaitsUntilTheLeaseLapses() {
    LeaderLease a = lease("a");
    LeaderLease b = lease("b");
    assertThat(tick(a)).isTrue();
    assertThat(tick(b)).isFalse();
    millis.addAndGet(3_000);
    assertThat(tick(a)).as("renewed").isTrue();
    millis.addAndGet(9_000);
    assertThat(tick(b)).as("a renewed 9 s ago: still a's").isFalse();
    assertThat(a.holder().result()).isEqualTo("a");

    millis.addAndGet(1_000); // a stopped renewing 10 s ago
    assertThat(tick(b)).isTrue();
    assertThat(tick(a)).as("a finds the lease taken and stands down").isFalse();
    assertThat(a.leader()).isFalse();
  }

  @Test
  void releasingHandsOverAtTheStandbysNextTry() {
    LeaderLease a = lease("a");
    LeaderLease b = lease("b");
    tick(a);
    a.release().result();
    assertThat(a.leader()).isFalse();
    assertThat(tick(b)).isTrue();
  }
}
