package io.agentnet.bridge.impl;

import io.agentnet.bridge.BridgeFailure;
import io.nats.client.impl.Headers;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * One message on its way from the event bus to NATS. When the sender asked for a reply it is told
 * the outcome: the subject (and for JetStream the stream, sequence and duplicate flag), or a typed
 * failure.
 */
final class PendingPublish {

  /** Per-message bookkeeping overhead counted against the buffer's byte bound. */
  private static final int OVERHEAD = 64;

  final String mapping;
  final String subject;
  final Headers headers;
  final byte[] data;
  final boolean jetStream;
  final String msgId;
  private final Message<?> source;
  int attempts;
  long notBeforeNanos;

  PendingPublish(String mapping, String subject, Headers headers, byte[] data, boolean jetStream, String msgId,
                 Message<?> source) {
    this.mapping = mapping;
    this.subject = subject;
    this.headers = headers;
    this.data = data;
    this.jetStream = jetStream;
    this.msgId = msgId;
    this.source = source;
  }

  long size() {
    return data.length + subject.length() + OVERHEAD;
  }

  boolean wantsReply() {
    return source != null && source.replyAddress() != null;
  }

  void succeed(JsonObject outcome) {
    if (source != null && source.replyAddress() != null) {
      source.reply(outcome);
    }
  }

  void fail(BridgeFailure failure, String message) {
    if (source != null && source.replyAddress() != null) {
      source.reply(failure.exception(message));
    }
  }
}
