package io.agentnet.agents.orchestrator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadyQueueTest {

  private static List<String> drain(ReadyQueue<String> queue) {
    List<String> out = new ArrayList<>();
    queue.poll().ifPresent(first -> {
      out.add(first);
      out.addAll(drain(queue));
    });
    return out;
  }

  @Test
  void priorityFirstThenFirstComeFirstServed() {
    ReadyQueue<String> queue = new ReadyQueue<>();
    queue.add("low-1", 9);
    queue.add("mid-1", 5);
    queue.add("high-1", 1);
    queue.add("mid-2", 5);
    queue.add("low-2", 9);
    queue.add("high-2", 1);
    assertThat(queue).containsExactly("high-1", "high-2", "mid-1", "mid-2", "low-1", "low-2");
    assertThat(queue.peek()).contains("high-1");
    assertThat(queue.size()).isEqualTo(6);
    assertThat(drain(queue)).containsExactly("high-1", "high-2", "mid-1", "mid-2", "low-1", "low-2");
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.poll()).isEmpty();
    assertThat(queue.peek()).isEmpty();
  }

  @Test
  void explicitSequenceNumbersOrderWithinAPriority() {
    ReadyQueue<String> queue = new ReadyQueue<>();
    queue.add("new-workflow", 5, 20);
    queue.add("old-workflow-retry", 5, 10);
    queue.add("same-seq-later", 5, 10);
    assertThat(queue).containsExactly("old-workflow-retry", "same-seq-later", "new-workflow");
  }

  @Test
  void pollFirstTakesTheFirstAcceptedAndKeepsTheRestInPlace() {
    ReadyQueue<String> queue = new ReadyQueue<>();
    queue.add("provisioning:a", 1);
    queue.add("metrics:b", 2);
    queue.add("metrics:c", 3);
    // no agent free for provisioning: metrics work behind it still goes out
    assertThat(queue.pollFirst(item -> item.startsWith("metrics"))).contains("metrics:b");
    assertThat(queue).containsExactly("provisioning:a", "metrics:c");
    assertThat(queue.pollFirst(item -> item.startsWith("rebalancing"))).isEmpty();
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void removeAndDuplicates() {
    ReadyQueue<String> queue = new ReadyQueue<>();
    assertThat(queue.add("a", 5)).isTrue();
    assertThat(queue.add("a", 1)).isFalse();
    assertThat(queue.priorityOf("a")).contains(5);
    queue.add("b", 5);
    assertThat(queue.remove("a")).isTrue();
    assertThat(queue.remove("a")).isFalse();
    assertThat(queue.contains("a")).isFalse();
    assertThat(queue).containsExactly("b");
    assertThat(queue.add("a", 1)).isTrue(); // back in, at its new place
    assertThat(queue).containsExactly("a", "b");
  }

  @Test
  void iterationIsReadOnlyAndPrioritiesAreChecked() {
    ReadyQueue<String> queue = new ReadyQueue<>();
    queue.add("a", 5);
    assertThatThrownBy(() -> {
      var it = queue.iterator();
      it.next();
      it.remove();
    }).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> queue.add("b", 0))
        .hasMessage("priority must be between 1 (highest) and 10 (lowest), got 0");
    assertThatThrownBy(() -> queue.add("b", 11)).isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.size()).isEqualTo(1);
  }
}
