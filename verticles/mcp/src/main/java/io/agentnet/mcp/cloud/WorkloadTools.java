package io.agentnet.mcp.cloud;

import io.agentnet.mcp.cloud.Workloads.DeploymentSpec;
import io.agentnet.mcp.cloud.Workloads.Rollout;
import io.agentnet.runtime.mcp.Schemas;
import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolAnnotations;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes tools over one {@link Workloads}. create_deployment and scale_deployment return a
 * running operation that get_operation completes once the deployment reports the desired ready
 * replicas.
 */
final class WorkloadTools {

  /** RFC 1123 label: what a deployment name must be for its pods' names to be valid too. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  static final int MAX_REPLICAS = 1000;
  static final int DEFAULT_TAIL_LINES = 100;

  private final Workloads workloads;
  private final OperationTracker tracker;
  private final Duration readyTimeout;
  private final int maxLogBytes;

  WorkloadTools(Workloads workloads, OperationTracker tracker, Duration readyTimeout, int maxLogBytes) {
    this.workloads = workloads;
    this.tracker = tracker;
    this.readyTimeout = readyTimeout;
    this.maxLogBytes = maxLogBytes;
  }

  List<Tool> tools() {
    return List.of(listNamespaces(), listDeployments(), createDeployment(), scaleDeployment(), deleteDeployment(),
        listPods(), getPodLogs());
  }

  private JsonObject namespaceArg() {
    return Schemas.string("Namespace (default " + workloads.defaultNamespace() + ")");
  }

  private static JsonObject listOf(String field, String description) {
    return Schemas.object()
        .required(field, Schemas.array(Schemas.object().additionalProperties(true).build(), description))
        .additionalProperties(true).build();
  }

  private String namespace(io.agentnet.runtime.mcp.ToolCall call) {
    String ns = call.string("namespace", null);
    return ns == null || ns.isBlank() ? workloads.defaultNamespace() : validateName("namespace", ns);
  }

  private Tool listNamespaces() {
    return Tool.builder("list_namespaces")
        .title("List namespaces")
        .description("Lists the cluster's namespaces with their phase.")
        .input(Schemas.object().build())
        .output(listOf("namespaces", "name, phase, labels, created_at"))
        .annotations(ToolAnnotations.readOnly(true))
        .blocking(call -> ToolResult.structured(new JsonObject()
            .put("namespaces", new JsonArray(List.copyOf(workloads.listNamespaces())))))
        .build();
  }

  private Tool listDeployments() {
    return Tool.builder("list_deployments")
        .title("List deployments")
        .description("Lists the deployments of a namespace with their image, desired and ready replicas.")
        .input(Schemas.object().optional("namespace", namespaceArg()).build())
        .output(listOf("deployments", "name, namespace, images, replicas, ready_replicas, labels, created_at"))
        .annotations(ToolAnnotations.readOnly(true))
        .blocking(call -> {
          String ns = namespace(call);
          return ToolResult.structured(new JsonObject().put("namespace", ns)
              .put("deployments", new JsonArray(List.copyOf(workloads.listDeployments(ns)))));
        })
        .build();
  }

  private Tool createDeployment() {
    JsonObject labels = Schemas.anyObject("Labels of the deployment and its pods, also its selector "
        + "(default {\"app\": <name>})").put("additionalProperties", new JsonObject().put("type", "string"));
    return Tool.builder("create_deployment")
        .title("Create deployment")
        .description("Creates a deployment of one container image. Returns a running operation: poll get_operation "
            + "until the deployment reports its replicas ready.")
        .input(Schemas.object()
            .required("name", Schemas.string("Deployment name (lowercase letters, digits, hyphens)"))
            .required("image", Schemas.string("Container image, such as nginx:1.27"))
            .optional("namespace", namespaceArg())
            .optional("replicas", Schemas.integer("Desired pods (default 1)", 0, MAX_REPLICAS))
            .optional("labels", labels)
            .optional("container_port", Schemas.integer("Port the container listens on", 1, 65535))
            .build())
        .output(OperationTools.OPERATION_SCHEMA)
        .annotations(ToolAnnotations.mutating(false, false, true))
        .blocking(call -> {
          String ns = namespace(call);
          String name = validateName("deployment name", call.string("name"));
          String image = call.string("image").trim();
          if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace)) {
            throw new ToolException("invalid image \"" + image + "\": expected a reference such as nginx:1.27");
          }
          Map<String, String> labelMap = new LinkedHashMap<>();
          JsonObject given = call.object("labels");
          if (given == null || given.isEmpty()) {
            labelMap.put("app", name);
          } else {
            given.forEach(e -> labelMap.put(e.getKey(), String.valueOf(e.getValue())));
          }
          int replicas = call.integer("replicas", 1);
          workloads.createDeployment(new DeploymentSpec(ns, name, image, replicas, labelMap,
              call.integer("container_port")));
          return OperationTools.result(awaitReady("create_deployment", ns, name));
        })
        .build();
  }

  private Tool scaleDeployment() {
    return Tool.builder("scale_deployment")
        .title("Scale deployment")
        .description("Sets a deployment's desired replicas. Returns a running operation: poll get_operation until "
            + "the deployment reports that many replicas ready.")
        .input(Schemas.object()
            .required("name", Schemas.string("Deployment name"))
            .required("replicas", Schemas.integer("Desired pods", 0, MAX_REPLICAS))
            .optional("namespace", namespaceArg())
            .build())
        .output(OperationTools.OPERATION_SCHEMA)
        .annotations(ToolAnnotations.mutating(true, true, true))
        .blocking(call -> {
          String ns = namespace(call);
          String name = validateName("deployment name", call.string("name"));
          workloads.scaleDeployment(ns, name, call.integer("replicas"));
          return OperationTools.result(awaitReady("scale_deployment", ns, name));
        })
        .build();
  }

  private Tool deleteDeployment() {
    return Tool.builder("delete_deployment")
        .title("Delete deployment")
        .description("Deletes a deployment and, through the cluster's garbage collection, its pods. Returns a "
            + "finished operation.")
        .input(Schemas.object()
            .required("name", Schemas.string("Deployment name"))
            .optional("namespace", namespaceArg())
            .build())
        .output(OperationTools.OPERATION_SCHEMA)
        .annotations(ToolAnnotations.mutating(true, true, true))
        .blocking(call -> {
          String ns = namespace(call);
          String name = validateName("deployment name", call.string("name"));
          workloads.deleteDeployment(ns, name);
          return OperationTools.result(tracker.succeeded("delete_deployment", ns + "/" + name,
              new JsonObject().put("namespace", ns).put("name", name).put("deleted", true)));
        })
        .build();
  }

  private Tool listPods() {
    return Tool.builder("list_pods")
        .title("List pods")
        .description("Lists the pods of a namespace, optionally only those matching a label selector such as "
            + "app=web,tier!=db.")
        .input(Schemas.object()
            .optional("namespace", namespaceArg())
            .optional("label_selector", Schemas.string("kubectl-style label selector"))
            .build())
        .output(listOf("pods", "name, phase, ready, restarts, node, pod_ip, containers, labels, created_at"))
        .annotations(ToolAnnotations.readOnly(true))
        .blocking(call -> {
          String ns = namespace(call);
          String selector = call.string("label_selector", null);
          return ToolResult.structured(new JsonObject().put("namespace", ns)
              .put("pods", new JsonArray(List.copyOf(workloads.listPods(ns,
                  selector == null || selector.isBlank() ? null : selector.trim())))));
        })
        .build();
  }

  private Tool getPodLogs() {
    return Tool.builder("get_pod_logs")
        .title("Get pod logs")
        .description("Returns the last lines of a pod container's log (the only container when none is named).")
        .input(Schemas.object()
            .required("pod", Schemas.string("Pod name"))
            .optional("namespace", namespaceArg())
            .optional("container", Schemas.string("Container name; needed when the pod has several"))
            .optional("tail_lines", Schemas.integer("How many lines from the end (default " + DEFAULT_TAIL_LINES + ")",
                1, 100_000))
            .build())
        .output(Schemas.object()
            .required("pod", Schemas.string(null))
            .required("logs", Schemas.string(null))
            .required("truncated", Schemas.bool("Older lines were cut to stay under the size limit"))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(true))
        .blocking(call -> {
          String ns = namespace(call);
          String pod = validateSubdomain("pod name", call.string("pod"));
          String container = call.string("container", null);
          String logs = workloads.podLogs(ns, pod, container, call.integer("tail_lines", DEFAULT_TAIL_LINES));
          String kept = tailWithin(logs == null ? "" : logs, maxLogBytes);
          JsonObject result = new JsonObject().put("namespace", ns).put("pod", pod);
          if (container != null) {
            result.put("container", container);
          }
          result.put("truncated", kept.length() < (logs == null ? 0 : logs.length())).put("logs", kept);
          return ToolResult.structured(result, kept.isEmpty() ? "(no log lines)" : kept);
        })
        .build();
  }

  /**
   * A running operation that completes when the deployment has exactly the desired replicas ready;
   * polled once at once, so a deployment that is already there finishes within the call.
   */
  private Operation awaitReady(String kind, String ns, String name) {
    Operation op = tracker.running(kind, ns + "/" + name, () -> {
      Rollout rollout = workloads.rollout(ns, name);
      if (rollout == null) {
        throw new ToolException("deployment " + ns + "/" + name + " was deleted before it became ready");
      }
      if (rollout.complete()) {
        return OperationTracker.Check.done(new JsonObject().put("namespace", ns).put("name", name)
            .put("replicas", rollout.desired()).put("ready_replicas", rollout.ready()));
      }
      return OperationTracker.Check.pending(rollout.desired() + " ready replicas (ready " + rollout.ready()
          + ", pods " + rollout.total() + (rollout.observed() ? "" : ", spec change not yet observed") + ")");
    }, readyTimeout);
    return tracker.get(op.id());
  }

  /** The end of {@code text} that fits in {@code maxBytes} UTF-8 bytes, starting at a line when it can. */
  static String tailWithin(String text, int maxBytes) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    int start = bytes.length - maxBytes;
    while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
      start++; // not in the middle of a character
    }
    String tail = new String(bytes, start, bytes.length - start, java.nio.charset.StandardCharsets.UTF_8);
    int newline = tail.indexOf('\n');
    return newline >= 0 && newline < tail.length() - 1 ? tail.substring(newline + 1) : tail;
  }

  static String validateName(String what, String value) {
    if (!DNS_LABEL.matcher(value).matches()) {
      throw new ToolException("invalid " + what + " \"" + value + "\": use 1-63 lowercase letters, digits and "
          + "hyphens, beginning and ending with a letter or digit");
    }
    return value;
  }

  private static String validateSubdomain(String what, String value) {
    if (value.length() > 253 || !value.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw new ToolException("invalid " + what + " \"" + value + "\": expected lowercase letters, digits, "
          + "hyphens and dots");
    }
    return value;
  }
}
