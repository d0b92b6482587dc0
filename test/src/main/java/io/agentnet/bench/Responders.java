package io.agentnet.bench;

import io.agentnet.bridge.BridgeFailure;
import io.vertx.core.eventbus.ReplyException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A bridged subscription reaches nats-server a moment after its verticle deploys: until then a
 * request gets "no responders". Benchmarks retry that (and only that) for a bounded time.
 */
final class Responders {

  /** One request over the path; throws ExecutionException with the bus failure as cause. */
  interface Attempt {
    void run() throws Exception;
  }

  private Responders() {
  }

  static void await(String path, Attempt attempt) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        attempt.run();
        return;
      } catch (ExecutionException e) {
        boolean noResponders = e.getCause() instanceof ReplyException re
            && re.failureCode() == BridgeFailure.NO_RESPONDERS.code();
        if (!noResponders || System.nanoTime() > deadline) {
          throw new IllegalStateException(path + " does not answer: " + e.getCause(), e.getCause());
        }
        Thread.sleep(20);
      }
    }
  }
}
