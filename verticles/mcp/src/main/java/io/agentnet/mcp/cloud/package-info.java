/**
 * The {@code cloud} MCP server ({@link io.agentnet.mcp.cloud.CloudToolProvider}): buckets and
 * objects over {@link io.agentnet.mcp.cloud.ObjectStorage} (a local directory by default, or any S3
 * API), Kubernetes workloads over {@link io.agentnet.mcp.cloud.Workloads} when a cluster is
 * configured, and get_operation for what mutating calls started.
 *
 * <p>Settings ({@link io.agentnet.mcp.cloud.CloudOptions#fromConfig}), environment over config:
 * <ul>
 *   <li>CLOUD_OBJECT_STORAGE / objectStorage.provider: local or s3; unset, s3 when an S3 endpoint
 *       or CLOUD_S3_ACCESS_KEY_ID is set, else local</li>
 *   <li>CLOUD_DATA_DIR / objectStorage.dataDir: the local buckets (./data/objects)</li>
 *   <li>CLOUD_S3_ENDPOINT / s3.endpoint, CLOUD_S3_REGION or AWS_REGION / s3.region (us-east-1),
 *       CLOUD_S3_PATH_STYLE / s3.pathStyle (true when an endpoint is set), s3.maxPresignSeconds (3600)</li>
 *   <li>secrets (each also from NAME_FILE): CLOUD_S3_ACCESS_KEY_ID, CLOUD_S3_SECRET_ACCESS_KEY,
 *       CLOUD_S3_SESSION_TOKEN, falling back to AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 *       AWS_SESSION_TOKEN, then s3.accessKeyId / s3.secretAccessKey; none: the SDK's default chain</li>
 *   <li>CLOUD_KUBERNETES / kubernetes.enabled: auto (default), true or false; KUBECONFIG /
 *       kubernetes.kubeconfig, CLOUD_KUBE_CONTEXT / kubernetes.context, CLOUD_KUBE_NAMESPACE /
 *       kubernetes.namespace, CLOUD_KUBE_READY_TIMEOUT / kubernetes.readyTimeoutSeconds (300)</li>
 *   <li>CLOUD_MAX_OBJECT_BYTES / limits.maxObjectBytes (10 MiB), limits.maxLogBytes (1 MiB),
 *       limits.maxOperations (1000)</li>
 * </ul>
 */
package io.agentnet.mcp.cloud;
