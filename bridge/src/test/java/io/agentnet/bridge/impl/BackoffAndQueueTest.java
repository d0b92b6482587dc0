package io.agentnet.bridge.impl;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffAndQueueTest {

  @Test
  void backoffDoublesUpToTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), false);
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(500)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void jitterStaysInTheUpperHalf() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), true);
    for (int i = 0; i < 200; i++) {
      assertThat(b.delay(3).toMillis()).isBetween(200L, 400L);
    }
  }

  @Test
  void queueIsBoundedByCountAndBytesAndKeepsOrder() {
    BoundedQueue<String> q = new BoundedQueue<>(3, 10, String::length);
    assertThat(q.offer("aaa")).isTrue();
    assertThat(q.offer("bbb")).isTrue();
    assertThat(q.offer("ccccc")).as("over the byte bound").isFalse();
    assertThat(q.offer("cc")).isTrue();
    assertThat(q.offer("d")).as("over the count bound").isFalse();
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.bytes()).isEqualTo(8);
    assertThat(q.poll()).isEqualTo("aaa");
    q.pushFront("retry");
    assertThat(q.poll()).as("a retried element goes first, even past the bound").isEqualTo("retry");
    assertThat(q.poll()).isEqualTo("bbb");
    assertThat(q.poll()).isEqualTo("cc");
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.bytes()).isZero();
  }
}
