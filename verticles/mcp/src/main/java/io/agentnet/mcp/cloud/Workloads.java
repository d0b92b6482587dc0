package io.agentnet.mcp.cloud;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Container workloads on a cluster (Kubernetes): namespaces, deployments and their pods. Methods
 * block; failures a person can act on are {@link io.agentnet.runtime.mcp.ToolException}s.
 * Listings come back as JSON objects in the project's snake_case shape.
 */
public interface Workloads extends AutoCloseable {

  /** The namespace used when a call names none. */
  String defaultNamespace();

  List<JsonObject> listNamespaces();

  List<JsonObject> listDeployments(String namespace);

  /** Creates a deployment; returns it as {@link #listDeployments} shows it. */
  JsonObject createDeployment(DeploymentSpec spec);

  /** Sets the desired replicas; returns the deployment as {@link #listDeployments} shows it. */
  JsonObject scaleDeployment(String namespace, String name, int replicas);

  void deleteDeployment(String namespace, String name);

  /** Pods of a namespace, only those matching {@code labelSelector} (kubectl syntax) when given. */
  List<JsonObject> listPods(String namespace, String labelSelector);

  /** The last {@code tailLines} lines of a container's log (null container: the pod's only one). */
  String podLogs(String namespace, String pod, String container, int tailLines);

  /**
   * Where a deployment stands against its desired replicas, or null when it does not exist. A
   * {@link io.agentnet.runtime.mcp.ToolException} means it can never be known (forbidden); any other
   * exception a passing failure worth retrying.
   */
  Rollout rollout(String namespace, String name);

  @Override
  default void close() {
  }

  /** What create_deployment asks for: one container, its image and optionally a port. */
  record DeploymentSpec(String namespace, String name, String image, int replicas, Map<String, String> labels,
                        Integer containerPort) {
  }

  /**
   * A deployment's progress: {@code desired} replicas in the spec, {@code ready} ones reported,
   * {@code total} pods still there, and whether the controller has seen the latest spec.
   */
  record Rollout(int desired, int ready, int total, boolean observed) {

    /** Done when the controller has seen the spec and exactly the desired pods are there and ready. */
    public boolean complete() {
      return observed && ready == desired && total == desired;
    }
  }
}
