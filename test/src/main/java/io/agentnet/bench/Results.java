package io.agentnet.bench;

import org.HdrHistogram.Histogram;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What one measured phase produced. */
final class Results {

  /** Longest round trip a histogram can hold; requests time out long before. */
  static final long MAX_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private Results() {
  }

  static Histogram newHistogram() {
    return new Histogram(MAX_TRACKABLE_NANOS, 3);
  }

  static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(1, Math.min(nanos, MAX_TRACKABLE_NANOS)));
  }

  /** Sequential round trips: latency distribution (nanoseconds) and the wall time they took together. */
  record Latency(Histogram histogram, long elapsedNanos) {

    long count() {
      return histogram.getTotalCount();
    }

    double micros(double percentile) {
      return histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    double meanMicros() {
      return histogram.getMean() / 1_000.0;
    }

    double maxMicros() {
      return histogram.getMaxValue() / 1_000.0;
    }

    double perSecond() {
      return count() * 1e9 / elapsedNanos;
    }

    /** This and {@code other} together: one distribution, their wall times added. */
    Latency plus(Latency other) {
      Histogram sum = histogram.copy();
      sum.add(other.histogram);
      return new Latency(sum, elapsedNanos + other.elapsedNanos);
    }
  }

  /**
   * A publish run: {@code messages} received by the counting subscriber, {@code elapsedNanos} from the
   * first publish to the last message received, {@code sendNanos} from the first publish until the
   * publisher had handed over its last message (to jnats, or to the event bus).
   */
  record Throughput(long messages, int payloadBytes, long elapsedNanos, long sendNanos) {

    double perSecond() {
      return messages * 1e9 / elapsedNanos;
    }

    double payloadMegabytesPerSecond() {
      return perSecond() * payloadBytes / 1e6;
    }
  }

  /** The runs of one publish path; its figure is the median run (by msgs/s), so one odd run does not decide. */
  record Series(List<Throughput> runs) {

    Series {
      runs = List.copyOf(runs);
      if (runs.isEmpty()) {
        throw new IllegalArgumentException("no runs");
      }
    }

    private List<Throughput> sorted() {
      return runs.stream().sorted(Comparator.comparingDouble(Throughput::perSecond)).toList();
    }

    /** The median run; with an even count the lower of the two middle ones. */
    Throughput median() {
      List<Throughput> s = sorted();
      return s.get((s.size() - 1) / 2);
    }

    double minPerSecond() {
      return sorted().get(0).perSecond();
    }

    double maxPerSecond() {
      return sorted().get(runs.size() - 1).perSecond();
    }
  }
}
