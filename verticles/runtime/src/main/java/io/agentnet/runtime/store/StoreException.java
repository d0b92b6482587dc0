package io.agentnet.runtime.store;

/** Why a {@link KeyValueStore} operation failed. */
public final class StoreException extends RuntimeException {

  public enum Reason {
    /** create found a value, or update found another revision. */
    CONFLICT,
    /** The backing store (NATS, JetStream) could not be reached or refused the operation. */
    UNAVAILABLE,
    /** The key or value is not acceptable (bad key characters, value too large). */
    INVALID
  }

  private final Reason reason;

  public StoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public static boolean isConflict(Throwable t) {
    return t instanceof StoreException e && e.reason == Reason.CONFLICT;
  }
}
