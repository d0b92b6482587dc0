package io.agentnet.mcp.proxmox.client;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed Proxmox API call: the HTTP status (0 when the server could not be reached), PVE's own
 * message, the per-parameter {@code errors} of a 400, and for a 403 the ACL path and privilege PVE
 * named. {@link #getMessage()} is written for a person and never contains a secret.
 */
public class ProxmoxException extends RuntimeException {

  private static final Pattern PERMISSION = Pattern.compile("\\((/[^,)]*)(?:,\\s*([^)]*))?\\)");

  private final int status;
  private final String pveMessage;
  private final Map<String, String> errors;

  public ProxmoxException(int status, String pveMessage, Map<String, String> errors, String message) {
    super(message, null, false, false);
    this.status = status;
    this.pveMessage = pveMessage;
    this.errors = errors == null ? Map.of() : Map.copyOf(new TreeMap<>(errors));
  }

  /** The server could not be reached or the TLS handshake failed. */
  public static ProxmoxException unreachable(String message) {
    return new ProxmoxException(0, null, null, message);
  }

  /** Builds the error for an HTTP error response from its status, PVE's message and errors map. */
  public static ProxmoxException fromResponse(int status, String method, String path, String pveMessage,
                                              Map<String, String> errors, boolean tokenAuth) {
    String pve = pveMessage == null || pveMessage.isBlank() ? null : pveMessage.strip();
    String what = method + " " + path;
    String message;
    if (status == 400) {
      StringBuilder sb = new StringBuilder("Proxmox rejected " + what + " (400 "
          + (pve == null ? "Parameter verification failed." : pve) + ")");
      if (errors != null && !errors.isEmpty()) {
        sb.append(":");
        new TreeMap<>(errors).forEach((k, v) -> sb.append(' ').append(k).append(": ").append(v.strip()).append(';'));
        sb.setLength(sb.length() - 1);
      }
      message = sb.toString();
    } else if (status == 401) {
      message = "Proxmox authentication failed (401" + (pve == null ? "" : " " + pve) + "): "
          + (tokenAuth
          ? "check PROXMOX_USER, PROXMOX_TOKEN_NAME and PROXMOX_TOKEN_VALUE (the token may be wrong, expired or deleted)"
          : "check PROXMOX_USER and PROXMOX_PASSWORD");
    } else if (status == 403) {
      String detail = pve == null ? "permission denied" : pve;
      Matcher m = pve == null ? null : PERMISSION.matcher(pve);
      if (m != null && m.find()) {
        String privilege = m.group(2);
        detail += " - grant " + (privilege == null ? "the needed privilege" : privilege) + " on " + m.group(1)
            + " to the " + (tokenAuth ? "API token (and its user, unless privilege separation is off)" : "user");
      }
      message = "Proxmox denied " + what + " (403): " + detail;
    } else {
      message = "Proxmox " + what + " failed (" + status + "): " + (pve == null ? "no error message given" : pve);
    }
    return new ProxmoxException(status, pve, errors, message);
  }

  /** The HTTP status, or 0 when no response came. */
  public int status() {
    return status;
  }

  /** PVE's own message (the HTTP reason text), or null. */
  public String pveMessage() {
    return pveMessage;
  }

  /** For a 400: what was wrong with each parameter. */
  public Map<String, String> errors() {
    return errors;
  }

  /** For a 403: the ACL path PVE named (e.g. /vms/100), or null. */
  public String permissionPath() {
    if (status != 403 || pveMessage == null) {
      return null;
    }
    Matcher m = PERMISSION.matcher(pveMessage);
    return m.find() ? m.group(1) : null;
  }
}
