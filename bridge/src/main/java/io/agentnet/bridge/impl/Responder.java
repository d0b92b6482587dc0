package io.agentnet.bridge.impl;

import io.nats.client.impl.Headers;

/** Where the answer to one NATS request goes: a plain reply subject or a micro service message. */
interface Responder {

  void respond(byte[] data, Headers headers);

  /** A failure the requester can read: micro service error headers with a code and a message. */
  void fail(int code, String message);
}
