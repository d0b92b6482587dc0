package io.agentnet.agents.specialist;

/** Reading PVE's numbers, which arrive as JSON numbers or numeric strings, and rounding for output. */
final class Numbers {

  private Numbers() {
  }

  static long integer(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String s && !s.isBlank()) {
      try {
        return (long) Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static double decimal(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s && !s.isBlank()) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** One decimal, for percentages people read. */
  static double round1(double value) {
    return Math.round(value * 10.0) / 10.0;
  }

  static long mib(long bytes) {
    return bytes / (1024L * 1024);
  }

  static long gib(long bytes) {
    return bytes / (1024L * 1024 * 1024);
  }

  /** "93.8" or "90" (no ".0"), for messages. */
  static String pct(double value) {
    double r = round1(value);
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }
}
