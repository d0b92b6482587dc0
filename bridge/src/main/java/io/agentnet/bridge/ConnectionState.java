package io.agentnet.bridge;

/** Where the bridge's NATS connection stands. */
public enum ConnectionState {
  /** No NATS configured: the event bus alone carries messages (the embedded default). */
  LOCAL,
  /** Trying to reach NATS for the first time. */
  CONNECTING,
  /** Connected, streams provisioned, mappings live. */
  CONNECTED,
  /** The connection dropped; reconnecting with backoff while outbound messages are buffered. */
  RECONNECTING,
  /** Closed for good (the bridge stopped). */
  CLOSED
}
