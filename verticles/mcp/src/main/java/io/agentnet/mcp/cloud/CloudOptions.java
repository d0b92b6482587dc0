package io.agentnet.mcp.cloud;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Settings of the cloud MCP server: which object storage, how to reach S3 and Kubernetes, and the
 * limits. Built once at start by {@link #fromConfig}: the config section (the {@code "cloud"}
 * object of conf/agentnet.json) first, then the environment, which wins.
 *
 * <p>The object storage provider is {@code objectStorage.provider} / CLOUD_OBJECT_STORAGE when
 * set; otherwise "s3" when an S3 endpoint (s3.endpoint / CLOUD_S3_ENDPOINT) or S3 access key
 * (CLOUD_S3_ACCESS_KEY_ID) is configured; otherwise "local", which needs nothing installed.
 */
public final class CloudOptions {

  /** Default cap on the bytes get_object returns and put_object accepts: 10 MiB. */
  public static final int DEFAULT_MAX_OBJECT_BYTES = 10 * 1024 * 1024;
  /** S3 refuses presigned URLs valid for more than seven days. */
  public static final int S3_MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

  /** Which object storage backs the bucket tools. */
  public enum StorageProvider { LOCAL, S3 }

  /** Whether the Kubernetes tools are offered: always, never, or when a cluster is found. */
  public enum KubernetesMode { AUTO, ON, OFF }

  /**
   * How to reach an S3 API. Null endpoint: AWS itself. Null keys: the SDK's default credential
   * chain (environment, profile, instance role).
   */
  public record S3Settings(URI endpoint, String region, boolean pathStyle, String accessKeyId,
                           String secretAccessKey, String sessionToken, int maxPresignSeconds) {

    public boolean hasStaticCredentials() {
      return accessKeyId != null;
    }

    @Override
    public String toString() {
      // Never the secret.
      return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
          + ", accessKeyId=" + (accessKeyId == null ? "default chain" : "set") + ", maxPresignSeconds="
          + maxPresignSeconds + "]";
    }
  }

  /**
   * How to find a cluster. {@code kubeconfig} null: KUBECONFIG or ~/.kube/config, else in-cluster
   * (service account) when {@code inCluster}; {@code context}/{@code namespace} null: the
   * kubeconfig's current ones.
   */
  public record KubernetesSettings(KubernetesMode mode, String kubeconfig, String context, String namespace,
                                   boolean inCluster, int readyTimeoutSeconds) {
  }

  /** Caps on what one call may move or remember. */
  public record Limits(int maxObjectBytes, int maxLogBytes, int maxOperations) {
  }

  private final StorageProvider storageProvider;
  private final Path dataDir;
  private final S3Settings s3;
  private final KubernetesSettings kubernetes;
  private final Limits limits;

  public CloudOptions(StorageProvider storageProvider, Path dataDir, S3Settings s3, KubernetesSettings kubernetes,
                      Limits limits) {
    this.storageProvider = storageProvider;
    this.dataDir = dataDir;
    this.s3 = s3;
    this.kubernetes = kubernetes;
    this.limits = limits;
  }

  /** Local object storage under {@code dataDir}, no Kubernetes, default limits (tests, examples). */
  public static CloudOptions local(Path dataDir) {
    return new CloudOptions(StorageProvider.LOCAL, dataDir,
        new S3Settings(null, "us-east-1", false, null, null, null, 3600),
        new KubernetesSettings(KubernetesMode.OFF, null, null, null, false, 300),
        new Limits(DEFAULT_MAX_OBJECT_BYTES, 1024 * 1024, 1000));
  }

  /**
   * Reads the section, then the environment over it. Config keys: objectStorage.provider
   * ("local"|"s3"), objectStorage.dataDir; s3.endpoint, s3.region, s3.pathStyle, s3.accessKeyId,
   * s3.secretAccessKey, s3.maxPresignSeconds; kubernetes.enabled ("auto"|true|false),
   * kubernetes.kubeconfig, kubernetes.context, kubernetes.namespace, kubernetes.readyTimeoutSeconds;
   * limits.maxObjectBytes, limits.maxLogBytes, limits.maxOperations. Environment: see the README of
   * the cloud server (CLOUD_*, AWS_*, KUBECONFIG). Reads secret files: call it at start.
   */
  public static CloudOptions fromConfig(JsonObject section, Environment env) {
    JsonObject json = section == null ? new JsonObject() : section;
    JsonObject storageJson = object(json, "objectStorage");
    JsonObject s3Json = object(json, "s3");
    JsonObject kubeJson = object(json, "kubernetes");
    JsonObject limitsJson = object(json, "limits");

    S3Settings s3 = s3Settings(s3Json, env);
    String explicitProvider = env.get("CLOUD_OBJECT_STORAGE", string(storageJson, "provider"));
    StorageProvider provider;
    if (explicitProvider != null) {
      provider = switch (explicitProvider.toLowerCase(Locale.ROOT)) {
        case "local" -> StorageProvider.LOCAL;
        case "s3" -> StorageProvider.S3;
        default -> throw new ConfigException("CLOUD_OBJECT_STORAGE / cloud.objectStorage.provider: expected local or s3, got \""
            + explicitProvider + "\"");
      };
    } else {
      boolean s3Configured = s3.endpoint() != null || env.get("CLOUD_S3_ACCESS_KEY_ID") != null
          || env.get("CLOUD_S3_ACCESS_KEY_ID_FILE") != null;
      provider = s3Configured ? StorageProvider.S3 : StorageProvider.LOCAL;
    }
    Path dataDir = Path.of(env.get("CLOUD_DATA_DIR", storageJson.getString("dataDir", "./data/objects")));

    KubernetesSettings kubernetes = new KubernetesSettings(
        kubernetesMode(env.get("CLOUD_KUBERNETES", kubeJson.getValue("enabled", "auto").toString())),
        env.get("KUBECONFIG", string(kubeJson, "kubeconfig")),
        env.get("CLOUD_KUBE_CONTEXT", string(kubeJson, "context")),
        env.get("CLOUD_KUBE_NAMESPACE", string(kubeJson, "namespace")),
        env.get("KUBERNETES_SERVICE_HOST") != null,
        positive("CLOUD_KUBE_READY_TIMEOUT / cloud.kubernetes.readyTimeoutSeconds",
            env.integer("CLOUD_KUBE_READY_TIMEOUT", integer(kubeJson, "readyTimeoutSeconds", 300))));

    Limits limits = new Limits(
        positive("CLOUD_MAX_OBJECT_BYTES / cloud.limits.maxObjectBytes",
            env.integer("CLOUD_MAX_OBJECT_BYTES", integer(limitsJson, "maxObjectBytes", DEFAULT_MAX_OBJECT_BYTES))),
        positive("cloud.limits.maxLogBytes", integer(limitsJson, "maxLogBytes", 1024 * 1024)),
        positive("cloud.limits.maxOperations", integer(limitsJson, "maxOperations", 1000)));
    return new CloudOptions(provider, dataDir, s3, kubernetes, limits);
  }

