package io.agentnet.mcp.cloud;

import io.agentnet.runtime.mcp.ToolException;

import java.nio.charset.StandardCharsets;

/** The S3 limits on object keys that every provider shares: not empty, at most 1024 UTF-8 bytes. */
public final class ObjectKeys {

  /** S3's limit on the length of a key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private ObjectKeys() {
  }

  /** Returns the key when acceptable; otherwise throws a {@link ToolException} saying why. */
  public static String validate(String key) {
    if (key == null || key.isEmpty()) {
      throw new ToolException("invalid object key: it is empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new ToolException("invalid object key: longer than " + MAX_KEY_BYTES + " bytes in UTF-8");
    }
    if (key.indexOf('\0') >= 0) {
      throw new ToolException("invalid object key: it contains a null byte");
    }
    return key;
  }
}
