package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.config.KvBucketSpec;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Serves the configured JetStream KV buckets on one event bus address, so verticles keep durable
 * state without importing jnats. jnats' KV calls block (each is a JetStream request), so every
 * operation runs with {@code executeBlocking(..., false)}: unordered, because operations on
 * different keys need not wait for each other, and a compare-and-set update orders itself on the
 * server. The reply goes out on the bridge's context.
 *
 * <p>Requests {@code {op, bucket, key?, value?, revision?}}; replies: get {@code {key, value,
 * revision}} or {@code {}}, put/create/update {@code {revision}}, delete {@code {}}, keys {@code
 * {keys}}, entries {@code {entries}}. Failures are {@link BridgeFailure}s: 400 bad request, 404
 * unknown bucket, 409 conflict, 413 value too large, 503 not connected, 502 anything NATS refused.
 */
final class KvService {

  private static final Logger LOG = LoggerFactory.getLogger(KvService.class);
  /** Server error "wrong last sequence": the expected revision of a create or update did not hold. */
  static final int WRONG_LAST_SEQUENCE = 10071;
  /** Server error "message size exceeds maximum allowed" (the bucket's max value size). */
  static final int MESSAGE_TOO_LARGE = 10054;
  /** Below the callers' 10 s send timeout, so they hear why instead of a bare timeout. */
  private static final Duration LISTING_TIMEOUT = Duration.ofSeconds(8);

  private final Vertx vertx;
  private final Context context;
  private final BridgeMetrics metrics;
  private final String address;
  private final Map<String, KvBucketSpec> buckets = new LinkedHashMap<>();
  /** jnats handles keep working across reconnects (same Connection object); dropped after a NATS error. */
  private final Map<String, KeyValue> handles = new ConcurrentHashMap<>();
  private volatile Connection connection;
  private MessageConsumer<Object> consumer;

  KvService(Vertx vertx, Context context, BridgeMetrics metrics, String address, List<KvBucketSpec> specs) {
    this.vertx = vertx;
    this.context = context;
    this.metrics = metrics;
    this.address = address;
    specs.forEach(s -> buckets.put(s.name(), s));
  }

  Future<Void> register() {
    consumer = vertx.eventBus().consumer(address, this::handle);
    LOG.info("kv: event bus {} serves JetStream KV buckets {}", address, buckets.keySet());
    return consumer.completion();
  }

  void connected(Connection connection) {
    this.connection = connection;
    handles.clear();
  }

  Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** A failure with its type, so the metric can name the outcome. */
  static final class KvFailure extends RuntimeException {
    final BridgeFailure type;

    KvFailure(BridgeFailure type, String message) {
      super(message, null, false, false);
      this.type = type;
    }

    ReplyException toReply() {
      return type.exception(getMessage());
    }

    String outcome() {
      return type.name().toLowerCase(Locale.ROOT);
    }
  }

