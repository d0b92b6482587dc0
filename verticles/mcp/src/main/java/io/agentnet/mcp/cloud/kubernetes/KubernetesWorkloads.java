package io.agentnet.mcp.cloud.kubernetes;

import io.agentnet.mcp.cloud.Workloads;
import io.agentnet.runtime.mcp.ToolException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link Workloads} on a Kubernetes API server through the fabric8 client (JDK HTTP client).
 * API errors become {@link ToolException}s with the API server's own short message.
 */
public final class KubernetesWorkloads implements Workloads {

  private final KubernetesClient client;
  private final String defaultNamespace;

  public KubernetesWorkloads(KubernetesClient client, String defaultNamespace) {
    this.client = client;
    this.defaultNamespace = defaultNamespace;
  }

  @Override
  public String defaultNamespace() {
    return defaultNamespace;
  }

  @Override
  public List<JsonObject> listNamespaces() {
    return call("list namespaces", () -> client.namespaces().list().getItems().stream()
        .map(KubernetesWorkloads::namespaceJson).toList());
  }

  @Override
  public List<JsonObject> listDeployments(String namespace) {
    return call("list deployments in " + namespace, () -> client.apps().deployments().inNamespace(namespace)
        .list().getItems().stream().map(KubernetesWorkloads::deploymentJson).toList());
  }

  @Override
  public JsonObject createDeployment(DeploymentSpec spec) {
    var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName(spec.name()).withImage(spec.image());
    if (spec.containerPort() != null) {
      container.addNewPort().withContainerPort(spec.containerPort()).endPort();
    }
    Deployment deployment = new DeploymentBuilder()
        .withNewMetadata().withName(spec.name()).withNamespace(spec.namespace()).withLabels(spec.labels()).endMetadata()
        .withNewSpec()
          .withReplicas(spec.replicas())
          .withNewSelector().withMatchLabels(spec.labels()).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(spec.labels()).endMetadata()
            .withNewSpec().withContainers(container.build()).endSpec()
          .endTemplate()
        .endSpec()
        .build();
    String what = "deployment " + spec.namespace() + "/" + spec.name();
    try {
      return deploymentJson(client.apps().deployments().inNamespace(spec.namespace()).resource(deployment).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new ToolException(what + " already exists: scale or delete it instead");
      }
      if (e.getCode() == 404) {
        throw new ToolException("namespace " + spec.namespace() + " does not exist");
      }
      throw translate("create " + what, e);
    }
  }

  @Override
  public JsonObject scaleDeployment(String namespace, String name, int replicas) {
    String what = "deployment " + namespace + "/" + name;
    return call("scale " + what, () -> {
      var resource = client.apps().deployments().inNamespace(namespace).withName(name);
      if (resource.get() == null) {
        throw new ToolException(what + " does not exist");
      }
      // An edit of spec.replicas (a patch) rather than the scale subresource: same effect, fewer permissions to explain.
      return deploymentJson(resource.edit(d -> {
        d.getSpec().setReplicas(replicas);
        return d;
      }));
    });
  }

  @Override
  public void deleteDeployment(String namespace, String name) {
    String what = "deployment " + namespace + "/" + name;
    call("delete " + what, () -> {
      if (client.apps().deployments().inNamespace(namespace).withName(name).delete().isEmpty()) {
        throw new ToolException(what + " does not exist");
      }
      return null;
    });
  }

  @Override
  public List<JsonObject> listPods(String namespace, String labelSelector) {
    return call("list pods in " + namespace, () -> {
      var pods = client.pods().inNamespace(namespace);
      var list = labelSelector == null ? pods.list() : pods.withLabelSelector(labelSelector).list();
      return list.getItems().stream().map(KubernetesWorkloads::podJson).toList();
    });
  }

