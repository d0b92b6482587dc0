package io.agentnet.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectPatternTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "ai.heartbeat.*, ai.heartbeat.agent-1, true",
      "ai.heartbeat.*, ai.heartbeat, false",
      "ai.heartbeat.*, ai.heartbeat.a.b, false",
      "ai.events.>, ai.events.workflow.w1, true",
      "ai.events.>, ai.events.x, true",
      "ai.events.>, ai.events, false",
      "ai.*.status, ai.node1.status, true",
      "ai.*.status, ai.node1.health, false",
      "ai.mcp.proxmox, ai.mcp.proxmox, true",
      "ai.mcp.proxmox, ai.mcp.proxmox2, false",
      "*.>, a.b, true",
      "*.>, a, false",
      "ai.*, ai., false",
  })
  void matchesLikeNats(String pattern, String subject, boolean expected) {
    assertThat(SubjectPattern.of(pattern).matches(subject)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ai..x | empty token",
      "ai.>.x | '>' may only be the last token",
      "ai.hea*t | a wildcard must be a whole token",
      "'' | it is empty",
      "ai.x y | whitespace",
  })
  void refusesInvalidPatternsWithTheReason(String pattern, String reason) {
    assertThatThrownBy(() -> SubjectPattern.of(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void concreteSubjectsHaveNoWildcards() {
    assertThat(SubjectPattern.concreteSubjectProblem("ai.heartbeat.a1")).isNull();
    assertThat(SubjectPattern.concreteSubjectProblem("ai.heartbeat.*")).contains("wildcards are not allowed");
    assertThat(SubjectPattern.concreteSubjectProblem("ai.events.>")).contains("wildcards are not allowed");
    assertThat(SubjectPattern.concreteSubjectProblem("ai.\u0000x")).contains("control character");
  }

  @Test
  void literalPatternsAreRecognised() {
    assertThat(SubjectPattern.of("ai.orchestrator.submit").isLiteral()).isTrue();
    assertThat(SubjectPattern.of("ai.orchestrator.*").isLiteral()).isFalse();
  }
}
