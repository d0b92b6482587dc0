package io.agentnet.agents.specialist;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry against the catalogue's table, without Vert.x. */
class SkillsTest {

  private final Skills skills = Skills.standard(Duration.ofSeconds(90));

  @Test
  void everyActionOfTheCatalogueWithItsCapability() {
    Map<String, String> catalogue = new TreeMap<>(Map.ofEntries(
        Map.entry("validate_placement", "validation"), Map.entry("create_vm", "provisioning"),
        Map.entry("wait_task", "provisioning"), Map.entry("start_vm", "provisioning"),
        Map.entry("verify_vm", "validation"), Map.entry("remove_vm", "provisioning"),
        Map.entry("diagnose", "diagnosis"), Map.entry("remediate", "remediation"),
        Map.entry("verify_health", "diagnosis"), Map.entry("collect_metrics", "metrics"),
        Map.entry("plan_rebalance", "rebalancing"), Map.entry("execute_migrations", "remediation"),
        Map.entry("report_rebalance", "metrics"), Map.entry("mcp_call", "general")));
    assertThat(skills.actions()).containsExactlyElementsOf(catalogue.keySet());
    catalogue.forEach((action, capability) -> {
      assertThat(skills.find(action)).as(action).hasValueSatisfying(s -> {
        assertThat(s.action()).isEqualTo(action);
        assertThat(s.capability()).isEqualTo(capability);
      });
      assertThat(skills.capabilityOf(action)).hasValue(capability);
    });
    assertThat(skills.find("format_disk")).isEmpty();
    assertThat(skills.find(null)).isEmpty();
    assertThat(skills.taskWaitTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void capabilitiesOfActionsAndActionsOfCapabilities() {
    assertThat(skills.capabilitiesOf(List.of("validate_placement", "create_vm", "wait_task", "verify_vm")))
        .containsExactly("provisioning", "validation");
    assertThatThrownBy(() -> skills.capabilitiesOf(List.of("diagnose", "format_disk")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown action \"format_disk\"; known actions: collect_metrics, create_vm");
    // The two specialist types of the config.
    assertThat(skills.actionsFor(List.of("general", "validation", "provisioning", "diagnosis", "remediation", "metrics",
        "rebalancing"))).isEqualTo(skills.actions());
    assertThat(skills.actionsFor(List.of("general", "diagnosis", "metrics", "rebalancing"))).containsExactly(
        "collect_metrics", "diagnose", "mcp_call", "plan_rebalance", "report_rebalance", "verify_health");
  }

  @Test
  void aRegistryRefusesTwoSkillsForOneActionAndABadTimeout() {
    Skill one = skills.find("diagnose").orElseThrow();
    assertThatThrownBy(() -> Skills.of(List.of(one, one))).hasMessage("two skills for the action diagnose");
    assertThat(Skills.of(List.of(one)).actions()).containsExactly("diagnose");
    assertThatThrownBy(() -> Skills.standard(Duration.ZERO)).hasMessageContaining("must be positive");
  }

  @Test
  void skillExceptionsSayWhetherToRetry() {
    assertThat(SkillException.permanent("bad").retryable()).isFalse();
    assertThat(SkillException.retryable("later").retryable()).isTrue();
    SkillException cancelled = SkillException.cancelled();
    assertThat(cancelled.isCancellation()).isTrue();
    assertThat(cancelled.retryable()).isFalse();
    assertThat(cancelled.withContext("x")).isSameAs(cancelled);
    SkillException wrapped = SkillException.retryable("timeout").withContext("moving VM 100");
    assertThat(wrapped.getMessage()).isEqualTo("moving VM 100: timeout");
    assertThat(wrapped.retryable()).isTrue();
  }
}
