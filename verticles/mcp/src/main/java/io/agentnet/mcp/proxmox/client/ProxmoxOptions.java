package io.agentnet.mcp.proxmox.client;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How to reach one Proxmox VE API and what the tools may touch there: host, credentials (an API
 * token, or a user and password for ticket auth), TLS trust, timeouts and the node and VM id
 * allow-lists. Secrets never appear in {@link #toJson()} or {@link #toString()}.
 */
public final class ProxmoxOptions {

  public static final String REDACTED = "*****";

  private String host;
  private int port = 8006;
  private String user = "root@pam";
  private String tokenName;
  private String tokenValue;
  private String password;
  private boolean verifyTls = true;
  private String caFile;
  private String fingerprint;
  private Duration connectTimeout = Duration.ofSeconds(5);
  private Duration requestTimeout = Duration.ofSeconds(30);
  private Duration taskPollInterval = Duration.ofSeconds(1);
  private Set<String> allowedNodes = new LinkedHashSet<>();
  private VmidRanges allowedVmids = VmidRanges.all();

  public ProxmoxOptions() {
  }

  /**
   * Reads the {@code proxmox} config section, then lets the environment override it. Secrets
   * (token value, password) come only from the environment (or its {@code _FILE} variants).
   */
  public static ProxmoxOptions fromConfig(JsonObject section, Environment env) {
    JsonObject json = section == null ? new JsonObject() : section;
    ProxmoxOptions o = new ProxmoxOptions();
    try {
      o.host = json.getString("host", o.host);
      o.port = json.getInteger("port", o.port);
      o.user = json.getString("user", o.user);
      o.tokenName = json.getString("tokenName", o.tokenName);
      o.verifyTls = json.getBoolean("verifyTls", o.verifyTls);
      o.caFile = json.getString("caFile", o.caFile);
      o.fingerprint = json.getString("fingerprint", o.fingerprint);
      o.connectTimeout = Duration.ofMillis(json.getLong("connectTimeoutMs", o.connectTimeout.toMillis()));
      o.requestTimeout = Duration.ofMillis(json.getLong("requestTimeoutMs", o.requestTimeout.toMillis()));
      o.taskPollInterval = Duration.ofMillis(json.getLong("taskPollIntervalMs", o.taskPollInterval.toMillis()));
      o.allowedNodes = new LinkedHashSet<>(stringList(json.getValue("allowedNodes")));
      o.allowedVmids = VmidRanges.parse(stringList(json.getValue("allowedVmids")));
    } catch (ClassCastException e) {
      throw new ConfigException("proxmox: a setting has the wrong type (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw new ConfigException("proxmox: " + e.getMessage());
    }
    o.host = env.get("PROXMOX_HOST", o.host);
    o.port = env.integer("PROXMOX_PORT", o.port);
    o.user = env.get("PROXMOX_USER", o.user);
    o.tokenName = env.get("PROXMOX_TOKEN_NAME", o.tokenName);
    o.tokenValue = env.secret("PROXMOX_TOKEN_VALUE");
    o.password = env.secret("PROXMOX_PASSWORD");
    o.verifyTls = env.bool("PROXMOX_VERIFY_TLS", o.verifyTls);
    o.caFile = env.get("PROXMOX_CA_FILE", o.caFile);
    o.fingerprint = env.get("PROXMOX_FINGERPRINT", o.fingerprint);
    o.connectTimeout = Duration.ofMillis(env.integer("PROXMOX_CONNECT_TIMEOUT_MS", (int) o.connectTimeout.toMillis()));
    o.requestTimeout = Duration.ofMillis(env.integer("PROXMOX_REQUEST_TIMEOUT_MS", (int) o.requestTimeout.toMillis()));
    String nodes = env.get("PROXMOX_ALLOWED_NODES");
    if (nodes != null) {
      o.allowedNodes = new LinkedHashSet<>(stringList(nodes));
    }
    String vmids = env.get("PROXMOX_ALLOWED_VMIDS");
    if (vmids != null) {
      try {
        o.allowedVmids = VmidRanges.parse(vmids);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("PROXMOX_ALLOWED_VMIDS: " + e.getMessage());
      }
    }
    if (o.fingerprint != null) {
      o.fingerprint = normalizeFingerprint(o.fingerprint);
    }
    return o;
  }

  /** Accepts a JSON array or a comma-separated string. */
  private static List<String> stringList(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> out.add(String.valueOf(v).trim()));
    } else if (value instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    } else if (value != null) {
      throw new ConfigException("proxmox: expected a list or a comma-separated string, got " + value);
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  /**
   * A SHA-256 fingerprint as 32 upper-case hex pairs joined by colons (the form PVE shows);
   * accepts it with or without colons, in any case.
   */
  public static String normalizeFingerprint(String fingerprint) {
    String hex = fingerprint.replace(":", "").replace(" ", "").toUpperCase();
    if (!hex.matches("[0-9A-F]{64}")) {
      throw new ConfigException("proxmox fingerprint must be a SHA-256 fingerprint (64 hex digits, AA:BB:.. form)");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(hex, i, i + 2);
    }
    return sb.toString();
  }

  /** True when an API token is configured (it wins over a password). */
  public boolean usesToken() {
    return tokenName != null && tokenValue != null;
  }

  /** Why these options cannot be used to connect, or null when they can. */
  public String problem() {
    if (host == null || host.isBlank()) {
      return "no Proxmox host: set PROXMOX_HOST";
    }
    if (user == null || !user.contains("@")) {
      return "PROXMOX_USER must be user@realm (e.g. root@pam)";
    }
    if (!usesToken() && password == null) {
      return "no Proxmox credentials: set PROXMOX_TOKEN_NAME and PROXMOX_TOKEN_VALUE, or PROXMOX_PASSWORD";
    }
    return null;
  }

  public String baseUrl() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "https://" + h + ":" + port + "/api2/json";
  }

  public String host() {
    return host;
  }

  public ProxmoxOptions host(String host) {
    this.host = host;
    return this;
  }

  public int port() {
    return port;
  }

  public ProxmoxOptions port(int port) {
    this.port = port;
    return this;
  }

  public String user() {
    return user;
  }

  public ProxmoxOptions user(String user) {
    this.user = user;
    return this;
  }

  public String tokenName() {
    return tokenName;
  }

  public ProxmoxOptions tokenName(String tokenName) {
    this.tokenName = tokenName;
    return this;
  }

  public String tokenValue() {
    return tokenValue;
  }

  public ProxmoxOptions tokenValue(String tokenValue) {
    this.tokenValue = tokenValue;
    return this;
  }

  public String password() {
    return password;
  }

  public ProxmoxOptions password(String password) {
    this.password = password;
    return this;
  }

  public boolean verifyTls() {
    return verifyTls;
  }

  public ProxmoxOptions verifyTls(boolean verifyTls) {
    this.verifyTls = verifyTls;
    return this;
  }

  public String caFile() {
    return caFile;
  }

  public ProxmoxOptions caFile(String caFile) {
    this.caFile = caFile;
    return this;
  }

  public String fingerprint() {
    return fingerprint;
  }

  public ProxmoxOptions fingerprint(String fingerprint) {
    this.fingerprint = fingerprint == null ? null : normalizeFingerprint(fingerprint);
    return this;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public ProxmoxOptions connectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    return this;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public ProxmoxOptions requestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    return this;
  }

  public Duration taskPollInterval() {
    return taskPollInterval;
  }

  public ProxmoxOptions taskPollInterval(Duration taskPollInterval) {
    this.taskPollInterval = taskPollInterval;
    return this;
  }

  public Set<String> allowedNodes() {
    return allowedNodes;
  }

  public ProxmoxOptions allowedNodes(Set<String> allowedNodes) {
    this.allowedNodes = new LinkedHashSet<>(allowedNodes);
    return this;
  }

  public VmidRanges allowedVmids() {
    return allowedVmids;
  }

  public ProxmoxOptions allowedVmids(VmidRanges allowedVmids) {
    this.allowedVmids = allowedVmids;
    return this;
  }

  /** The settings with secrets replaced by {@value #REDACTED}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("user", user)
        .put("tokenName", tokenName)
        .put("tokenValue", tokenValue == null ? null : REDACTED)
        .put("password", password == null ? null : REDACTED)
        .put("verifyTls", verifyTls)
        .put("caFile", caFile)
        .put("fingerprint", fingerprint)
        .put("connectTimeoutMs", connectTimeout.toMillis())
        .put("requestTimeoutMs", requestTimeout.toMillis())
        .put("taskPollIntervalMs", taskPollInterval.toMillis())
        .put("allowedNodes", new JsonArray(new ArrayList<>(allowedNodes)))
        .put("allowedVmids", new JsonArray(allowedVmids.entries()));
    return json;
  }

  @Override
  public String toString() {
    return "ProxmoxOptions" + toJson().encode();
  }
}
