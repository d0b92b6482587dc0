package io.agentnet.mcp;

import io.agentnet.mcp.cloud.CloudOptions;
import io.agentnet.mcp.cloud.CloudToolProvider;
import io.agentnet.mcp.filesystem.FilesystemOptions;
import io.agentnet.mcp.filesystem.FilesystemToolProvider;
import io.agentnet.mcp.proxmox.ProxmoxToolProvider;
import io.agentnet.mcp.proxmox.simulator.ProxmoxSimulator;
import io.agentnet.mcp.proxmox.simulator.SimulatorOptions;
import io.agentnet.runtime.mcp.McpServerOptions;
import io.agentnet.runtime.mcp.McpServerVerticle;
import io.agentnet.runtime.mcp.ToolProvider;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each MCP server driven over Streamable HTTP by the official MCP Java SDK client, as any MCP
 * client would: initialize, list tools, call tools, read a tool error, get a protocol error.
 */
class McpSdkInteropTest {

  @TempDir
  static Path workspace;
  @TempDir
  static Path objects;
  private static Vertx vertx;
  private static ProxmoxSimulator simulator;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    simulator = ProxmoxSimulator.start(vertx, new SimulatorOptions()).await(10, TimeUnit.SECONDS);
    Files.writeString(workspace.resolve("notes.txt"), "one\ntwo\nthree\n");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static McpSyncClient connect(ToolProvider provider) throws Exception {
    McpServerVerticle server = new McpServerVerticle(provider, new McpServerOptions().setHttpPort(0).setValidateOutput(true),
        "mcp-" + provider.serverName() + "-interop", Duration.ofSeconds(30));
    vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + server.httpPort()).endpoint("/mcp").build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    McpSchema.InitializeResult init = client.initialize();
    assertThat(init.serverInfo().name()).isEqualTo("agentnet-mcp-" + provider.serverName());
    assertThat(init.capabilities().tools()).isNotNull();
    return client;
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private static List<String> toolNames(McpSyncClient client) {
    return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
  }

  @Test
  void filesystem() throws Exception {
    McpSyncClient client = connect(new FilesystemToolProvider(FilesystemOptions.ofRoots(List.of(workspace.toString()))));
    try {
      assertThat(toolNames(client)).contains("read_text_file", "read_media_file", "read_multiple_files", "write_file",
          "edit_file", "create_directory", "list_directory", "list_directory_with_sizes", "directory_tree", "move_file",
          "search_files", "get_file_info", "list_allowed_directories");
      McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read_text_file",
          Map.of("path", workspace.resolve("notes.txt").toString(), "head", 2)));
      assertThat(read.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(text(read)).isEqualTo("one\ntwo");

      McpSchema.CallToolResult outside = client.callTool(new McpSchema.CallToolRequest("read_text_file",
          Map.of("path", "/etc/passwd")));
      assertThat(outside.isError()).isTrue();
      assertThat(text(outside)).containsIgnoringCase("outside");

      McpSchema.CallToolResult wrongType = client.callTool(new McpSchema.CallToolRequest("read_text_file",
          Map.of("path", 42)));
      assertThat(wrongType.isError()).isTrue();
      assertThat(text(wrongType)).contains("argument 'path': expected string, got number");

      assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("format_disk", Map.of())))
          .isInstanceOf(McpError.class).hasMessageContaining("Unknown tool: format_disk");
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void proxmox() throws Exception {
    McpSyncClient client = connect(new ProxmoxToolProvider(simulator.clientOptions()));
    try {
      assertThat(toolNames(client)).contains("list_nodes", "get_node_status", "list_vms", "get_vm_status",
          "get_vm_config", "start_vm", "stop_vm", "shutdown_vm", "reboot_vm", "create_vm", "clone_vm", "delete_vm",
          "list_storage", "get_cluster_status", "get_cluster_resources", "next_vmid", "get_task_status",
          "wait_for_task", "execute_vm_command");
      McpSchema.CallToolResult nodes = client.callTool(new McpSchema.CallToolRequest("list_nodes", Map.of()));
      assertThat(nodes.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(nodes.structuredContent()).isNotNull();
      assertThat(text(nodes)).contains("pve1");

      McpSchema.CallToolResult unconfirmed = client.callTool(new McpSchema.CallToolRequest("delete_vm",
          Map.of("node", "pve1", "vmid", 100)));
      assertThat(unconfirmed.isError()).isTrue();
      assertThat(text(unconfirmed)).contains("confirm");
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void cloud() throws Exception {
    McpSyncClient client = connect(CloudToolProvider.create(CloudOptions.local(objects)));
    try {
      assertThat(toolNames(client)).contains("list_buckets", "create_bucket", "delete_bucket", "list_objects",
          "get_object", "put_object", "delete_object", "presign_url", "get_operation");
      McpSchema.CallToolResult created = client.callTool(new McpSchema.CallToolRequest("create_bucket",
          Map.of("bucket", "reports")));
      assertThat(created.isError()).isNotEqualTo(Boolean.TRUE);
      McpSchema.CallToolResult missing = client.callTool(new McpSchema.CallToolRequest("get_object",
          Map.of("bucket", "reports", "key", "nope.txt")));
      assertThat(missing.isError()).isTrue();
      assertThat(text(missing)).contains("nope.txt");
    } finally {
      client.closeGracefully();
    }
  }
}
