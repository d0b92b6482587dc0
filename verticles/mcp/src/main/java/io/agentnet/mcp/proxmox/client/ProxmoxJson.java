package io.agentnet.mcp.proxmox.client;

/** Reading PVE's loose JSON: booleans sent as 0/1 (or "0"/"1"), numbers sometimes sent as strings. */
public final class ProxmoxJson {

  private ProxmoxJson() {
  }

  /** 1, "1", true -> true; 0, "0", false, null -> false. */
  public static boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.longValue() != 0;
    }
    if (value instanceof String s) {
      return s.equals("1") || s.equalsIgnoreCase("true");
    }
    return false;
  }

  /** A number or numeric string as a long, or {@code fallback}. */
  public static long number(Object value, long fallback) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }
}