  @Override
  public String podLogs(String namespace, String pod, String container, int tailLines) {
    String what = "pod " + namespace + "/" + pod;
    try {
      PodResource podResource = client.pods().inNamespace(namespace).withName(pod);
      ContainerResource source = container == null ? podResource : podResource.inContainer(container);
      return source.tailingLines(tailLines).getLog();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new ToolException(what + " does not exist");
      }
      throw translate("read the log of " + what + (container == null ? "" : " container " + container), e);
    }
  }

  @Override
  public Rollout rollout(String namespace, String name) {
    Deployment d;
    try {
      d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0 || e.getCode() >= 500) {
        // Unreachable or failing for now: not a ToolException, so a running operation keeps waiting.
        throw new IllegalStateException("API server unavailable (" + (e.getCode() > 0 ? "HTTP " + e.getCode()
            : rootCauseName(e)) + ")", e);
      }
      throw translate("read deployment " + namespace + "/" + name, e);
    }
    if (d == null) {
      return null;
    }
    int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    DeploymentStatus status = d.getStatus();
    int ready = status == null ? 0 : orZero(status.getReadyReplicas());
    int total = status == null ? 0 : orZero(status.getReplicas());
    Long generation = d.getMetadata().getGeneration();
    Long observedGeneration = status == null ? null : status.getObservedGeneration();
    // Until the controller has seen the latest spec, the counts describe the previous one.
    boolean observed = generation == null || (observedGeneration != null && observedGeneration >= generation);
    return new Rollout(desired, ready, total, observed);
  }

  @Override
  public void close() {
    client.close();
  }

  private static <T> T call(String action, Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw translate(action, e);
    }
  }

  static ToolException translate(String action, KubernetesClientException e) {
    String serverMessage = e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage() : null;
    String detail = serverMessage != null ? serverMessage : e.getCode() > 0 ? "HTTP " + e.getCode()
        : "the API server cannot be reached (" + rootCauseName(e) + ")";
    return switch (e.getCode()) {
      case 401 -> new ToolException("cannot " + action + ": the cluster rejected the credentials (401); check the kubeconfig");
      case 403 -> new ToolException("cannot " + action + ": forbidden for this account (" + detail + ")");
      case 404 -> new ToolException("cannot " + action + ": not found (" + detail + ")");
      case 409 -> new ToolException("cannot " + action + ": conflict (" + detail + "); try again");
      case 422, 400 -> new ToolException("cannot " + action + ": rejected as invalid (" + detail + ")");
      default -> new ToolException("cannot " + action + ": " + detail);
    };
  }

  private static String rootCauseName(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? "no response" : root.getClass().getSimpleName();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static JsonObject meta(ObjectMeta meta, JsonObject json) {
    json.put("name", meta.getName());
    if (meta.getNamespace() != null) {
      json.put("namespace", meta.getNamespace());
    }
    json.put("labels", labels(meta.getLabels()));
    if (meta.getCreationTimestamp() != null) {
      json.put("created_at", meta.getCreationTimestamp());
    }
    return json;
  }

  private static JsonObject labels(Map<String, String> labels) {
    JsonObject json = new JsonObject();
    if (labels != null) {
      labels.forEach(json::put);
    }
    return json;
  }

  static JsonObject namespaceJson(Namespace ns) {
    JsonObject json = meta(ns.getMetadata(), new JsonObject());
    if (ns.getStatus() != null && ns.getStatus().getPhase() != null) {
      json.put("phase", ns.getStatus().getPhase());
    }
    return json;
  }

  static JsonObject deploymentJson(Deployment d) {
    JsonObject json = meta(d.getMetadata(), new JsonObject());
    JsonArray images = new JsonArray();
    if (d.getSpec() != null && d.getSpec().getTemplate() != null && d.getSpec().getTemplate().getSpec() != null) {
      d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> images.add(c.getImage()));
    }
    json.put("images", images);
    json.put("replicas", d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas());
    DeploymentStatus status = d.getStatus();
    json.put("ready_replicas", status == null ? 0 : orZero(status.getReadyReplicas()));
    json.put("available_replicas", status == null ? 0 : orZero(status.getAvailableReplicas()));
    json.put("updated_replicas", status == null ? 0 : orZero(status.getUpdatedReplicas()));
    return json;
  }

  static JsonObject podJson(Pod pod) {
    JsonObject json = meta(pod.getMetadata(), new JsonObject());
    JsonArray containers = new JsonArray();
    if (pod.getSpec() != null) {
      pod.getSpec().getContainers().forEach(c -> containers.add(new JsonObject().put("name", c.getName())
          .put("image", c.getImage())));
      if (pod.getSpec().getNodeName() != null) {
        json.put("node", pod.getSpec().getNodeName());
      }
    }
    json.put("containers", containers);
    int restarts = 0;
    boolean ready = false;
    if (pod.getStatus() != null) {
      if (pod.getStatus().getPhase() != null) {
        json.put("phase", pod.getStatus().getPhase());
      }
      if (pod.getStatus().getPodIP() != null) {
        json.put("pod_ip", pod.getStatus().getPodIP());
      }
      List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
      if (statuses != null && !statuses.isEmpty()) {
        ready = statuses.stream().allMatch(s -> Boolean.TRUE.equals(s.getReady()));
        restarts = statuses.stream().mapToInt(s -> orZero(s.getRestartCount())).sum();
      }
    }
    json.put("ready", ready).put("restarts", restarts);
    return json;
  }
}
