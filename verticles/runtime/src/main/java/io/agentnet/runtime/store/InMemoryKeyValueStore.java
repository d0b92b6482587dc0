package io.agentnet.runtime.store;

import io.agentnet.bridge.config.KvBucketSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The local-mode adapter: a map in this JVM, with the JetStream KV semantics the agents rely on
 * (revisions increasing per bucket, create and compare-and-set update, entries expiring a bucket
 * TTL after their last write). Shared by every verticle of the process through {@link
 * KeyValueStores}; nothing survives a restart, which the launcher says plainly in local mode.
 */
public final class InMemoryKeyValueStore implements KeyValueStore {

  private record Stored(JsonObject value, long revision, long writtenAtMillis) {
  }

  private final String bucket;
  private final long ttlMillis;
  private final LongSupplier clock;
  private final Map<String, Stored> entries = new HashMap<>();
  private long lastRevision;

  /** @param ttl zero for no expiry */
  public InMemoryKeyValueStore(String bucket, Duration ttl, LongSupplier clockMillis) {
    this.bucket = bucket;
    this.ttlMillis = ttl.toMillis();
    this.clock = clockMillis;
  }

  public InMemoryKeyValueStore(String bucket, Duration ttl) {
    this(bucket, ttl, System::currentTimeMillis);
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public synchronized Future<KvEntry> get(String key) {
    return check(key).compose(k -> {
      Stored s = live(key);
      return Future.succeededFuture(s == null ? null : new KvEntry(key, s.value, s.revision));
    });
  }

  @Override
  public synchronized Future<Long> put(String key, JsonObject value) {
    return check(key).map(k -> write(key, value));
  }

  @Override
  public synchronized Future<Long> create(String key, JsonObject value) {
    return check(key).compose(k -> {
      Stored s = live(key);
      if (s != null) {
        return Future.failedFuture(new StoreException(StoreException.Reason.CONFLICT,
            bucket + ": key " + key + " already has a value (revision " + s.revision + ")"));
      }
      return Future.succeededFuture(write(key, value));
    });
  }

  @Override
  public synchronized Future<Long> update(String key, JsonObject value, long expectedRevision) {
    return check(key).compose(k -> {
      Stored s = live(key);
      long current = s == null ? 0 : s.revision;
      if (current != expectedRevision) {
        return Future.failedFuture(new StoreException(StoreException.Reason.CONFLICT,
            bucket + ": key " + key + " is at revision " + current + ", not " + expectedRevision));
      }
      return Future.succeededFuture(write(key, value));
    });
  }

  @Override
  public synchronized Future<Void> delete(String key) {
    return check(key).map(k -> {
      entries.remove(key);
      return null;
    });
  }

  @Override
  public synchronized Future<List<String>> keys() {
    List<String> keys = new ArrayList<>();
    for (String key : List.copyOf(entries.keySet())) {
      if (live(key) != null) {
        keys.add(key);
      }
    }
    return Future.succeededFuture(keys);
  }

  @Override
  public synchronized Future<List<KvEntry>> entries() {
    List<KvEntry> out = new ArrayList<>();
    for (String key : List.copyOf(entries.keySet())) {
      Stored s = live(key);
      if (s != null) {
        out.add(new KvEntry(key, s.value, s.revision));
      }
    }
    return Future.succeededFuture(out);
  }

  private long write(String key, JsonObject value) {
    long revision = ++lastRevision;
    entries.put(key, new Stored(value.copy(), revision, clock.getAsLong()));
    return revision;
  }

  private Stored live(String key) {
    Stored s = entries.get(key);
    if (s != null && ttlMillis > 0 && clock.getAsLong() - s.writtenAtMillis >= ttlMillis) {
      entries.remove(key);
      return null;
    }
    return s;
  }

  private Future<String> check(String key) {
    String problem = KvBucketSpec.keyProblem(key);
    return problem == null ? Future.succeededFuture(key)
        : Future.failedFuture(new StoreException(StoreException.Reason.INVALID, bucket + ": " + problem));
  }
}
