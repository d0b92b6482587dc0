package io.agentnet.bridge.impl;

import io.agentnet.bridge.config.StreamSpec;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Makes sure the configured streams exist. Idempotent: a missing stream is created, a matching one
 * left alone, and one with another config is reported field by field and left unchanged, because
 * changing retention or subjects of a stream that holds data can lose it.
 */
final class StreamProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(StreamProvisioner.class);
  private static final int STREAM_NOT_FOUND = 10059;

  private StreamProvisioner() {
  }

  /** Blocking: call on a worker. Returns one line per stream describing what happened. */
  static List<String> provision(JetStreamManagement jsm, List<StreamSpec> specs) throws IOException {
    List<String> outcomes = new ArrayList<>();
    for (StreamSpec spec : specs) {
      try {
        StreamConfiguration existing = jsm.getStreamInfo(spec.name()).getConfiguration();
        List<String> diff = differences(spec, existing);
        if (diff.isEmpty()) {
          outcomes.add(spec.name() + ": exists as configured");
          LOG.debug("stream {} exists as configured", spec.name());
        } else {
          outcomes.add(spec.name() + ": differs: " + String.join("; ", diff));
          LOG.warn("stream {} exists with a different config and was left unchanged, so no data is lost: {}",
              spec.name(), String.join("; ", diff));
        }
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
          outcomes.add(spec.name() + ": error: " + e.getMessage());
          LOG.error("stream {}: cannot read its config: {}", spec.name(), e.getMessage());
          continue;
        }
        try {
          jsm.addStream(toConfiguration(spec));
          outcomes.add(spec.name() + ": created");
          LOG.info("stream {} created: subjects {}, {} retention, max age {}, {} storage, {} replica(s)", spec.name(),
              spec.subjects(), spec.retention().name().toLowerCase(), human(spec.maxAge()),
              spec.storage().name().toLowerCase(), spec.replicas());
        } catch (JetStreamApiException create) {
          outcomes.add(spec.name() + ": error: " + create.getMessage());
          LOG.error("stream {} could not be created: {}", spec.name(), create.getMessage());
        }
      }
    }
    return outcomes;
  }

  static StreamConfiguration toConfiguration(StreamSpec spec) {
    return StreamConfiguration.builder()
        .name(spec.name())
        .subjects(spec.subjects())
        .retentionPolicy(retention(spec.retention()))
        .maxAge(spec.maxAge())
        .storageType(spec.storage() == StreamSpec.Storage.MEMORY ? StorageType.Memory : StorageType.File)
        .replicas(spec.replicas())
        .duplicateWindow(spec.duplicateWindow())
        .build();
  }

  /** What differs between the wanted spec and an existing stream, in words; empty when they match. */
  static List<String> differences(StreamSpec spec, StreamConfiguration existing) {
    List<String> diff = new ArrayList<>();
    if (!new HashSet<>(existing.getSubjects()).equals(new HashSet<>(spec.subjects()))) {
      diff.add("subjects " + existing.getSubjects() + " (wanted " + spec.subjects() + ")");
    }
    if (existing.getRetentionPolicy() != retention(spec.retention())) {
      diff.add("retention " + existing.getRetentionPolicy() + " (wanted " + retention(spec.retention()) + ")");
    }
    Duration age = existing.getMaxAge() == null ? Duration.ZERO : existing.getMaxAge();
    if (!age.equals(spec.maxAge())) {
      diff.add("max age " + human(age) + " (wanted " + human(spec.maxAge()) + ")");
    }
    StorageType storage = spec.storage() == StreamSpec.Storage.MEMORY ? StorageType.Memory : StorageType.File;
    if (existing.getStorageType() != storage) {
      diff.add("storage " + existing.getStorageType() + " (wanted " + storage + ")");
    }
    if (existing.getReplicas() != spec.replicas()) {
      diff.add("replicas " + existing.getReplicas() + " (wanted " + spec.replicas() + ")");
    }
    return diff;
  }

  private static RetentionPolicy retention(StreamSpec.Retention r) {
    return switch (r) {
      case LIMITS -> RetentionPolicy.Limits;
      case WORK_QUEUE -> RetentionPolicy.WorkQueue;
      case INTEREST -> RetentionPolicy.Interest;
    };
  }

  private static String human(Duration d) {
    return d.isZero() ? "unlimited" : d.toString().substring(2).toLowerCase();
  }
}
