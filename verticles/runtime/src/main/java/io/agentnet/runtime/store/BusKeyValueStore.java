package io.agentnet.runtime.store;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.config.KvBucketSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The NATS-mode adapter: a JetStream KV bucket served by this process's bridge on the event bus
 * ({@code agentnet.kv}, see the bridge's {@code KvBucketSpec} and docs/ARCHITECTURE.md). Each
 * operation is one bus request; the bridge runs the blocking jnats call on a worker.
 *
 * <p>Failures: 409 becomes {@link StoreException.Reason#CONFLICT}, 400 and 413 (bad key, value too
 * large) {@link StoreException.Reason#INVALID}, anything else (no bridge, timeout, NATS down, unknown
 * bucket) {@link StoreException.Reason#UNAVAILABLE} with the bridge's reason.
 */
public final class BusKeyValueStore implements KeyValueStore {

  public static final String DEFAULT_ADDRESS = "agentnet.kv";
  /** Longer than the bridge's own limits (JetStream requests, listings), so its reason arrives first. */
  public static final long SEND_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String bucket;
  private final String address;

  public BusKeyValueStore(Vertx vertx, String bucket) {
    this(vertx, bucket, DEFAULT_ADDRESS);
  }

  public BusKeyValueStore(Vertx vertx, String bucket, String address) {
    this.vertx = vertx;
    this.bucket = bucket;
    this.address = address;
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public Future<KvEntry> get(String key) {
    return request("get", key, null, -1).map(reply -> reply.containsKey("key")
        ? new KvEntry(reply.getString("key"), reply.getJsonObject("value"), reply.getLong("revision")) : null);
  }

  @Override
  public Future<Long> put(String key, JsonObject value) {
    return request("put", key, value, -1).map(reply -> reply.getLong("revision"));
  }

  @Override
  public Future<Long> create(String key, JsonObject value) {
    return request("create", key, value, -1).map(reply -> reply.getLong("revision"));
  }

  @Override
  public Future<Long> update(String key, JsonObject value, long expectedRevision) {
    if (expectedRevision < 0) {
      return Future.failedFuture(new StoreException(StoreException.Reason.INVALID,
          bucket + ": an expected revision is never negative, got " + expectedRevision));
    }
    return request("update", key, value, expectedRevision).map(reply -> reply.getLong("revision"));
  }

  @Override
  public Future<Void> delete(String key) {
    return request("delete", key, null, -1).mapEmpty();
  }

  @Override
  public Future<List<String>> keys() {
    return request("keys", null, null, -1).map(reply -> {
      List<String> keys = new ArrayList<>();
      reply.getJsonArray("keys", new JsonArray()).forEach(k -> keys.add((String) k));
      return keys;
    });
  }

  @Override
  public Future<List<KvEntry>> entries() {
    return request("entries", null, null, -1).map(reply -> {
      List<KvEntry> entries = new ArrayList<>();
      for (Object o : reply.getJsonArray("entries", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        entries.add(new KvEntry(e.getString("key"), e.getJsonObject("value"), e.getLong("revision")));
      }
      return entries;
    });
  }

  private Future<JsonObject> request(String op, String key, JsonObject value, long revision) {
    boolean keyed = !op.equals("keys") && !op.equals("entries");
    if (keyed) {
      // the bridge checks the same rule; checking here saves the round trip and words it like the local adapter
      String problem = KvBucketSpec.keyProblem(key);
      if (problem != null) {
        return Future.failedFuture(new StoreException(StoreException.Reason.INVALID, bucket + ": " + problem));
      }
    }
    boolean writes = op.equals("put") || op.equals("create") || op.equals("update");
    if (writes && value == null) {
      return Future.failedFuture(new StoreException(StoreException.Reason.INVALID,
          bucket + ": " + op + " of key " + key + " needs a value (a JSON object)"));
    }
    JsonObject body = new JsonObject().put("op", op).put("bucket", bucket);
    if (keyed) {
      body.put("key", key);
    }
    if (value != null) {
      body.put("value", value);
    }
    if (revision >= 0) {
      body.put("revision", revision);
    }
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
        .recover(err -> Future.failedFuture(storeFailure(op, key, err)))
        .map(msg -> msg.body());
  }

  /** The bridge's failure as a StoreException; the bridge's message already names bucket and key. */
  StoreException storeFailure(String op, String key, Throwable err) {
    String what = bucket + (key == null ? "" : "/" + key);
    if (err instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        int code = reply.failureCode();
        if (code == BridgeFailure.CONFLICT.code()) {
          return new StoreException(StoreException.Reason.CONFLICT, reply.getMessage());
        }
        if (code == BridgeFailure.BAD_REQUEST.code() || code == BridgeFailure.PAYLOAD_TOO_LARGE.code()) {
          return new StoreException(StoreException.Reason.INVALID, reply.getMessage());
        }
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS && reply.failureCode() == -1) {
        return new StoreException(StoreException.Reason.UNAVAILABLE, "kv " + op + " " + what
            + ": nothing serves " + address + " (is the NATS bridge deployed in this process?)");
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT && reply.failureCode() == -1) {
        return new StoreException(StoreException.Reason.UNAVAILABLE, "kv " + op + " " + what
            + ": no answer from the bridge on " + address + " within " + SEND_TIMEOUT_MS + " ms");
      }
      if (reply.failureCode() >= 0 && reply.getMessage() != null) {
        // the bridge's own failure (404, 502, 503): its message names the bucket and what to do
        return new StoreException(StoreException.Reason.UNAVAILABLE, reply.getMessage());
      }
    }
    return new StoreException(StoreException.Reason.UNAVAILABLE, "kv " + op + " " + what + ": "
        + (err.getMessage() == null ? err.toString() : err.getMessage()));
  }
}
