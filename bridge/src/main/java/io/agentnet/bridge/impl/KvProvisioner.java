package io.agentnet.bridge.impl;

import io.agentnet.bridge.config.KvBucketSpec;
import io.agentnet.bridge.config.StreamSpec;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure the configured KV buckets exist, like {@link StreamProvisioner} does for streams: a
 * missing bucket is created, a matching one left alone, and one with another config is reported
 * field by field and left unchanged (shrinking history or TTL would drop entries).
 */
final class KvProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(KvProvisioner.class);
  /** A bucket is the stream KV_<name>; JetStream answers "stream not found" for a missing one. */
  static final int STREAM_NOT_FOUND = 10059;

  private KvProvisioner() {
  }

  /** Blocking: call on a worker. Returns one line per bucket describing what happened. */
  static List<String> provision(KeyValueManagement kvm, List<KvBucketSpec> specs) throws IOException {
    List<String> outcomes = new ArrayList<>();
    for (KvBucketSpec spec : specs) {
      outcomes.add(provision(kvm, spec));
    }
    return outcomes;
  }

  /** One bucket; the outcome line contains ": error: " when it could not be read or created. */
  static String provision(KeyValueManagement kvm, KvBucketSpec spec) throws IOException {
    String label = "kv " + spec.name();
    try {
      KeyValueConfiguration existing = kvm.getBucketInfo(spec.name()).getConfiguration();
      List<String> diff = differences(spec, existing);
      if (diff.isEmpty()) {
        LOG.debug("kv bucket {} exists as configured", spec.name());
        return label + ": exists as configured";
      }
      LOG.warn("kv bucket {} exists with a different config and was left unchanged, so no entry is lost: {}",
          spec.name(), String.join("; ", diff));
      return label + ": differs: " + String.join("; ", diff);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        LOG.error("kv bucket {}: cannot read its config: {}", spec.name(), e.getMessage());
        return label + ": error: " + e.getMessage();
      }
    }
    try {
      kvm.create(toConfiguration(spec));
      LOG.info("kv bucket {} created: ttl {}, history {}, values up to {} bytes, {} storage, {} replica(s)",
          spec.name(), human(spec.ttl()), spec.history(), spec.maxValueSize(), spec.storage().name().toLowerCase(),
          spec.replicas());
      return label + ": created";
    } catch (JetStreamApiException create) {
      LOG.error("kv bucket {} could not be created: {}", spec.name(), create.getMessage());
      return label + ": error: " + create.getMessage();
    }
  }

  static KeyValueConfiguration toConfiguration(KvBucketSpec spec) {
    return KeyValueConfiguration.builder()
        .name(spec.name())
        .ttl(spec.ttl())
        .maxHistoryPerKey(spec.history())
        .maxValueSize(spec.maxValueSize())
        .storageType(storage(spec))
        .replicas(spec.replicas())
        .build();
  }

  /** What differs between the wanted spec and an existing bucket, in words; empty when they match. */
  static List<String> differences(KvBucketSpec spec, KeyValueConfiguration existing) {
    List<String> diff = new ArrayList<>();
    Duration ttl = existing.getTtl() == null ? Duration.ZERO : existing.getTtl();
    if (!ttl.equals(spec.ttl())) {
      diff.add("ttl " + human(ttl) + " (wanted " + human(spec.ttl()) + ")");
    }
    if (existing.getMaxHistoryPerKey() != spec.history()) {
      diff.add("history " + existing.getMaxHistoryPerKey() + " (wanted " + spec.history() + ")");
    }
    if (existing.getMaxValueSize() != spec.maxValueSize()) {
      diff.add("max value size " + sizeText(existing.getMaxValueSize()) + " (wanted " + spec.maxValueSize()
          + " bytes)");
    }
    if (existing.getStorageType() != storage(spec)) {
      diff.add("storage " + existing.getStorageType() + " (wanted " + storage(spec) + ")");
    }
    if (existing.getReplicas() != spec.replicas()) {
      diff.add("replicas " + existing.getReplicas() + " (wanted " + spec.replicas() + ")");
    }
    return diff;
  }

  private static StorageType storage(KvBucketSpec spec) {
    return spec.storage() == StreamSpec.Storage.MEMORY ? StorageType.Memory : StorageType.File;
  }

  private static String sizeText(long bytes) {
    return bytes < 0 ? "unlimited" : bytes + " bytes";
  }

  static String human(Duration d) {
    return d.isZero() ? "none" : d.toString().substring(2).toLowerCase();
  }
}
