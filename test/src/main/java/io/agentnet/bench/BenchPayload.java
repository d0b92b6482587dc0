package io.agentnet.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one payload of a run: the same bytes on the wire for the raw and the bridged paths. In binary
 * mode the event bus body is a {@link Buffer} of those bytes; in JSON mode it is the
 * {@link JsonObject} {@code {"d":"aaa…"}} whose encoding is exactly those bytes.
 */
final class BenchPayload {

  private final byte[] bytes;
  private final Object busBody;

  BenchPayload(int size, BenchConfig.Format format) {
    if (format == BenchConfig.Format.JSON) {
      char[] pad = new char[size - BenchConfig.JSON_OVERHEAD];
      Arrays.fill(pad, 'a');
      JsonObject json = new JsonObject().put("d", new String(pad));
      this.bytes = json.encode().getBytes(StandardCharsets.UTF_8);
      this.busBody = json;
    } else {
      this.bytes = new byte[size];
      for (int i = 0; i < size; i++) {
        bytes[i] = (byte) ('a' + i % 26);
      }
      this.busBody = Buffer.buffer(bytes);
    }
    if (bytes.length != size) {
      throw new IllegalStateException("payload is " + bytes.length + " bytes, wanted " + size);
    }
  }

  /** What the raw jnats clients send. */
  byte[] bytes() {
    return bytes;
  }

  /** What the event bus side sends: a Buffer or a JsonObject. */
  Object busBody() {
    return busBody;
  }

  int size() {
    return bytes.length;
  }

  /** The payload size of a reply body, cheaply (a JSON reply is not re-encoded to be measured). */
  static int size(Object body) {
    if (body instanceof Buffer b) {
      return b.length();
    }
    if (body instanceof JsonObject json) {
      String d = json.getString("d");
      return d == null ? -1 : d.length() + BenchConfig.JSON_OVERHEAD;
    }
    return -1;
  }
}
