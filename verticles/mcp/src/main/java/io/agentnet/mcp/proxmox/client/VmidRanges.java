package io.agentnet.mcp.proxmox.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A set of VM ids written as single ids and inclusive ranges ({@code "100-199"}, {@code "205"}).
 * Empty means every id.
 */
public final class VmidRanges {

  private record Range(long from, long to) {
    @Override
    public String toString() {
      return from == to ? Long.toString(from) : from + "-" + to;
    }
  }

  private final List<Range> ranges;

  private VmidRanges(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** Every VM id. */
  public static VmidRanges all() {
    return new VmidRanges(List.of());
  }

  /** Parses entries like "100", "100-199"; each entry may itself be a comma-separated list. */
  public static VmidRanges parse(Collection<String> entries) {
    List<Range> out = new ArrayList<>();
    for (String entry : entries) {
      for (String part : entry.split(",")) {
        String item = part.trim();
        if (item.isEmpty()) {
          continue;
        }
        out.add(parseOne(item));
      }
    }
    return new VmidRanges(out);
  }

  public static VmidRanges parse(String commaSeparated) {
    return parse(commaSeparated == null ? List.of() : List.of(commaSeparated));
  }

  private static Range parseOne(String item) {
    int dash = item.indexOf('-', 1);
    try {
      if (dash < 0) {
        long id = Long.parseLong(item);
        return checked(item, id, id);
      }
      return checked(item, Long.parseLong(item.substring(0, dash).trim()), Long.parseLong(item.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("VM id range \"" + item + "\" is not an id (100) or a range (100-199)");
    }
  }

  private static Range checked(String item, long from, long to) {
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("VM id range \"" + item + "\" must be positive and low-high");
    }
    return new Range(from, to);
  }

  public boolean isAll() {
    return ranges.isEmpty();
  }

  public boolean contains(long vmid) {
    if (ranges.isEmpty()) {
      return true;
    }
    for (Range r : ranges) {
      if (vmid >= r.from && vmid <= r.to) {
        return true;
      }
    }
    return false;
  }

  /** The entries as written back ("100-199", "205"). */
  public List<String> entries() {
    return ranges.stream().map(Range::toString).toList();
  }

  @Override
  public String toString() {
    return ranges.isEmpty() ? "all" : String.join(",", entries());
  }
}
