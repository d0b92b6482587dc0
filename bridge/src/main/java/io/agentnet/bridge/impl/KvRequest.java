package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.config.JsonTypes;
import io.agentnet.bridge.config.KvBucketSpec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Locale;

/**
 * One KV operation as it arrives on the bridge's KV address: {@code {op, bucket, key?, value?,
 * revision?}}. {@link #parse} checks everything that does not need NATS, so a malformed request is
 * a 400 naming the problem and never reaches JetStream.
 */
record KvRequest(Op op, String bucket, String key, JsonObject value, long revision) {

  enum Op {
    GET(true, false), PUT(true, true), CREATE(true, true), UPDATE(true, true), DELETE(true, false),
    KEYS(false, false), ENTRIES(false, false);

    final boolean needsKey;
    final boolean needsValue;

    Op(boolean needsKey, boolean needsValue) {
      this.needsKey = needsKey;
      this.needsValue = needsValue;
    }

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The request, or a BAD_REQUEST failure saying what is wrong with it. */
  static KvRequest parse(Object body) throws ReplyException {
    if (!(body instanceof JsonObject json)) {
      throw bad("a KV request must be a JSON object {op, bucket, key?, value?, revision?}, got "
          + (body == null ? "nothing" : body.getClass().getSimpleName()));
    }
    Op op = op(json.getValue("op"));
    Object bucketValue = json.getValue("bucket");
    if (!(bucketValue instanceof String bucket)) {
      throw bad("\"bucket\" is required (a string) for " + op.wireName());
    }
    String bucketProblem = KvBucketSpec.nameProblem(bucket);
    if (bucketProblem != null) {
      throw bad(bucketProblem);
    }
    String key = null;
    if (op.needsKey) {
      Object keyValue = json.getValue("key");
      if (!(keyValue instanceof String k)) {
        throw bad("\"key\" is required (a string) for " + op.wireName());
      }
      String keyProblem = KvBucketSpec.keyProblem(k);
      if (keyProblem != null) {
        throw bad(keyProblem);
      }
      key = k;
    }
    JsonObject value = null;
    if (op.needsValue) {
      Object v = json.getValue("value");
      if (!(v instanceof JsonObject object)) {
        throw bad("\"value\" must be a JSON object for " + op.wireName() + ", got " + typeName(v));
      }
      value = object;
    }
    long revision = -1;
    if (op == Op.UPDATE) {
      Object r = json.getValue("revision");
      if (!(r instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
        throw bad("\"revision\" must be a non-negative integer for update (the revision last read; 0 for a key "
            + "without a value), got " + (r == null ? "nothing" : r));
      }
      revision = n.longValue();
    }
    return new KvRequest(op, bucket, key, value, revision);
  }

  private static Op op(Object raw) {
    String allowed = String.join(", ", Arrays.stream(Op.values()).map(Op::wireName).toList());
    if (!(raw instanceof String s)) {
      throw bad("\"op\" is required: one of " + allowed);
    }
    try {
      return Op.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("unknown op \"" + s + "\": expected one of " + allowed);
    }
  }

  /** A missing value reads as "nothing" here: the caller left it out. */
  private static String typeName(Object v) {
    return v == null ? "nothing" : JsonTypes.name(v);
  }

  private static ReplyException bad(String problem) {
    return BridgeFailure.BAD_REQUEST.exception(problem);
  }

  /** For logs and metrics: what the request is about, without its value. */
  String describe() {
    return op.wireName() + " " + bucket + (key == null ? "" : "/" + key);
  }
}
