package io.agentnet.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's settings. Each one can be given as a program argument {@code --name=value} or as a
 * system property {@code -Dbench.name=value}; an argument wins over a property. Defaults are sized
 * so that a whole run takes well under a minute on a 2-core machine.
 */
record BenchConfig(int requests, int warmupRequests, int rounds, int messages, int warmupMessages,
                   int publishRounds, int payloadBytes, Format format, int batch, int window, int eventLoops,
                   int requestTimeoutMs, int maxSeconds) {

  /** How bodies travel on the event bus in the bridged runs. */
  enum Format {
    /** {@code Buffer} bodies, {@code PayloadFormat.BINARY}: the same bytes as the raw runs, no JSON work anywhere. */
    BINARY,
    /** {@code JsonObject} bodies, {@code PayloadFormat.JSON}: the bridge encodes and decodes JSON, raw runs do not. */
    JSON
  }

  static final String USAGE = """
      usage: java -jar agentnet-bench.jar [--name=value ...]   (or -Dbench.name=value)
        --requests=N            measured request/reply round trips, sequential   (default 20000)
        --warmup-requests=N     uncounted round trips before measuring, per path (default 5000)
        --rounds=R              measured requests run in R alternating raw/bridge rounds (default 4)
        --messages=M            measured published messages                      (default 500000)
        --warmup-messages=M     uncounted published messages per path, in 2 alternating rounds (default 600000)
        --publish-rounds=P      publish runs per path, alternating; the median counts (default 5)
        --payload=BYTES         payload size of requests, replies and messages   (default 128)
        --format=binary|json    event bus bodies in the bridged runs             (default binary)
        --batch=K               bus publishes per event loop turn                (default 1000)
        --window=W              paced bridged publish: at most W messages on the bus not yet handed
                                to NATS by the bridge; 0 = unpaced run only      (default 5000)
        --event-loops=L         event loops per Vert.x instance, 0 = Vert.x default (2 x CPUs)  (default 0)
        --request-timeout-ms=T  timeout of one request                           (default 5000)
        --max-seconds=S         abort (exit 1) if the run takes longer           (default 180)
      """;

  static BenchConfig parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help")) {
        throw new UsageException(null);
      }
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new UsageException("not a --name=value argument: " + arg);
      }
      int eq = arg.indexOf('=');
      given.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    Reader r = new Reader(given);
    BenchConfig c = new BenchConfig(
        r.integer("requests", 20_000, 1),
        r.integer("warmup-requests", 5_000, 0),
        r.integer("rounds", 4, 1),
        r.integer("messages", 500_000, 1),
        r.integer("warmup-messages", 600_000, 0),
        r.integer("publish-rounds", 5, 1),
        r.integer("payload", 128, 0),
        r.format("format", Format.BINARY),
        r.integer("batch", 1_000, 1),
        r.integer("window", 5_000, 0),
        r.integer("event-loops", 0, 0),
        r.integer("request-timeout-ms", 5_000, 1),
        r.integer("max-seconds", 180, 10));
    if (!given.isEmpty()) {
      throw new UsageException("unknown argument(s): " + given.keySet());
    }
    if (c.window > 0 && c.window < c.batch) {
      throw new UsageException("window (" + c.window + ") must be 0 or at least batch (" + c.batch + ")");
    }
    if (c.rounds > c.requests) {
      throw new UsageException("rounds (" + c.rounds + ") cannot exceed requests (" + c.requests + ")");
    }
    if (c.format == Format.JSON && c.payloadBytes < JSON_OVERHEAD) {
      throw new UsageException("--format=json needs --payload of at least " + JSON_OVERHEAD + " bytes");
    }
    return c;
  }

  /** Bytes of {@code {"d":""}}, the JSON envelope around the padding in JSON mode. */
  static final int JSON_OVERHEAD = 8;

  String describe() {
    return String.format(Locale.ROOT, "requests=%d in %d alternating round(s) (warm-up %d per path), messages=%d "
            + "per run in %d alternating round(s) (warm-up %d per path), payload=%d B, format=%s, batch=%d, window=%s, "
            + "event loops=%s, request timeout=%d ms, max run=%d s", requests, rounds, warmupRequests, messages,
        publishRounds, warmupMessages, payloadBytes, format.name().toLowerCase(Locale.ROOT), batch,
        window == 0 ? "off" : window, eventLoops == 0 ? "Vert.x default" : eventLoops, requestTimeoutMs, maxSeconds);
  }

  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Takes each setting from the arguments (removing it, so leftovers are reported) or the system properties. */
  private static final class Reader {
    private final Map<String, String> args;

    Reader(Map<String, String> args) {
      this.args = args;
    }

    private String raw(String name) {
      String v = args.remove(name);
      return v != null ? v : System.getProperty("bench." + name);
    }

    int integer(String name, int def, int min) {
      String v = raw(name);
      if (v == null || v.isBlank()) {
        return def;
      }
      int n;
      try {
        n = Integer.parseInt(v.trim().replace("_", ""));
      } catch (NumberFormatException e) {
        throw new UsageException(name + " must be an integer: " + v);
      }
      if (n < min) {
        throw new UsageException(name + " must be at least " + min + ": " + v);
      }
      return n;
    }

    Format format(String name, Format def) {
      String v = raw(name);
      if (v == null || v.isBlank()) {
        return def;
      }
      try {
        return Format.valueOf(v.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException(name + " must be binary or json: " + v);
      }
    }
  }
}
