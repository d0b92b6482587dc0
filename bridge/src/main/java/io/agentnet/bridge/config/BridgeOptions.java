package io.agentnet.bridge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Everything the bridge verticle needs: how to reach NATS, how much to buffer, which streams to
 * provision and which mapping rules to apply. Read from the {@code bridge} section of the app config
 * and then overridden by the environment ({@link #applyEnvironment}). Secrets are kept out of
 * {@link #toJson()} and {@link #toString()}.
 */
public class BridgeOptions {

  public static final String REDACTED = "*****";

  private List<String> servers = new ArrayList<>();
  private String user;
  private String password;
  private String token;
  private String credsFile;
  private String tlsCaFile;
  private String tlsCertFile;
  private String tlsKeyFile;
  private String connectionName = "agentnet";
  private Duration connectTimeout = Duration.ofSeconds(2);
  private Duration reconnectWaitMin = Duration.ofMillis(250);
  private Duration reconnectWaitMax = Duration.ofSeconds(10);
  private Duration startupWait = Duration.ofSeconds(10);
  private int outboundBufferMessages = 10_000;
  private long outboundBufferBytes = 64L * 1024 * 1024;
  private int maxPendingPublishAcks = 1024;
  private Duration publishAckTimeout = Duration.ofSeconds(5);
  private int publishAttempts = 5;
  private long maxPayload = 0;
  private boolean provisionStreams = true;
  private List<StreamSpec> streams = new ArrayList<>(StreamSpec.defaults());
  private List<KvBucketSpec> kvBuckets = new ArrayList<>(KvBucketSpec.defaults());
  private String kvAddress = "agentnet.kv";
  private List<InboundMapping> inbound = new ArrayList<>();
  private List<OutboundMapping> outbound = new ArrayList<>();
  private List<RequestMapping> requests = new ArrayList<>();
  private List<ConsumerMapping> consumers = new ArrayList<>();
  private List<ServiceMapping> services = new ArrayList<>();
  private String statusAddress = "agentnet.bridge.status";

  public BridgeOptions() {
  }

  /** Reads the {@code bridge} config section; every key is optional and has the default above. */
  public static BridgeOptions fromJson(JsonObject json) {
    ConfigReader r = new ConfigReader(json, "bridge");
    BridgeOptions o = new BridgeOptions();
    o.servers = new ArrayList<>(r.strings("servers"));
    o.user = r.string("user", null);
    o.password = r.string("password", null);
    o.token = r.string("token", null);
    o.credsFile = r.string("credsFile", null);
    o.tlsCaFile = r.string("tlsCaFile", null);
    o.tlsCertFile = r.string("tlsCertFile", null);
    o.tlsKeyFile = r.string("tlsKeyFile", null);
    o.connectionName = r.string("connectionName", o.connectionName);
    o.connectTimeout = r.millis("connectTimeoutMs", o.connectTimeout);
    o.reconnectWaitMin = r.millis("reconnectWaitMinMs", o.reconnectWaitMin);
    o.reconnectWaitMax = r.millis("reconnectWaitMaxMs", o.reconnectWaitMax);
    o.startupWait = r.millis("startupWaitMs", o.startupWait);
    o.outboundBufferMessages = r.integer("outboundBufferMessages", o.outboundBufferMessages, 0);
    o.outboundBufferBytes = r.longValue("outboundBufferBytes", o.outboundBufferBytes, 0);
    o.maxPendingPublishAcks = r.integer("maxPendingPublishAcks", o.maxPendingPublishAcks, 1);
    o.publishAckTimeout = r.millis("publishAckTimeoutMs", o.publishAckTimeout);
    o.publishAttempts = r.integer("publishAttempts", o.publishAttempts, 1);
    o.maxPayload = r.longValue("maxPayload", o.maxPayload, 0);
    o.provisionStreams = r.bool("provisionStreams", o.provisionStreams);
    if (json != null && json.containsKey("streams")) {
      o.streams = new ArrayList<>(r.objects("streams", StreamSpec::fromJson));
    }
    if (json != null && json.containsKey("kvBuckets")) {
      o.kvBuckets = new ArrayList<>(r.objects("kvBuckets", KvBucketSpec::fromJson));
      List<String> names = o.kvBuckets.stream().map(KvBucketSpec::name).toList();
      for (int i = 0; i < names.size(); i++) {
        if (names.indexOf(names.get(i)) != i) {
          throw r.error("kvBuckets[" + i + "].name", "bucket " + names.get(i) + " is configured twice");
        }
      }
    }
    o.kvAddress = r.string("kvAddress", o.kvAddress);
    o.inbound = new ArrayList<>(r.objects("inbound", InboundMapping::fromJson));
    o.outbound = new ArrayList<>(r.objects("outbound", OutboundMapping::fromJson));
    o.requests = new ArrayList<>(r.objects("requests", RequestMapping::fromJson));
    o.consumers = new ArrayList<>(r.objects("consumers", ConsumerMapping::fromJson));
    o.services = new ArrayList<>(r.objects("services", ServiceMapping::fromJson));
    o.statusAddress = r.string("statusAddress", o.statusAddress);
    return o;
  }

  /**
   * Overrides from the environment: NATS_URL (one URL or a comma-separated list), NATS_USER,
   * NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_TLS_CA, NATS_TLS_CERT, NATS_TLS_KEY; secrets may
   * come from the matching *_FILE. NATS_STREAM_REPLICAS sets the replicas of every provisioned
   * stream and KV bucket (3 on a 3-node cluster). Reads secret files, so call it at start.
   */
  public BridgeOptions applyEnvironment(Environment env) {
    String url = env.get("NATS_URL");
    if (url != null) {
      servers = Arrays.stream(url.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    user = orElse(env.get("NATS_USER"), user);
    password = orElse(env.secret("NATS_PASSWORD"), password);
    token = orElse(env.secret("NATS_TOKEN"), token);
    credsFile = orElse(env.get("NATS_CREDS"), credsFile);
    tlsCaFile = orElse(env.get("NATS_TLS_CA"), tlsCaFile);
    tlsCertFile = orElse(env.get("NATS_TLS_CERT"), tlsCertFile);
    tlsKeyFile = orElse(env.get("NATS_TLS_KEY"), tlsKeyFile);
    int replicas = env.integer("NATS_STREAM_REPLICAS", 0);
    if (replicas < 0 || replicas > 5) {
      throw new ConfigException("NATS_STREAM_REPLICAS: must be between 1 and 5, got " + replicas);
    }
    if (replicas > 0) {
      streams = new ArrayList<>(streams.stream().map(s -> new StreamSpec(s.name(), s.subjects(), s.retention(),
          s.maxAge(), s.storage(), replicas, s.duplicateWindow())).toList());
      kvBuckets = new ArrayList<>(kvBuckets.stream().map(b -> b.withReplicas(replicas)).toList());
    }
    return this;
  }

  private static String orElse(String value, String def) {
    return value != null ? value : def;
  }

  /** NATS mode: at least one server URL is configured. Otherwise the event bus alone carries messages. */
  public boolean isEnabled() {
    return !servers.isEmpty();
  }

  /** The config as JSON with secrets replaced by {@value #REDACTED} and credentials stripped from URLs. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("servers", new JsonArray(servers.stream().map(BridgeOptions::redactUrl).toList()))
        .put("user", user)
        .put("password", password == null ? null : REDACTED)
        .put("token", token == null ? null : REDACTED)
        .put("credsFile", credsFile)
        .put("tlsCaFile", tlsCaFile).put("tlsCertFile", tlsCertFile).put("tlsKeyFile", tlsKeyFile)
        .put("connectionName", connectionName)
        .put("connectTimeoutMs", connectTimeout.toMillis())
        .put("reconnectWaitMinMs", reconnectWaitMin.toMillis())
        .put("reconnectWaitMaxMs", reconnectWaitMax.toMillis())
        .put("startupWaitMs", startupWait.toMillis())
        .put("outboundBufferMessages", outboundBufferMessages)
        .put("outboundBufferBytes", outboundBufferBytes)
        .put("maxPendingPublishAcks", maxPendingPublishAcks)
        .put("publishAckTimeoutMs", publishAckTimeout.toMillis())
        .put("publishAttempts", publishAttempts)
        .put("maxPayload", maxPayload)
        .put("provisionStreams", provisionStreams)
        .put("streams", array(streams, StreamSpec::toJson))
        .put("kvBuckets", array(kvBuckets, KvBucketSpec::toJson))
        .put("kvAddress", kvAddress)
        .put("inbound", array(inbound, InboundMapping::toJson))
        .put("outbound", array(outbound, OutboundMapping::toJson))
        .put("requests", array(requests, RequestMapping::toJson))
        .put("consumers", array(consumers, ConsumerMapping::toJson))
        .put("services", array(services, ServiceMapping::toJson))
        .put("statusAddress", statusAddress);
  }

  private static <T> JsonArray array(List<T> items, Function<T, JsonObject> toJson) {
    JsonArray a = new JsonArray();
    items.forEach(i -> a.add(toJson.apply(i)));
    return a;
  }

  /** {@code nats://user:secret@host:4222} becomes {@code nats://host:4222}: URLs are logged. */
  public static String redactUrl(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    return (scheme >= 0 && scheme < at ? url.substring(0, scheme + 3) : "") + url.substring(at + 1);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }

  // Fluent accessors, vertx-style.

  public List<String> getServers() { return servers; }
  public BridgeOptions setServers(List<String> servers) { this.servers = new ArrayList<>(servers); return this; }
  public BridgeOptions setServer(String url) { return setServers(List.of(url)); }
  public String getUser() { return user; }
  public BridgeOptions setUser(String user) { this.user = user; return this; }
  public String getPassword() { return password; }
  public BridgeOptions setPassword(String password) { this.password = password; return this; }
  public String getToken() { return token; }
  public BridgeOptions setToken(String token) { this.token = token; return this; }
  public String getCredsFile() { return credsFile; }
  public BridgeOptions setCredsFile(String credsFile) { this.credsFile = credsFile; return this; }
  public String getTlsCaFile() { return tlsCaFile; }
  public BridgeOptions setTlsCaFile(String f) { this.tlsCaFile = f; return this; }
  public String getTlsCertFile() { return tlsCertFile; }
  public BridgeOptions setTlsCertFile(String f) { this.tlsCertFile = f; return this; }
  public String getTlsKeyFile() { return tlsKeyFile; }
  public BridgeOptions setTlsKeyFile(String f) { this.tlsKeyFile = f; return this; }
  public String getConnectionName() { return connectionName; }
  public BridgeOptions setConnectionName(String n) { this.connectionName = n; return this; }
  public Duration getConnectTimeout() { return connectTimeout; }
  public BridgeOptions setConnectTimeout(Duration d) { this.connectTimeout = d; return this; }
  public Duration getReconnectWaitMin() { return reconnectWaitMin; }
  public BridgeOptions setReconnectWaitMin(Duration d) { this.reconnectWaitMin = d; return this; }
  public Duration getReconnectWaitMax() { return reconnectWaitMax; }
  public BridgeOptions setReconnectWaitMax(Duration d) { this.reconnectWaitMax = d; return this; }
  public Duration getStartupWait() { return startupWait; }
  public BridgeOptions setStartupWait(Duration d) { this.startupWait = d; return this; }
  public int getOutboundBufferMessages() { return outboundBufferMessages; }
  public BridgeOptions setOutboundBufferMessages(int n) { this.outboundBufferMessages = n; return this; }
  public long getOutboundBufferBytes() { return outboundBufferBytes; }
  public BridgeOptions setOutboundBufferBytes(long n) { this.outboundBufferBytes = n; return this; }
  public int getMaxPendingPublishAcks() { return maxPendingPublishAcks; }
  public BridgeOptions setMaxPendingPublishAcks(int n) { this.maxPendingPublishAcks = n; return this; }
  public Duration getPublishAckTimeout() { return publishAckTimeout; }
  public BridgeOptions setPublishAckTimeout(Duration d) { this.publishAckTimeout = d; return this; }
  public int getPublishAttempts() { return publishAttempts; }
  public BridgeOptions setPublishAttempts(int n) { this.publishAttempts = n; return this; }
  public long getMaxPayload() { return maxPayload; }
  public BridgeOptions setMaxPayload(long bytes) { this.maxPayload = bytes; return this; }
  public boolean isProvisionStreams() { return provisionStreams; }
  public BridgeOptions setProvisionStreams(boolean b) { this.provisionStreams = b; return this; }
  public List<StreamSpec> getStreams() { return streams; }
  public BridgeOptions setStreams(List<StreamSpec> s) { this.streams = new ArrayList<>(s); return this; }
  public List<KvBucketSpec> getKvBuckets() { return kvBuckets; }
  public BridgeOptions setKvBuckets(List<KvBucketSpec> b) { this.kvBuckets = new ArrayList<>(b); return this; }
  /** Adds a bucket, or replaces the one of the same name. */
  public BridgeOptions addKvBucket(KvBucketSpec b) {
    kvBuckets.removeIf(existing -> existing.name().equals(b.name()));
    kvBuckets.add(b);
    return this;
  }
  /** The event bus address on which the bridge serves KV operations (NATS mode only). */
  public String getKvAddress() { return kvAddress; }
  public BridgeOptions setKvAddress(String a) { this.kvAddress = a; return this; }
  public List<InboundMapping> getInbound() { return inbound; }
  public BridgeOptions addInbound(InboundMapping m) { inbound.add(m); return this; }
  public List<OutboundMapping> getOutbound() { return outbound; }
  public BridgeOptions addOutbound(OutboundMapping m) { outbound.add(m); return this; }
  public List<RequestMapping> getRequests() { return requests; }
  public BridgeOptions addRequest(RequestMapping m) { requests.add(m); return this; }
  public List<ConsumerMapping> getConsumers() { return consumers; }
  public BridgeOptions addConsumer(ConsumerMapping m) { consumers.add(m); return this; }
  public List<ServiceMapping> getServices() { return services; }
  public BridgeOptions addService(ServiceMapping m) { services.add(m); return this; }
  public String getStatusAddress() { return statusAddress; }
  public BridgeOptions setStatusAddress(String a) { this.statusAddress = a; return this; }
}
