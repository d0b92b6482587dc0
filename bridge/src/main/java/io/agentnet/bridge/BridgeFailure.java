package io.agentnet.bridge;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The typed failures the bridge puts on the event bus. Each is a {@link ReplyException} whose
 * failure code is one of these (HTTP-like, so they read naturally) and whose message says what a
 * person can do about it. The {@link ReplyFailure} type mirrors local event bus semantics: a NATS
 * request with no responders fails like a local send with no handlers, a NATS timeout like a local
 * timeout, a remote handler's failure like a local recipient failure carrying the remote code.
 */
public enum BridgeFailure {
  /** The message itself is unusable (bad JSON, wrong body type, subject not allowed). Permanent. */
  BAD_REQUEST(400, ReplyFailure.RECIPIENT_FAILURE),
  /** A KV bucket the bridge does not serve (not configured). Permanent. */
  NOT_FOUND(404, ReplyFailure.RECIPIENT_FAILURE),
  /**
   * A KV write lost a race: create found a value, or update found another revision. Permanent for
   * this request; read again and decide.
   */
  CONFLICT(409, ReplyFailure.RECIPIENT_FAILURE),
  /** The payload is larger than the configured or server limit. Permanent. */
  PAYLOAD_TOO_LARGE(413, ReplyFailure.RECIPIENT_FAILURE),
  /** A remote handler failed without giving a code of its own. */
  HANDLER_FAILURE(500, ReplyFailure.RECIPIENT_FAILURE),
  /** Nothing on NATS listens on the subject. */
  NO_RESPONDERS(503, ReplyFailure.NO_HANDLERS),
  /** No reply came within the request timeout. */
  TIMEOUT(504, ReplyFailure.TIMEOUT),
  /** NATS is unreachable and the outbound buffer is full: the message was not accepted. */
  BUFFER_FULL(507, ReplyFailure.RECIPIENT_FAILURE),
  /** NATS refused or failed the operation (JetStream API error, publish not acknowledged). */
  NATS_ERROR(502, ReplyFailure.RECIPIENT_FAILURE),
  /** NATS is not connected right now, so a request cannot be sent (publishes are buffered instead). */
  NOT_CONNECTED(503, ReplyFailure.NO_HANDLERS),
  /** The bridge is stopping and will not take the message. */
  SHUTTING_DOWN(503, ReplyFailure.RECIPIENT_FAILURE);

  private final int code;
  private final ReplyFailure replyFailure;

  BridgeFailure(int code, ReplyFailure replyFailure) {
    this.code = code;
    this.replyFailure = replyFailure;
  }

  public int code() {
    return code;
  }

  public ReplyException exception(String message) {
    return new ReplyException(replyFailure, code, message);
  }

  /** True for failure codes that retrying cannot fix (4xx): JetStream consumers terminate these. */
  public static boolean isPermanent(int failureCode) {
    return failureCode >= 400 && failureCode < 500;
  }
}
