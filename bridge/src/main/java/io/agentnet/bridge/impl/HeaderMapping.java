package io.agentnet.bridge.impl;

import io.agentnet.bridge.BusHeaders;
import io.nats.client.impl.Headers;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.List;
import java.util.Map;

/** NATS headers travel as event bus delivery headers of the same name, and back. */
final class HeaderMapping {

  private HeaderMapping() {
  }

  static void toBus(Headers natsHeaders, DeliveryOptions options) {
    if (natsHeaders == null || natsHeaders.isEmpty()) {
      return;
    }
    for (Map.Entry<String, List<String>> e : natsHeaders.entrySet()) {
      for (String value : e.getValue()) {
        options.addHeader(e.getKey(), value);
      }
    }
  }

  /** The bus headers to forward, without the reserved transport ones; null when there are none. */
  static Headers toNats(MultiMap busHeaders) {
    if (busHeaders == null || busHeaders.isEmpty()) {
      return null;
    }
    Headers headers = null;
    for (Map.Entry<String, String> e : busHeaders) {
      if (!BusHeaders.isReserved(e.getKey())) {
        if (headers == null) {
          headers = new Headers();
        }
        headers.add(e.getKey(), e.getValue());
      }
    }
    return headers;
  }
}
