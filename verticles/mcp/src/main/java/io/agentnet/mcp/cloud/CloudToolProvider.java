package io.agentnet.mcp.cloud;

import io.agentnet.mcp.cloud.kubernetes.KubernetesConnector;
import io.agentnet.mcp.cloud.local.LocalObjectStorage;
import io.agentnet.mcp.cloud.s3.S3ObjectStorage;
import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The "cloud" MCP server: bucket and object tools over an {@link ObjectStorage} (a local directory
 * or an S3 API), Kubernetes workload tools over {@link Workloads} when a cluster is configured, and
 * get_operation for the operations their mutating calls return.
 *
 * <p>Build it from settings with {@link #create(CloudOptions)}, or from parts (tests, embedding)
 * with the constructor.
 */
public final class CloudToolProvider implements ToolProvider {

  private static final Logger LOG = LoggerFactory.getLogger(CloudToolProvider.class);

  private final ObjectStorage storage;
  private final Workloads workloads;
  private final String workloadsAbsentReason;
  private final OperationTracker tracker;
  private final List<Tool> tools;

  /**
   * @param workloads the cluster, or null when there is none (the Kubernetes tools are then left out)
   * @param workloadsAbsentReason why there is no cluster, for {@link #instructions()}; ignored when there is one
   */
  public CloudToolProvider(ObjectStorage storage, Workloads workloads, String workloadsAbsentReason,
                           CloudOptions options, OperationTracker tracker) {
    this.storage = storage;
    this.workloads = workloads;
    this.workloadsAbsentReason = workloadsAbsentReason;
    this.tracker = tracker;
    List<Tool> all = new ArrayList<>(new ObjectStorageTools(storage, tracker, options.limits().maxObjectBytes(),
        options.s3().maxPresignSeconds()).tools());
    if (workloads != null) {
      all.addAll(new WorkloadTools(workloads, tracker,
          Duration.ofSeconds(options.kubernetes().readyTimeoutSeconds()), options.limits().maxLogBytes()).tools());
    }
    all.add(OperationTools.getOperation(tracker));
    this.tools = List.copyOf(all);
  }

  /**
   * The provider the options describe: local or S3 storage, and a Kubernetes client when a cluster
   * is found (or required). Reads files and may build SDK clients: call it at start, off any event loop.
   */
  public static CloudToolProvider create(CloudOptions options) {
    ObjectStorage storage = switch (options.storageProvider()) {
      case LOCAL -> new LocalObjectStorage(options.dataDir());
      case S3 -> S3ObjectStorage.create(options.s3());
    };
    KubernetesConnector.Connection cluster;
    try {
      cluster = KubernetesConnector.connect(options.kubernetes(), System.getProperty("user.home"));
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    LOG.info("cloud tools: object storage {}, Kubernetes {}", storage.providerName(),
        cluster.workloads() != null ? "on (" + cluster.description() + ")" : "off (" + cluster.description() + ")");
    return new CloudToolProvider(storage, cluster.workloads(), cluster.description(), options,
        new OperationTracker(options.limits().maxOperations()));
  }

  @Override
  public String serverName() {
    return "cloud";
  }

  @Override
  public String instructions() {
    StringBuilder text = new StringBuilder();
    text.append("Object storage (").append(storage.providerName()).append(" provider): list_buckets, create_bucket, "
        + "delete_bucket, list_objects, get_object, put_object, delete_object, presign_url. ");
    if ("local".equals(storage.providerName())) {
      text.append("Buckets are directories on this server; presign_url needs the S3 provider. ");
    }
    if (workloads != null) {
      text.append("Kubernetes workloads (default namespace ").append(workloads.defaultNamespace()).append("): "
          + "list_namespaces, list_deployments, create_deployment, scale_deployment, delete_deployment, "
          + "list_pods, get_pod_logs. ");
    } else {
      text.append("Kubernetes tools are not offered: ").append(workloadsAbsentReason).append(". ");
    }
    text.append("Every mutating tool returns an operation {operation_id, status, ...}; create_deployment and "
        + "scale_deployment stay running until the deployment has its replicas ready: poll get_operation until "
        + "the status is succeeded or failed.");
    return text.toString();
  }

  @Override
  public List<Tool> tools() {
    return tools;
  }

  /** The operations of this server's mutating calls. */
  public OperationTracker operations() {
    return tracker;
  }

  @Override
  public void close() {
    try {
      storage.close();
    } finally {
      if (workloads != null) {
        workloads.close();
      }
    }
  }
}
