package io.agentnet.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A bucket of JSON values by key with revisions: the port through which agents keep durable state
 * (workflows, task results, the registry, the leader lease). In NATS mode a JetStream KV bucket
 * behind the bridge; in local mode a map in memory. Both adapters pass the same contract test.
 *
 * <p>Failures are {@link StoreException}s: {@link StoreException.Reason#CONFLICT} when a
 * {@link #create} finds the key or an {@link #update} finds another revision, {@link
 * StoreException.Reason#UNAVAILABLE} when the backing store cannot be reached. Futures complete on
 * the caller's context when called from one.
 */
public interface KeyValueStore {

  String bucket();

  /** The entry, or null when the key has none (never written, deleted or expired). */
  Future<KvEntry> get(String key);

  /** Writes unconditionally; the new revision. */
  Future<Long> put(String key, JsonObject value);

  /** Writes only when the key has no value; fails with CONFLICT otherwise. */
  Future<Long> create(String key, JsonObject value);

  /** Writes only when the key's current revision is {@code expectedRevision}; fails with CONFLICT otherwise. */
  Future<Long> update(String key, JsonObject value, long expectedRevision);

  /** Removes the key's value; succeeds when there was none. */
  Future<Void> delete(String key);

  /** Every key with a value. */
  Future<List<String>> keys();

  /** Every entry with a value (for start-up catch-up and listings). */
  Future<List<KvEntry>> entries();
}
