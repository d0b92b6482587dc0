package io.agentnet.mcp.proxmox;

import io.agentnet.mcp.proxmox.client.ProxmoxJson;
import io.agentnet.mcp.proxmox.client.VmidRanges;
import io.agentnet.runtime.mcp.ToolException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Which nodes and VM ids the tools may touch (PROXMOX_ALLOWED_NODES, PROXMOX_ALLOWED_VMIDS; empty
 * means all). Checked before any call that acts on a node or VM; listings are filtered.
 */
public final class AccessPolicy {

  private final Set<String> nodes;
  private final VmidRanges vmids;

  public AccessPolicy(Set<String> nodes, VmidRanges vmids) {
    this.nodes = Set.copyOf(nodes);
    this.vmids = vmids;
  }

  public boolean nodeAllowed(String node) {
    return nodes.isEmpty() || nodes.contains(node);
  }

  public boolean vmidAllowed(long vmid) {
    return vmids.contains(vmid);
  }

  /** Refuses a node outside the allow-list. */
  public void checkNode(String node) {
    if (!nodeAllowed(node)) {
      throw new ToolException("node " + node + " is not allowed here (allowed nodes: " + String.join(", ",
          nodes.stream().sorted().toList()) + "; set by PROXMOX_ALLOWED_NODES)");
    }
  }

  /** Refuses a VM id outside the allow-list. */
  public void checkVmid(long vmid) {
    if (!vmidAllowed(vmid)) {
      throw new ToolException("VM " + vmid + " is not allowed here (allowed VM ids: " + vmids
          + "; set by PROXMOX_ALLOWED_VMIDS)");
    }
  }

  /**
   * Keeps the entries of a PVE listing that are allowed: those whose {@code node} (when present)
   * and {@code vmid} (when present) pass.
   */
  public JsonArray filter(JsonArray entries) {
    JsonArray out = new JsonArray();
    for (Object entry : entries) {
      if (entry instanceof JsonObject json && allowed(json)) {
        out.add(json);
      }
    }
    return out;
  }

  private boolean allowed(JsonObject json) {
    String node = json.getString("node");
    if (node != null && !nodeAllowed(node)) {
      return false;
    }
    Object vmid = json.getValue("vmid");
    return vmid == null || vmidAllowed(ProxmoxJson.number(vmid, -1));
  }
}
