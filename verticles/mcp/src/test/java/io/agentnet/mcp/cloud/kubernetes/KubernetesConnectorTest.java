package io.agentnet.mcp.cloud.kubernetes;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.mcp.cloud.CloudOptions.KubernetesMode;
import io.agentnet.mcp.cloud.CloudOptions.KubernetesSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesConnectorTest {

  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters:
      - name: lab
        cluster:
          server: https://127.0.0.1:6443
          insecure-skip-tls-verify: true
      contexts:
      - name: dev
        context:
          cluster: lab
          user: dev-user
          namespace: team-dev
      current-context: dev
      users:
      - name: dev-user
        user:
          token: not-a-real-token
      """;

  @TempDir
  Path temp;

  private static KubernetesSettings settings(KubernetesMode mode, String kubeconfig, String namespace, boolean inCluster) {
    return new KubernetesSettings(mode, kubeconfig, null, namespace, inCluster, 300);
  }

  private Path writeKubeconfig(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, KUBECONFIG);
  }

  @Test
  void offMeansNoTools() {
    KubernetesConnector.Connection connection =
        KubernetesConnector.connect(settings(KubernetesMode.OFF, null, null, false), temp.toString());
    assertThat(connection.workloads()).isNull();
    assertThat(connection.description()).contains("disabled");
  }

  @Test
  void autoWithoutAClusterLeavesTheToolsOut() {
    KubernetesConnector.Connection connection =
        KubernetesConnector.connect(settings(KubernetesMode.AUTO, null, null, false), temp.toString());
    assertThat(connection.workloads()).isNull();
    assertThat(connection.description()).startsWith("no cluster is configured (set KUBECONFIG");
  }

  @Test
  void requiredWithoutAClusterIsAConfigError() {
    assertThatThrownBy(() -> KubernetesConnector.connect(settings(KubernetesMode.ON, null, null, false), temp.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no cluster is configured");
    assertThatThrownBy(() -> KubernetesConnector.connect(
        settings(KubernetesMode.ON, temp.resolve("missing").toString(), null, false), temp.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no such file");
  }

  @Test
  void findsTheFirstExistingKubeconfigThenHomeThenInCluster() throws IOException {
    Path second = writeKubeconfig(temp.resolve("b").resolve("config"));
    String list = temp.resolve("a").resolve("missing") + File.pathSeparator + second;
    assertThat(KubernetesConnector.find(settings(KubernetesMode.AUTO, list, null, false), null, false))
        .hasValueSatisfying(s -> assertThat(s.kubeconfig()).isEqualTo(second));

    Path home = temp.resolve("home");
    Path homeConfig = writeKubeconfig(home.resolve(".kube").resolve("config"));
    assertThat(KubernetesConnector.find(settings(KubernetesMode.AUTO, null, null, false), home, false))
        .hasValueSatisfying(s -> assertThat(s.kubeconfig()).isEqualTo(homeConfig));

    assertThat(KubernetesConnector.find(settings(KubernetesMode.AUTO, null, null, true), temp, true))
        .hasValueSatisfying(s -> assertThat(s.kubeconfig()).isNull());
    assertThat(KubernetesConnector.find(settings(KubernetesMode.AUTO, null, null, true), temp, false)).isEmpty();
  }

  @Test
  void connectsWithTheKubeconfigNamespaceUnlessOneIsConfigured() throws IOException {
    Path config = writeKubeconfig(temp.resolve("kubeconfig"));
    KubernetesConnector.Connection fromFile =
        KubernetesConnector.connect(settings(KubernetesMode.AUTO, config.toString(), null, false), null);
    try (KubernetesWorkloads workloads = fromFile.workloads()) {
      assertThat(workloads.defaultNamespace()).isEqualTo("team-dev");
      assertThat(fromFile.description()).contains("kubeconfig " + config).contains("https://127.0.0.1:6443");
    }
    KubernetesConnector.Connection overridden =
        KubernetesConnector.connect(settings(KubernetesMode.ON, config.toString(), "ops", false), null);
    try (KubernetesWorkloads workloads = overridden.workloads()) {
      assertThat(workloads.defaultNamespace()).isEqualTo("ops");
    }
  }
}
