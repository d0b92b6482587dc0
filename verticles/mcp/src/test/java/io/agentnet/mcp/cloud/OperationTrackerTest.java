package io.agentnet.mcp.cloud;

import io.agentnet.runtime.mcp.ToolException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationTrackerTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));

  @Test
  void anImmediateOperationIsAlreadySucceeded() {
    OperationTracker tracker = new OperationTracker(10, clock);
    Operation op = tracker.succeeded("create_bucket", "photos", new JsonObject().put("bucket", "photos"));

    assertThat(op.status()).isEqualTo(Operation.Status.SUCCEEDED);
    assertThat(tracker.get(op.id())).isEqualTo(op);
    assertThat(op.toJson()).isEqualTo(new JsonObject()
        .put("operation_id", op.id())
        .put("kind", "create_bucket")
        .put("target", "photos")
        .put("status", "succeeded")
        .put("started_at", "2025-03-01T10:00:00Z")
        .put("finished_at", "2025-03-01T10:00:00Z")
        .put("result", new JsonObject().put("bucket", "photos")));
  }

  @Test
  void aRunningOperationAsksItsCompletionOnEachPollUntilDone() {
    OperationTracker tracker = new OperationTracker(10, clock);
    AtomicReference<OperationTracker.Check> answer = new AtomicReference<>(OperationTracker.Check.pending("3 ready"));
    AtomicInteger checks = new AtomicInteger();
    Operation op = tracker.running("scale_deployment", "ns/web", () -> {
      checks.incrementAndGet();
      return answer.get();
    }, Duration.ofMinutes(5));

    assertThat(op.status()).isEqualTo(Operation.Status.RUNNING);
    assertThat(op.toJson().containsKey("finished_at")).isFalse();
    assertThat(tracker.get(op.id()).status()).isEqualTo(Operation.Status.RUNNING);
    assertThat(checks).hasValue(1);

    clock.advance(Duration.ofSeconds(30));
    answer.set(OperationTracker.Check.done(new JsonObject().put("ready_replicas", 3)));
    Operation done = tracker.get(op.id());
    assertThat(done.status()).isEqualTo(Operation.Status.SUCCEEDED);
    assertThat(done.finishedAt()).isEqualTo(Instant.parse("2025-03-01T10:00:30Z"));
    assertThat(done.result().getInteger("ready_replicas")).isEqualTo(3);

    // Finished: the completion is not asked again.
    assertThat(tracker.get(op.id())).isEqualTo(done);
    assertThat(checks).hasValue(2);
  }

  @Test
  void aCompletionThatCannotFinishFailsTheOperation() {
    OperationTracker tracker = new OperationTracker(10, clock);
    Operation op = tracker.running("create_deployment", "ns/x", () -> {
      throw new ToolException("deployment ns/x was deleted before it became ready");
    }, Duration.ofMinutes(5));
    Operation failed = tracker.get(op.id());
    assertThat(failed.status()).isEqualTo(Operation.Status.FAILED);
    assertThat(failed.error()).isEqualTo("deployment ns/x was deleted before it became ready");
    assertThat(failed.toJson().getString("status")).isEqualTo("failed");
  }

  @Test
  void aTransientCheckFailureKeepsItRunning() {
    OperationTracker tracker = new OperationTracker(10, clock);
    AtomicInteger calls = new AtomicInteger();
    Operation op = tracker.running("scale_deployment", "ns/web", () -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("connection reset");
      }
      return OperationTracker.Check.done(null);
    }, Duration.ofMinutes(5));
    assertThat(tracker.get(op.id()).status()).isEqualTo(Operation.Status.RUNNING);
    assertThat(tracker.get(op.id()).status()).isEqualTo(Operation.Status.SUCCEEDED);
  }

  @Test
  void pastTheDeadlineItFailsSayingWhatItWaitedFor() {
    OperationTracker tracker = new OperationTracker(10, clock);
    Operation op = tracker.running("scale_deployment", "ns/web",
        () -> OperationTracker.Check.pending("3 ready replicas (ready 1)"), Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(60));
    assertThat(tracker.get(op.id()).status()).isEqualTo(Operation.Status.RUNNING);
    clock.advance(Duration.ofSeconds(1));
    Operation failed = tracker.get(op.id());
    assertThat(failed.status()).isEqualTo(Operation.Status.FAILED);
    assertThat(failed.error()).isEqualTo("scale_deployment of ns/web did not finish within 60 s; it was waiting for "
        + "3 ready replicas (ready 1)");
  }

  @Test
  void theOldestFinishedOperationIsForgottenFirst() {
    OperationTracker tracker = new OperationTracker(3, clock);
    Operation running = tracker.running("scale_deployment", "ns/a", () -> OperationTracker.Check.pending("x"),
        Duration.ofMinutes(5));
    Operation first = tracker.succeeded("put_object", "b/1", null);
    Operation second = tracker.succeeded("put_object", "b/2", null);
    Operation third = tracker.succeeded("put_object", "b/3", null);

    assertThat(tracker.size()).isEqualTo(3);
    assertThat(tracker.get(running.id()).status()).isEqualTo(Operation.Status.RUNNING);
    assertThatThrownBy(() -> tracker.get(first.id())).isInstanceOf(ToolException.class)
        .hasMessage("no operation " + first.id() + ": it never existed or was forgotten (only the latest 3 are kept)");
    assertThat(tracker.get(second.id())).isEqualTo(second);
    assertThat(tracker.get(third.id())).isEqualTo(third);
  }

  @Test
  void withOnlyRunningOperationsTheOldestGoes() {
    OperationTracker tracker = new OperationTracker(2, clock);
    Operation a = tracker.running("k", "a", () -> OperationTracker.Check.pending("x"), Duration.ofMinutes(1));
    tracker.running("k", "b", () -> OperationTracker.Check.pending("x"), Duration.ofMinutes(1));
    tracker.running("k", "c", () -> OperationTracker.Check.pending("x"), Duration.ofMinutes(1));
    assertThat(tracker.size()).isEqualTo(2);
    assertThatThrownBy(() -> tracker.get(a.id())).isInstanceOf(ToolException.class);
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new OperationTracker(0, clock)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