  private void handle(Message<Object> msg) {
    KvRequest request;
    try {
      request = KvRequest.parse(msg.body());
    } catch (ReplyException bad) {
      metrics.kvOp("-", "-", "bad_request");
      msg.reply(bad);
      return;
    }
    KvBucketSpec spec = buckets.get(request.bucket());
    if (spec == null) {
      fail(msg, request, new KvFailure(BridgeFailure.NOT_FOUND, "bucket " + request.bucket()
          + " is not served by this bridge (it serves " + String.join(", ", buckets.keySet())
          + "); add it to bridge.kvBuckets"));
      return;
    }
    Connection conn = connection;
    if (conn == null || conn.getStatus() != Connection.Status.CONNECTED) {
      fail(msg, request, new KvFailure(BridgeFailure.NOT_CONNECTED, "NATS is not connected; kv "
          + request.describe() + " was not run (the bridge is reconnecting, try again)"));
      return;
    }
    context.<JsonObject>executeBlocking(() -> execute(conn, spec, request), false).onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.kvOp(request.bucket(), request.op().wireName(), "ok");
        msg.reply(ar.result());
      } else {
        fail(msg, request, ar.cause() instanceof KvFailure f ? f
            : new KvFailure(BridgeFailure.NATS_ERROR, "kv " + request.describe() + " failed: " + ar.cause()));
      }
    });
  }

  private void fail(Message<Object> msg, KvRequest request, KvFailure failure) {
    metrics.kvOp(request.bucket(), request.op().wireName(), failure.outcome());
    if (failure.type == BridgeFailure.NATS_ERROR) {
      LOG.warn("{}", failure.getMessage());
    } else {
      LOG.debug("kv {}: {}", request.describe(), failure.getMessage());
    }
    msg.reply(failure.toReply());
  }

  /** On a worker: the blocking jnats calls. */
  private JsonObject execute(Connection conn, KvBucketSpec spec, KvRequest r) {
    KeyValue kv = handle(conn, spec);
    try {
      return switch (r.op()) {
        case GET -> {
          KeyValueEntry e = kv.get(r.key());
          yield e == null ? new JsonObject() : entryJson(e, true);
        }
        case PUT -> revision(kv.put(r.key(), bytes(spec, r)));
        case CREATE -> revision(create(kv, r, bytes(spec, r)));
        // revision 0 means "the key has no value": create, which also passes over a delete marker
        case UPDATE -> revision(r.revision() == 0 ? create(kv, r, bytes(spec, r)) : update(kv, r, bytes(spec, r)));
        case DELETE -> {
          kv.delete(r.key());
          yield new JsonObject();
        }
        case KEYS -> new JsonObject().put("keys", new JsonArray(new ArrayList<>(kv.keys())));
        case ENTRIES -> new JsonObject().put("entries", entries(kv, r));
      };
    } catch (KvFailure f) {
      throw f;
    } catch (JetStreamApiException e) {
      handles.remove(spec.name());
      if (e.getApiErrorCode() == MESSAGE_TOO_LARGE) {
        throw new KvFailure(BridgeFailure.PAYLOAD_TOO_LARGE, "kv " + r.describe() + ": the value is larger than "
            + "the bucket allows (" + e.getMessage() + ")");
      }
      throw new KvFailure(BridgeFailure.NATS_ERROR, "kv " + r.describe() + ": JetStream refused it: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // jnats' own checks, e.g. a message over the connection's max payload
      throw new KvFailure(BridgeFailure.BAD_REQUEST, "kv " + r.describe() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvFailure(BridgeFailure.SHUTTING_DOWN, "kv " + r.describe() + ": interrupted");
    } catch (IOException | RuntimeException e) {
      handles.remove(spec.name());
      throw new KvFailure(BridgeFailure.NATS_ERROR, "kv " + r.describe() + " failed: " + e.getMessage());
    }
  }

  /** The cached handle; a missing bucket (deleted, or a server that lost its store) is provisioned again. */
  private KeyValue handle(Connection conn, KvBucketSpec spec) {
    KeyValue kv = handles.get(spec.name());
    if (kv != null) {
      return kv;
    }
    try {
      try {
        kv = conn.keyValue(spec.name());
      } catch (IOException e) {
        if (!(e.getCause() instanceof JetStreamApiException api) || api.getApiErrorCode() != KvProvisioner.STREAM_NOT_FOUND) {
          throw e;
        }
        String outcome = KvProvisioner.provision(conn.keyValueManagement(), spec);
        if (outcome.contains(": error: ")) {
          throw new KvFailure(BridgeFailure.NATS_ERROR, "bucket " + spec.name() + " does not exist and could not be "
              + "created: " + outcome);
        }
        kv = conn.keyValue(spec.name());
      }
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new KvFailure(BridgeFailure.NATS_ERROR, "bucket " + spec.name() + " is not available in JetStream ("
          + e.getMessage() + "); is JetStream enabled on the server?");
    }
    handles.put(spec.name(), kv);
    return kv;
  }

  private static byte[] bytes(KvBucketSpec spec, KvRequest r) {
    byte[] data = r.value().toBuffer().getBytes();
    if (data.length > spec.maxValueSize()) {
      throw new KvFailure(BridgeFailure.PAYLOAD_TOO_LARGE, "kv " + r.describe() + ": the value has " + data.length
          + " bytes, bucket " + spec.name() + " takes at most " + spec.maxValueSize()
          + "; keep large content elsewhere and store a reference");
    }
    return data;
  }

  private long create(KeyValue kv, KvRequest r, byte[] data) throws IOException, JetStreamApiException {
    try {
      return kv.create(r.key(), data);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
        throw e;
      }
      KeyValueEntry current = kv.get(r.key());
      if (r.op() == KvRequest.Op.UPDATE) {
        throw new KvFailure(BridgeFailure.CONFLICT, r.bucket() + ": key " + r.key() + " is at revision "
            + (current == null ? 0 : current.getRevision()) + ", not 0");
      }
      throw new KvFailure(BridgeFailure.CONFLICT, r.bucket() + ": key " + r.key() + " already has a value"
          + (current == null ? "" : " (revision " + current.getRevision() + ")"));
    }
  }

  private long update(KeyValue kv, KvRequest r, byte[] data) throws IOException, JetStreamApiException {
    try {
      return kv.update(r.key(), data, r.revision());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
        throw e;
      }
      KeyValueEntry current = kv.get(r.key());
      throw new KvFailure(BridgeFailure.CONFLICT, r.bucket() + ": key " + r.key() + " is at revision "
          + (current == null ? 0 : current.getRevision()) + ", not " + r.revision());
    }
  }

  /** Every live entry, read with one ordered consumer (last value per key) rather than a get per key. */
  private JsonArray entries(KeyValue kv, KvRequest r) throws IOException, JetStreamApiException, InterruptedException {
    List<KeyValueEntry> got = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(1);
    KeyValueWatcher watcher = new KeyValueWatcher() {
      @Override
      public void watch(KeyValueEntry entry) {
        got.add(entry);
      }

      @Override
      public void endOfData() {
        done.countDown();
      }
    };
    NatsKeyValueWatchSubscription sub = kv.watchAll(watcher, KeyValueWatchOption.IGNORE_DELETE);
    try {
      if (!done.await(LISTING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new KvFailure(BridgeFailure.NATS_ERROR, "kv " + r.describe() + ": the listing did not complete within "
            + LISTING_TIMEOUT.toMillis() + " ms (" + got.size() + " entries read so far)");
      }
    } finally {
      sub.unsubscribe();
    }
    JsonArray out = new JsonArray();
    synchronized (got) {
      for (KeyValueEntry e : got) {
        JsonObject entry = entryJson(e, false);
        if (entry != null) {
          out.add(entry);
        }
      }
    }
    return out;
  }

  /**
   * {@code {key, value, revision}}. A value that is not a JSON object was written by something else
   * than agentnet: a get fails naming the key, a listing leaves it out with a warning.
   */
  private static JsonObject entryJson(KeyValueEntry e, boolean strict) {
    JsonObject value;
    try {
      value = (JsonObject) Payloads.decode(e.getValue(), io.agentnet.bridge.PayloadFormat.JSON);
    } catch (RuntimeException notJson) {
      String problem = e.getBucket() + ": key " + e.getKey() + " (revision " + e.getRevision()
          + ") holds a value that is not a JSON object; was it written by something other than agentnet?";
      if (strict) {
        throw new KvFailure(BridgeFailure.HANDLER_FAILURE, problem);
      }
      LOG.warn("{} (left out of the listing)", problem);
      return null;
    }
    return new JsonObject().put("key", e.getKey()).put("value", value).put("revision", e.getRevision());
  }

  private static JsonObject revision(long revision) {
    return new JsonObject().put("revision", revision);
  }
}
