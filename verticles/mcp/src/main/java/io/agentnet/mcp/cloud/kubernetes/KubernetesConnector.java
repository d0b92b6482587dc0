package io.agentnet.mcp.cloud.kubernetes;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.mcp.cloud.CloudOptions.KubernetesMode;
import io.agentnet.mcp.cloud.CloudOptions.KubernetesSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the cluster the Kubernetes tools talk to: an explicit kubeconfig, else the first file of
 * KUBECONFIG or ~/.kube/config, else the pod's service account when running in a cluster. In
 * {@code auto} mode finding none just leaves the tools out; {@code true} makes it an error.
 */
public final class KubernetesConnector {

  static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  /** The workloads, or null with the reason why there are none; {@code description} says which cluster. */
  public record Connection(KubernetesWorkloads workloads, String description) {
  }

  /** Where a cluster was found: a kubeconfig file, or in-cluster when {@code kubeconfig} is null. */
  record Source(Path kubeconfig, String description) {
  }

  private KubernetesConnector() {
  }

  /** Connects as the settings say; {@code home} is where ~/.kube/config is looked for. */
  public static Connection connect(KubernetesSettings settings, String home) {
    if (settings.mode() == KubernetesMode.OFF) {
      return new Connection(null, "disabled by configuration (CLOUD_KUBERNETES=false)");
    }
    Optional<Source> source = find(settings, home == null ? null : Path.of(home),
        Files.isReadable(SERVICE_ACCOUNT_TOKEN));
    if (source.isEmpty()) {
      if (settings.mode() == KubernetesMode.ON) {
        throw new ConfigException("CLOUD_KUBERNETES=true but no cluster is configured: no kubeconfig (KUBECONFIG, "
            + "~/.kube/config) and not running in a cluster");
      }
      return new Connection(null, "no cluster is configured (set KUBECONFIG or ~/.kube/config, or run in a cluster)");
    }
    Config config = config(settings, source.get());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    String namespace = config.getNamespace() != null ? config.getNamespace() : "default";
    return new Connection(new KubernetesWorkloads(client, namespace), source.get().description() + ", server "
        + config.getMasterUrl());
  }

  /** The kubeconfig or in-cluster account to use, if any (no network, only files). */
  static Optional<Source> find(KubernetesSettings settings, Path home, boolean serviceAccountPresent) {
    if (settings.kubeconfig() != null) {
      for (String candidate : settings.kubeconfig().split(File.pathSeparator)) {
        if (!candidate.isBlank() && Files.isRegularFile(Path.of(candidate.trim()))) {
          return Optional.of(new Source(Path.of(candidate.trim()), "kubeconfig " + candidate.trim()));
        }
      }
      if (settings.mode() == KubernetesMode.ON) {
        throw new ConfigException("KUBECONFIG / cloud.kubernetes.kubeconfig: no such file: "
            + Arrays.toString(settings.kubeconfig().split(File.pathSeparator)));
      }
    }
    if (home != null) {
      Path defaultConfig = home.resolve(".kube").resolve("config");
      if (Files.isRegularFile(defaultConfig)) {
        return Optional.of(new Source(defaultConfig, "kubeconfig " + defaultConfig));
      }
    }
    if (settings.inCluster() && serviceAccountPresent) {
      return Optional.of(new Source(null, "in-cluster service account"));
    }
    return Optional.empty();
  }

  private static Config config(KubernetesSettings settings, Source source) {
    Config config;
    try {
      if (source.kubeconfig() != null) {
        config = Config.fromKubeconfig(settings.context(), source.kubeconfig().toFile());
      } else {
        config = Config.autoConfigure(settings.context());
      }
    } catch (KubernetesClientException | IllegalArgumentException e) {
      throw new ConfigException("Kubernetes: cannot use " + source.description()
          + (settings.context() != null ? " (context " + settings.context() + ")" : "") + ": " + e.getMessage());
    }
    if (settings.namespace() != null) {
      config.setNamespace(settings.namespace());
    }
    return config;
  }
}
