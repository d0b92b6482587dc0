package io.agentnet.mcp.proxmox.client;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxmoxOptionsTest {

  private static final String FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

  @Test
  void defaults() {
    ProxmoxOptions o = ProxmoxOptions.fromConfig(null, new Environment(Map.of()));
    assertThat(o.port()).isEqualTo(8006);
    assertThat(o.verifyTls()).isTrue();
    assertThat(o.user()).isEqualTo("root@pam");
    assertThat(o.allowedNodes()).isEmpty();
    assertThat(o.allowedVmids().isAll()).isTrue();
    assertThat(o.problem()).contains("PROXMOX_HOST");
  }

  @Test
  void environmentOverridesTheConfigSection(@TempDir Path dir) throws Exception {
    Path secretFile = dir.resolve("token");
    Files.writeString(secretFile, "token-secret-from-file\n");
    JsonObject section = new JsonObject().put("host", "pve.lan").put("port", 443).put("tokenName", "cfg")
        .put("allowedNodes", new JsonArray().add("pve1")).put("allowedVmids", "100-199").put("requestTimeoutMs", 5000);
    ProxmoxOptions o = ProxmoxOptions.fromConfig(section, new Environment(Map.of(
        "PROXMOX_HOST", "10.0.0.5", "PROXMOX_USER", "agent@pve", "PROXMOX_TOKEN_NAME", "mcp",
        "PROXMOX_TOKEN_VALUE_FILE", secretFile.toString(), "PROXMOX_VERIFY_TLS", "false",
        "PROXMOX_FINGERPRINT", FP.toLowerCase().replace(":", ""), "PROXMOX_ALLOWED_NODES", "pve1, pve2",
        "PROXMOX_ALLOWED_VMIDS", "100-150,900")));
    assertThat(o.host()).isEqualTo("10.0.0.5");
    assertThat(o.port()).isEqualTo(443);
    assertThat(o.user()).isEqualTo("agent@pve");
    assertThat(o.tokenName()).isEqualTo("mcp");
    assertThat(o.tokenValue()).isEqualTo("token-secret-from-file");
    assertThat(o.usesToken()).isTrue();
    assertThat(o.verifyTls()).isFalse();
    assertThat(o.fingerprint()).isEqualTo(FP);
    assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.allowedNodes()).containsExactly("pve1", "pve2");
    assertThat(o.allowedVmids().contains(150)).isTrue();
    assertThat(o.allowedVmids().contains(151)).isFalse();
    assertThat(o.allowedVmids().contains(900)).isTrue();
    assertThat(o.baseUrl()).isEqualTo("https://10.0.0.5:443/api2/json");
    assertThat(o.problem()).isNull();
  }

  @Test
  void secretsAreRedacted() {
    ProxmoxOptions o = ProxmoxOptions.fromConfig(new JsonObject(), new Environment(Map.of(
        "PROXMOX_HOST", "h", "PROXMOX_TOKEN_NAME", "t", "PROXMOX_TOKEN_VALUE", "s3cr3t-token",
        "PROXMOX_PASSWORD", "s3cr3t-password")));
    assertThat(o.toString()).doesNotContain("s3cr3t").contains(ProxmoxOptions.REDACTED);
    assertThat(o.toJson().encode()).doesNotContain("s3cr3t");
    assertThat(o.toJson().getString("tokenValue")).isEqualTo(ProxmoxOptions.REDACTED);
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> ProxmoxOptions.fromConfig(null, new Environment(Map.of("PROXMOX_FINGERPRINT", "AB:CD"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("fingerprint");
    assertThatThrownBy(() -> ProxmoxOptions.fromConfig(null, new Environment(Map.of("PROXMOX_ALLOWED_VMIDS", "100-x"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PROXMOX_ALLOWED_VMIDS").hasMessageContaining("100-x");
    assertThatThrownBy(() -> ProxmoxOptions.fromConfig(null, new Environment(Map.of("PROXMOX_PORT", "eighty"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PROXMOX_PORT");
    assertThatThrownBy(() -> new ProxmoxClient(new ProxmoxOptions().host("h").tokenName("t")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials");
  }

  @Test
  void vmidRanges() {
    VmidRanges r = VmidRanges.parse(List.of("100-199", "205, 300-300"));
    assertThat(r.contains(100)).isTrue();
    assertThat(r.contains(199)).isTrue();
    assertThat(r.contains(200)).isFalse();
    assertThat(r.contains(205)).isTrue();
    assertThat(r.contains(300)).isTrue();
    assertThat(r.toString()).isEqualTo("100-199,205,300");
    assertThatThrownBy(() -> VmidRanges.parse("200-100")).hasMessageContaining("200-100");
    assertThat(VmidRanges.parse("").isAll()).isTrue();
  }

  @Test
  void pveErrorsReadForPeople() {
    ProxmoxException denied = ProxmoxException.fromResponse(403, "POST", "/nodes/pve1/qemu/100/status/stop",
        "Permission check failed (/vms/100, VM.PowerMgmt)", null, true);
    assertThat(denied.permissionPath()).isEqualTo("/vms/100");
    assertThat(denied.getMessage()).contains("grant VM.PowerMgmt on /vms/100");
    ProxmoxException bad = ProxmoxException.fromResponse(400, "POST", "/nodes/pve1/qemu", "Parameter verification failed.",
        Map.of("vmid", "invalid format", "memory", "too small"), true);
    assertThat(bad.getMessage()).endsWith("memory: too small; vmid: invalid format");
  }
}
