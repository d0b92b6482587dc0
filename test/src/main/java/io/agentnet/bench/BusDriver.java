package io.agentnet.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import org.HdrHistogram.Histogram;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The event bus side of the bridged runs, deployed as an ordinary verticle (so it has its own event
 * loop context, as an application verticle would). Everything runs on that context and never blocks
 * it: requests are chained through futures, publishes go out in batches that yield to the loop. The
 * benchmark's main thread starts a run and waits on the returned {@link CompletableFuture}.
 */
final class BusDriver extends VerticleBase {

  /**
   * {@code count} sequential requests to {@code address}: the next one is sent when the reply to the
   * previous one has arrived. Completes with the round-trip histogram, or exceptionally with the
   * first failure (a reply of the wrong size counts as one).
   */
  CompletableFuture<Results.Latency> requests(String address, Object body, int expectedReplyBytes, int count,
                                              long timeoutMs) {
    CompletableFuture<Results.Latency> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      Histogram histogram = Results.newHistogram();
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
      long start = System.nanoTime();
      next(vertx.eventBus(), address, body, options, expectedReplyBytes, count, 0, histogram, start, done);
    });
    return done;
  }

  private void next(EventBus bus, String address, Object body, DeliveryOptions options, int expectedReplyBytes,
                    int count, int sent, Histogram histogram, long start, CompletableFuture<Results.Latency> done) {
    if (sent == count) {
      done.complete(new Results.Latency(histogram, System.nanoTime() - start));
      return;
    }
    long t0 = System.nanoTime();
    bus.request(address, body, options).onComplete(ar -> {
      long rtt = System.nanoTime() - t0;
      if (ar.failed()) {
        done.completeExceptionally(ar.cause());
        return;
      }
      int size = BenchPayload.size(ar.result().body());
      if (size != expectedReplyBytes) {
        done.completeExceptionally(new IllegalStateException("reply " + (sent + 1) + " has " + size
            + " bytes, expected " + expectedReplyBytes));
        return;
      }
      Results.record(histogram, rtt);
      next(bus, address, body, options, expectedReplyBytes, count, sent + 1, histogram, start, done);
    });
  }

  /**
   * Publishes {@code count} messages to {@code address}, {@code batch} per event loop turn. With a
   * {@code window} above 0 it is paced: a batch goes out only while fewer than {@code window} messages
   * are published but not yet {@code handedOver} (to NATS, by the bridge); otherwise it looks again 1 ms
   * later. Completes when the last one has been handed to the event bus, with the
   * {@link System#nanoTime()} of the first publish and of the end (index 0 and 1).
   */
  CompletableFuture<long[]> publishes(String address, Object body, int count, int batch, int window,
                                      LongSupplier handedOver) {
    CompletableFuture<long[]> done = new CompletableFuture<>();
    context.runOnContext(v -> new Publisher(vertx.eventBus(), address, body, count, batch, window, handedOver, done)
        .turn());
    return done;
  }

  private final class Publisher {
    private final EventBus bus;
    private final String address;
    private final Object body;
    private final int count;
    private final int batch;
    private final int window;
    private final LongSupplier handedOver;
    private final long handedOverAtStart;
    private final CompletableFuture<long[]> done;
    private final long start = System.nanoTime();
    private int sent;

    Publisher(EventBus bus, String address, Object body, int count, int batch, int window, LongSupplier handedOver,
              CompletableFuture<long[]> done) {
      this.bus = bus;
      this.address = address;
      this.body = body;
      this.count = count;
      this.batch = batch;
      this.window = window;
      this.handedOver = handedOver;
      this.handedOverAtStart = window > 0 ? handedOver.getAsLong() : 0;
      this.done = done;
    }

    void turn() {
      try {
        int end = Math.min(count, sent + batch);
        if (window > 0 && end - (handedOver.getAsLong() - handedOverAtStart) > window) {
          vertx.setTimer(1, t -> turn());
          return;
        }
        for (; sent < end; sent++) {
          bus.publish(address, body);
        }
        if (sent == count) {
          done.complete(new long[] {start, System.nanoTime()});
        } else {
          context.runOnContext(v -> turn());
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
