package io.agentnet.runtime.store;

import io.vertx.core.json.JsonObject;

/** One key's current value and its revision (increasing per bucket, as in a JetStream stream). */
public record KvEntry(String key, JsonObject value, long revision) {

  public KvEntry {
    value = value.copy();
  }

  @Override
  public JsonObject value() {
    return value.copy();
  }
}
