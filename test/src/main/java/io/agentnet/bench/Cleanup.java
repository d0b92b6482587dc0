package io.agentnet.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What a benchmark started, to stop at the end: steps run in the reverse order of their registration (a verticle
 * before its Vert.x, a client before its server); a failing step is printed and the others still run.
 */
final class Cleanup implements AutoCloseable {

  /** One thing to stop. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private final List<Step> steps = new ArrayList<>();

  void add(Step step) {
    steps.add(step);
  }

  @Override
  public void close() {
    for (int i = steps.size() - 1; i >= 0; i--) {
      try {
        steps.get(i).run();
      } catch (Exception | Error e) {
        System.err.println("clean-up: " + e);
      }
    }
    steps.clear();
  }
}
