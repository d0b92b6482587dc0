package io.agentnet.bridge.impl;

import io.agentnet.bridge.config.BridgeOptions;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** Turns {@link BridgeOptions} into jnats {@link Options}. Reads key and certificate files: call on a worker. */
final class NatsConnector {

  /** jnats' own writer queue; we keep well below it (see OutboundPublisher) so it never blocks a publish. */
  static final int WRITER_QUEUE_MESSAGES = 65_536;

  private NatsConnector() {
  }

  static Options options(Vertx vertx, BridgeOptions o, ConnectionListener connectionListener,
                         ErrorListener errorListener) throws Exception {
    Backoff reconnect = new Backoff(o.getReconnectWaitMin(), o.getReconnectWaitMax(), true);
    Options.Builder b = new Options.Builder()
        .servers(o.getServers().toArray(String[]::new))
        .connectionName(o.getConnectionName())
        .connectionTimeout(o.getConnectTimeout())
        // Reconnect without limit, with growing, jittered waits.
        .maxReconnects(-1)
        .reconnectDelayHandler(reconnect::delay)
        // What we publish is already on our event bus: NATS must not hand it back to us.
        .noEcho()
        // Tell "nobody listens" apart from "nobody answered in time".
        .reportNoResponders()
        .maxMessagesInOutgoingQueue(WRITER_QUEUE_MESSAGES)
        .discardMessagesWhenOutgoingQueueFull()
        .connectionListener(connectionListener)
        .errorListener(errorListener);
    if (o.getUser() != null) {
      b.userInfo(o.getUser().toCharArray(), o.getPassword() == null ? new char[0] : o.getPassword().toCharArray());
    }
    if (o.getToken() != null) {
      b.token(o.getToken().toCharArray());
    }
    if (o.getCredsFile() != null) {
      b.authHandler(Nats.credentials(o.getCredsFile()));
    }
    if (o.getTlsCaFile() != null || o.getTlsCertFile() != null) {
      b.sslContext(sslContext(vertx, o));
    }
    return b.build();
  }

  /** An SSL context from PEM files: the CA to trust, and optionally a client certificate and key. */
  static SSLContext sslContext(Vertx vertx, BridgeOptions o) throws Exception {
    TrustManager[] trust = null;
    if (o.getTlsCaFile() != null) {
      trust = new PemTrustOptions().addCertPath(o.getTlsCaFile()).getTrustManagerFactory(vertx).getTrustManagers();
    }
    KeyManager[] keys = null;
    if (o.getTlsCertFile() != null) {
      if (o.getTlsKeyFile() == null) {
        throw new IllegalArgumentException("NATS_TLS_CERT is set but NATS_TLS_KEY is not: a client certificate needs its key");
      }
      keys = new PemKeyCertOptions().setCertPath(o.getTlsCertFile()).setKeyPath(o.getTlsKeyFile())
          .getKeyManagerFactory(vertx).getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust, null);
    return context;
  }
}
