package io.agentnet.bridge;

/** How a NATS payload appears on the event bus. */
public enum PayloadFormat {
  /** A JSON object ({@code JsonObject}); an empty payload is an empty object. Malformed JSON is refused. */
  JSON,
  /** A UTF-8 {@code String}. */
  TEXT,
  /** The raw bytes as a {@code Buffer}. */
  BINARY
}
