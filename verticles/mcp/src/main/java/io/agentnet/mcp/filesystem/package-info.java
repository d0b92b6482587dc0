/**
 * The {@code filesystem} MCP server: the reference filesystem server's tools over a sandbox of
 * allowed directories ({@link io.agentnet.mcp.filesystem.FilesystemToolProvider}, configured by
 * {@link io.agentnet.mcp.filesystem.FilesystemOptions}, guarded by
 * {@link io.agentnet.mcp.filesystem.Sandbox}).
 */
package io.agentnet.mcp.filesystem;
