package io.agentnet.bridge.impl;

import io.agentnet.bridge.config.StreamSpec;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamProvisionerTest {

  private final StreamSpec events = StreamSpec.defaults().get(0);

  @Test
  void theSeedsStreamsAreTheDefaults() {
    assertThat(StreamSpec.defaults()).extracting(StreamSpec::name)
        .containsExactly("AI_EVENTS", "AI_WORKFLOWS", "AI_METRICS", "AI_DLQ");
    StreamConfiguration workflows = StreamProvisioner.toConfiguration(StreamSpec.defaults().get(1));
    assertThat(workflows.getRetentionPolicy()).isEqualTo(RetentionPolicy.WorkQueue);
    assertThat(workflows.getSubjects()).containsExactly("ai.workflows.>");
    assertThat(StreamProvisioner.toConfiguration(StreamSpec.defaults().get(2)).getMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(StreamProvisioner.toConfiguration(events).getMaxAge()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aMatchingStreamHasNoDifferences() {
    assertThat(StreamProvisioner.differences(events, StreamProvisioner.toConfiguration(events))).isEmpty();
  }

  @Test
  void everyDifferenceIsNamedWithBothValues() {
    StreamConfiguration other = StreamConfiguration.builder().name("AI_EVENTS").subjects("ai.events.x")
        .retentionPolicy(RetentionPolicy.Interest).maxAge(Duration.ofHours(1)).storageType(StorageType.Memory)
        .replicas(3).build();
    List<String> diff = StreamProvisioner.differences(events, other);
    assertThat(diff).hasSize(5);
    assertThat(String.join("; ", diff))
        .contains("subjects [ai.events.x] (wanted [ai.events.>])")
        .contains("retention interest (wanted limits)")
        .contains("max age 1h (wanted 24h)")
        .contains("storage memory (wanted file)")
        .contains("replicas 3 (wanted 1)");
  }
}
