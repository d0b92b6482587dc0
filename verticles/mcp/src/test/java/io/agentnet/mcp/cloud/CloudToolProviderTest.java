package io.agentnet.mcp.cloud;

import io.agentnet.mcp.cloud.kubernetes.KubernetesWorkloads;
import io.agentnet.mcp.cloud.local.LocalObjectStorage;
import io.agentnet.runtime.mcp.Tool;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CloudToolProviderTest {

  private static final List<String> STORAGE_TOOLS = List.of("list_buckets", "create_bucket", "delete_bucket",
      "list_objects", "get_object", "put_object", "delete_object", "presign_url");
  private static final List<String> KUBERNETES_TOOLS = List.of("list_namespaces", "list_deployments",
      "create_deployment", "scale_deployment", "delete_deployment", "list_pods", "get_pod_logs");
  private static final Set<String> READ_ONLY = Set.of("list_buckets", "list_objects", "get_object", "presign_url",
      "get_operation", "list_namespaces", "list_deployments", "list_pods", "get_pod_logs");

  @TempDir
  Path temp;

  @Test
  void withoutAClusterOnlyStorageToolsAreOffered() {
    CloudToolProvider provider = CloudToolProvider.create(CloudOptions.local(temp.resolve("objects")));
    try {
      assertThat(provider.serverName()).isEqualTo("cloud");
      assertThat(provider.tools().stream().map(Tool::name))
          .containsExactlyElementsOf(concat(STORAGE_TOOLS, List.of("get_operation")));
      assertThat(provider.instructions()).contains("local provider")
          .contains("Kubernetes tools are not offered: disabled by configuration")
          .contains("poll get_operation");
      // Works with nothing installed: the default local store is usable at once.
      new ToolCaller(provider).ok("create_bucket", new JsonObject().put("bucket", "first"));
      assertThat(temp.resolve("objects").resolve("first")).isDirectory();
    } finally {
      provider.close();
    }
  }

  @Test
  void withAClusterEveryToolIsOfferedWithSoundMetadata() {
    var client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withNamespace("lab").build()).build();
    CloudToolProvider provider = new CloudToolProvider(new LocalObjectStorage(temp), new KubernetesWorkloads(client, "lab"),
        null, CloudOptions.local(temp), new OperationTracker(10));
    try {
      assertThat(provider.tools().stream().map(Tool::name))
          .containsExactlyElementsOf(concat(concat(STORAGE_TOOLS, KUBERNETES_TOOLS), List.of("get_operation")));
      assertThat(provider.instructions()).contains("default namespace lab").doesNotContain("not offered");
      for (Tool tool : provider.tools()) {
        JsonObject json = tool.toJson();
        assertThat(tool.description()).as(tool.name()).isNotBlank().endsWith(".");
        assertThat(json.getString("title")).as(tool.name()).isNotBlank();
        assertThat(tool.blockingHandler()).as(tool.name() + " blocks: it must run on a worker").isNotNull();
        assertThat(tool.outputSchema()).as(tool.name()).isNotNull();
        assertThat(tool.annotations().readOnlyHint()).as(tool.name()).isEqualTo(READ_ONLY.contains(tool.name()));
        // Both schemas compile (a broken one would fail every call).
        ToolCaller.validator(tool.inputSchema());
        ToolCaller.validator(tool.outputSchema());
      }
    } finally {
      provider.close();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
