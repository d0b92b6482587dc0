/**
 * The MCP servers: {@code filesystem} (a sandboxed workspace), {@code proxmox} (the Proxmox VE REST
 * API, with a simulator of it) and {@code cloud} (object storage and Kubernetes workloads). Each is
 * a {@link io.agentnet.runtime.mcp.ToolProvider}; the protocol and transports are in the runtime.
 */
package io.agentnet.mcp;
