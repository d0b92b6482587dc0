package io.agentnet.agents.monitor;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitorOptionsTest {

  private static final Environment NO_ENV = new Environment(Map.of());

  @Test
  void defaultsWithoutConfig() {
    MonitorOptions o = MonitorOptions.fromConfig(null, NO_ENV, Duration.ofSeconds(30));
    assertThat(o.getMetricsInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(o.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.getProxmoxServer()).isEqualTo("proxmox");
    assertThat(o.getToolTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.getRemediationTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(o.getRules()).isEqualTo(AlertRules.defaults());
  }

  @Test
  void configThenEnvironment() {
    JsonObject section = new JsonObject().put("metricsIntervalSeconds", 60).put("proxmoxServer", "pve-lab")
        .put("toolTimeoutSeconds", 3).put("remediationTimeoutSeconds", 120).put("rules", new JsonArray());
    MonitorOptions fromConfig = MonitorOptions.fromConfig(section, NO_ENV, Duration.ofSeconds(5));
    assertThat(fromConfig.getMetricsInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(fromConfig.getProxmoxServer()).isEqualTo("pve-lab");
    assertThat(fromConfig.getToolTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(fromConfig.getRemediationTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(fromConfig.getRules()).isEmpty();
    assertThat(fromConfig.toJson().getDouble("metricsIntervalSeconds")).isEqualTo(60.0);

    MonitorOptions fromEnv = MonitorOptions.fromConfig(section, new Environment(Map.of("METRICS_INTERVAL", "7")),
        Duration.ofSeconds(5));
    assertThat(fromEnv.getMetricsInterval()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void errorsNameTheKeyOrVariable() {
    assertThatThrownBy(() -> MonitorOptions.fromConfig(null, new Environment(Map.of("METRICS_INTERVAL", "0")), Duration.ofSeconds(1)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("METRICS_INTERVAL").hasMessageContaining("positive");
    assertThatThrownBy(() -> MonitorOptions.fromConfig(null, new Environment(Map.of("METRICS_INTERVAL", "soon")), Duration.ofSeconds(1)))
        .hasMessageContaining("METRICS_INTERVAL: expected an integer");
    assertThatThrownBy(() -> MonitorOptions.fromConfig(new JsonObject().put("toolTimeoutSeconds", "10"), NO_ENV, Duration.ofSeconds(1)))
        .hasMessage("agents.monitor.toolTimeoutSeconds: expected a positive whole number of seconds, got 10");
    assertThatThrownBy(() -> MonitorOptions.fromConfig(new JsonObject().put("proxmoxServer", ""), NO_ENV, Duration.ofSeconds(1)))
        .hasMessageContaining("agents.monitor.proxmoxServer");
    assertThatThrownBy(() -> MonitorOptions.fromConfig(new JsonObject().put("rules", new JsonArray().add(new JsonObject())),
        NO_ENV, Duration.ofSeconds(1))).hasMessageContaining("agents.monitor.rules[0]").hasMessageContaining("name");
  }
}
