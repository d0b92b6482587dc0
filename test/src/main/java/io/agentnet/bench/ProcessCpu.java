package io.agentnet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time from Linux's /proc, for {@link DashboardBenchmark}: the whole machine's busy time and that
 * of this JVM and each process it started, grouped (chromium with its driver and helpers, the
 * dashboard JVM, nats-server). Figures are clock ticks (USER_HZ, 100 a second on Linux); where /proc
 * cannot be read a group is simply missing, and the benchmark prints "-".
 */
final class ProcessCpu {

  static final double TICKS_PER_SECOND = 100.0;
  static final String MACHINE = "machine (all cores)";
  static final String CHROMIUM = "chromium (all processes)";
  static final String DASHBOARD = "dashboard JVM";
  static final String NATS = "nats-server";
  static final String SELF = "benchmark JVM (generator)";

  private ProcessCpu() {
  }

  /** Ticks so far per group. */
  static Map<String, Long> sample() {
    Map<String, Long> out = new LinkedHashMap<>();
    Long machine = machineBusy();
    if (machine != null) {
      out.put(MACHINE, machine);
    }
    add(out, SELF, ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(p -> {
      String cmd = commandLine(p.pid());
      if (cmd.contains("chrom")) {
        add(out, CHROMIUM, p.pid());
      } else if (cmd.contains("agentnet-dashboard")) {
        add(out, DASHBOARD, p.pid());
      } else if (cmd.contains("nats-server")) {
        add(out, NATS, p.pid());
      }
    });
    return out;
  }

  /** Percent of one core per group between two samples {@code seconds} apart. */
  static Map<String, Double> percent(Map<String, Long> before, Map<String, Long> after, double seconds) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String group : new String[] {MACHINE, CHROMIUM, DASHBOARD, NATS, SELF}) {
      if (before.containsKey(group) && after.containsKey(group)) {
        out.put(group, 100.0 * (after.get(group) - before.get(group)) / TICKS_PER_SECOND / seconds);
      }
    }
    return out;
  }

  /** A process that exits between two samples takes its ticks with it; good enough for long-lived ones. */
  private static void add(Map<String, Long> out, String group, long pid) {
    Long ticks = processTicks(pid);
    if (ticks != null) {
      out.merge(group, ticks, Long::sum);
    }
  }

  private static Long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Long machineBusy() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // all but idle and iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
