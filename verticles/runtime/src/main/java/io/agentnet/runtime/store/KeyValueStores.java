package io.agentnet.runtime.store;

import io.agentnet.runtime.messaging.Messenger;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.time.Duration;

/**
 * Where a verticle gets a bucket: the in-memory adapter shared by the whole process in local mode,
 * the bridge-backed JetStream KV adapter in NATS mode ({@link BusKeyValueStore}). Verticles call
 * {@link #open}; the names and TTLs of the agents' buckets are in {@link Buckets}.
 */
public final class KeyValueStores {

  private static final String SHARED = "agentnet.kv.local";

  private KeyValueStores() {
  }

  /**
   * The bucket for this process's mode: in NATS mode ({@link Messenger#natsMode}) the JetStream KV
   * bucket behind the bridge, whose TTL is the bridge's bucket config; otherwise the process-wide
   * in-memory bucket with {@code ttl}.
   */
  public static KeyValueStore open(Vertx vertx, String bucket, Duration ttl) {
    return Messenger.natsMode(vertx) ? new BusKeyValueStore(vertx, bucket) : inMemory(vertx, bucket, ttl);
  }

  /** {@link #open(Vertx, String, Duration)} for one of the agents' {@link Buckets}, with its TTL. */
  public static KeyValueStore open(Vertx vertx, String bucket) {
    return open(vertx, bucket, Buckets.ttl(bucket));
  }

  /** The process-wide in-memory bucket of this name, created with {@code ttl} on first use. */
  public static InMemoryKeyValueStore inMemory(Vertx vertx, String bucket, Duration ttl) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(SHARED);
    return map.computeIfAbsent(bucket, b -> new Holder(new InMemoryKeyValueStore(b, ttl))).store;
  }

  private record Holder(InMemoryKeyValueStore store) implements Shareable {
  }
}