  private static S3Settings s3Settings(JsonObject s3Json, Environment env) {
    String endpointText = env.get("CLOUD_S3_ENDPOINT", string(s3Json, "endpoint"));
    URI endpoint = null;
    if (endpointText != null) {
      try {
        endpoint = new URI(endpointText);
      } catch (URISyntaxException e) {
        throw new ConfigException("CLOUD_S3_ENDPOINT / cloud.s3.endpoint: not a URL: \"" + endpointText + "\"");
      }
      if (endpoint.getScheme() == null || endpoint.getHost() == null
          || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
        throw new ConfigException("CLOUD_S3_ENDPOINT / cloud.s3.endpoint: expected an http(s) URL such as "
            + "http://localhost:9000, got \"" + endpointText + "\"");
      }
    }
    String region = env.get("CLOUD_S3_REGION", env.get("AWS_REGION", s3Json.getString("region", "us-east-1")));
    // An endpoint of its own is usually MinIO, Ceph, s3proxy...: they want path-style URLs.
    boolean pathStyle = env.bool("CLOUD_S3_PATH_STYLE", s3Json.getBoolean("pathStyle", endpoint != null));
    String keyId = firstNonNull(env.secret("CLOUD_S3_ACCESS_KEY_ID"), env.secret("AWS_ACCESS_KEY_ID"),
        string(s3Json, "accessKeyId"));
    String secret = firstNonNull(env.secret("CLOUD_S3_SECRET_ACCESS_KEY"), env.secret("AWS_SECRET_ACCESS_KEY"),
        string(s3Json, "secretAccessKey"));
    if ((keyId == null) != (secret == null)) {
      throw new ConfigException("S3 credentials: an access key id and a secret access key go together (set both "
          + "CLOUD_S3_ACCESS_KEY_ID and CLOUD_S3_SECRET_ACCESS_KEY, or neither for the default chain)");
    }
    String sessionToken = keyId == null ? null
        : firstNonNull(env.secret("CLOUD_S3_SESSION_TOKEN"), env.secret("AWS_SESSION_TOKEN"));
    int maxPresign = integer(s3Json, "maxPresignSeconds", 3600);
    if (maxPresign < 1 || maxPresign > S3_MAX_PRESIGN_SECONDS) {
      throw new ConfigException("cloud.s3.maxPresignSeconds: must be between 1 and " + S3_MAX_PRESIGN_SECONDS
          + ", got " + maxPresign);
    }
    return new S3Settings(endpoint, region, pathStyle, keyId, secret, sessionToken, maxPresign);
  }

  private static KubernetesMode kubernetesMode(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "auto" -> KubernetesMode.AUTO;
      case "true", "on", "yes", "1" -> KubernetesMode.ON;
      case "false", "off", "no", "0" -> KubernetesMode.OFF;
      default -> throw new ConfigException("CLOUD_KUBERNETES / cloud.kubernetes.enabled: expected auto, true or false, got \""
          + value + "\"");
    };
  }

  private static JsonObject object(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject o) {
      return o;
    }
    throw new ConfigException("cloud." + key + ": expected an object");
  }

  private static String string(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value == null || value.toString().isBlank() ? null : value.toString().trim();
  }

  private static int integer(JsonObject json, String key, int def) {
    Object value = json.getValue(key);
    if (value == null) {
      return def;
    }
    if (value instanceof Number n) {
      return n.intValue();
    }
    throw new ConfigException("cloud.*." + key + ": expected an integer, got \"" + value + "\"");
  }

  private static int positive(String name, int value) {
    if (value < 1) {
      throw new ConfigException(name + ": must be at least 1, got " + value);
    }
    return value;
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  public StorageProvider storageProvider() {
    return storageProvider;
  }

  /** Where the local provider keeps buckets (one directory each). */
  public Path dataDir() {
    return dataDir;
  }

  public S3Settings s3() {
    return s3;
  }

  public KubernetesSettings kubernetes() {
    return kubernetes;
  }

  public Limits limits() {
    return limits;
  }

  /** The same options with other limits (tests, embedding). */
  public CloudOptions withLimits(Limits newLimits) {
    return new CloudOptions(storageProvider, dataDir, s3, kubernetes, newLimits);
  }

  @Override
  public String toString() {
    return "CloudOptions[storage=" + storageProvider + ", dataDir=" + dataDir + ", s3=" + s3 + ", kubernetes="
        + kubernetes + ", limits=" + limits + "]";
  }
}
