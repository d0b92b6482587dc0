package io.agentnet.bridge;

/**
 * Delivery headers the bridge reads and writes on the event bus. NATS message headers travel as
 * delivery headers of the same name; these reserved ones (prefix {@code nats-}) carry the transport
 * facts and are never copied back to NATS.
 */
public final class BusHeaders {

  /** The concrete NATS subject: set on inbound messages; on outbound ones it picks the subject. */
  public static final String SUBJECT = "nats-subject";
  /** Id of the bridge that delivered the message from NATS; outbound rules skip such messages. */
  public static final String ORIGIN = "nats-bridge";
  /** JetStream: the stream, the stream sequence and how often the message has been delivered. */
  public static final String STREAM = "nats-stream";
  public static final String STREAM_SEQUENCE = "nats-stream-seq";
  public static final String DELIVERIES = "nats-deliveries";
  /** On a request through a request mapping: this request's timeout in ms, instead of the mapping's (at most the mapping's). */
  public static final String TIMEOUT = "nats-timeout-ms";
  /** Set by a sender to control JetStream de-duplication; otherwise the bridge makes one. */
  public static final String MSG_ID = "Nats-Msg-Id";

  static final String RESERVED_PREFIX = "nats-";

  private BusHeaders() {
  }

  /** True for headers that describe the transport and must not be forwarded to NATS. */
  public static boolean isReserved(String name) {
    return name.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length())
        && !name.equalsIgnoreCase(MSG_ID);
  }
}
