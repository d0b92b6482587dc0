package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.agentnet.bridge.PayloadFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/** Converts event bus bodies to NATS payload bytes and back. */
public final class Payloads {

  private static final byte[] EMPTY = new byte[0];

  private Payloads() {
  }

  /** The bytes of an event bus body: JSON, text, a buffer or bytes; anything else is a bad request. */
  public static byte[] encode(Object body) throws ReplyException {
    if (body == null) {
      return EMPTY;
    } else if (body instanceof JsonObject json) {
      return json.toBuffer().getBytes();
    } else if (body instanceof Buffer buffer) {
      return buffer.getBytes();
    } else if (body instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    } else if (body instanceof byte[] bytes) {
      return bytes;
    } else if (body instanceof JsonArray array) {
      return array.toBuffer().getBytes();
    }
    throw BridgeFailure.BAD_REQUEST.exception("cannot send a " + body.getClass().getName()
        + " to NATS: use a JsonObject, JsonArray, String, Buffer or byte[] body");
  }

  /**
   * The event bus body for a NATS payload. For JSON an empty payload is an empty object (requests
   * often carry none); anything that is not a JSON object is refused with the parser's reason.
   */
  public static Object decode(byte[] data, PayloadFormat format) throws DecodeException {
    byte[] bytes = data == null ? EMPTY : data;
    return switch (format) {
      case JSON -> bytes.length == 0 ? new JsonObject() : new JsonObject(Buffer.buffer(bytes));
      case TEXT -> new String(bytes, StandardCharsets.UTF_8);
      case BINARY -> Buffer.buffer(bytes);
    };
  }
}
