package io.agentnet.mcp.proxmox.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;

/**
 * The TLS trust for the Proxmox API: the JDK's default trust store, a CA from a PEM file, a pinned
 * SHA-256 certificate fingerprint (PVE's self-signed certificate, as the web UI shows it), or - only
 * when asked explicitly - none at all.
 */
public final class TlsTrust {

  private TlsTrust() {
  }

  /** The SSL context the options ask for. */
  public static SSLContext sslContext(ProxmoxOptions options) {
    try {
      if (!options.verifyTls()) {
        return context(new PinnedTrustManager(null));
      }
      if (options.fingerprint() != null) {
        return context(new PinnedTrustManager(options.fingerprint()));
      }
      if (options.caFile() != null) {
        return caContext(Path.of(options.caFile()));
      }
      return SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for Proxmox: " + e.getMessage(), e);
    }
  }

  private static SSLContext context(TrustManager trustManager) throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {trustManager}, null);
    return ctx;
  }

  private static SSLContext caContext(Path pem) throws GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(pem)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("PROXMOX_CA_FILE " + pem + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("PROXMOX_CA_FILE " + pem + " holds no PEM certificate");
    }
    KeyStore store;
    try {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int i = 0;
    for (Certificate cert : certs) {
      store.setCertificateEntry("proxmox-ca-" + i++, cert);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** The SHA-256 fingerprint of a certificate in PVE's AA:BB:.. form. */
  public static String fingerprint(X509Certificate cert) {
    try {
      return fingerprint(cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The SHA-256 fingerprint of DER bytes in AA:BB:.. form. */
  public static String fingerprint(byte[] der) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Trusts exactly the server certificate with the pinned fingerprint, or anything when the pin is
   * null (verifyTls=false). Being an extended trust manager, the JDK does no host name check on top:
   * the pin is the identity.
   */
  private static final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final String pin;

    PinnedTrustManager(String pin) {
      this.pin = pin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (pin == null) {
        return;
      }
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the Proxmox server sent no certificate");
      }
      String actual = fingerprint(chain[0]);
      if (!actual.equals(pin)) {
        throw new CertificateException("the Proxmox server certificate (SHA-256 " + actual
            + ") does not match the pinned fingerprint PROXMOX_FINGERPRINT");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

}
