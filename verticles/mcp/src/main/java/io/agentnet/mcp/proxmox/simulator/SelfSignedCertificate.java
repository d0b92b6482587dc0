package io.agentnet.mcp.proxmox.simulator;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A self-signed EC P-256 certificate made at start, like the one a fresh PVE node has: subject
 * CN=&lt;name&gt;, valid for a year, with localhost and 127.0.0.1 as subject alternative names. The
 * DER is written by hand (a few ASN.1 structures) so no extra library is needed.
 */
public final class SelfSignedCertificate {

  private final byte[] certificateDer;
  private final byte[] privateKeyPkcs8;

  private SelfSignedCertificate(byte[] certificateDer, byte[] privateKeyPkcs8) {
    this.certificateDer = certificateDer;
    this.privateKeyPkcs8 = privateKeyPkcs8;
  }

  public static SelfSignedCertificate generate(String commonName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      byte[] ecdsaWithSha256 = seq(oid(1, 2, 840, 10045, 4, 3, 2));
      byte[] name = seq(set(seq(oid(2, 5, 4, 3), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      byte[] validity = seq(utcTime(now.minusDays(1)), utcTime(now.plusDays(365)));
      byte[] altNames = seq(
          tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),
          tlv(0x87, new byte[] {127, 0, 0, 1}));
      byte[] extensions = tlv(0xA3, seq(
          seq(oid(2, 5, 29, 17), tlv(0x04, altNames)),
          seq(oid(2, 5, 29, 19), tlv(0x04, seq()))));
      byte[] serial = tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray());
      byte[] tbs = seq(
          tlv(0xA0, tlv(0x02, new byte[] {2})),
          serial, ecdsaWithSha256, name, validity, name,
          keys.getPublic().getEncoded(),
          extensions);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bitString = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bitString, 1, signature.length);
      byte[] cert = seq(tbs, ecdsaWithSha256, tlv(0x03, bitString));
      return new SelfSignedCertificate(cert, keys.getPrivate().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate the simulator's certificate", e);
    }
  }

  public byte[] certificateDer() {
    return certificateDer.clone();
  }

  public String certificatePem() {
    return pem("CERTIFICATE", certificateDer);
  }

  public String privateKeyPem() {
    return pem("PRIVATE KEY", privateKeyPkcs8);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] utcTime(ZonedDateTime time) {
    return tlv(0x17, time.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int value = arcs[i];
      int groups = 1;
      for (int v = value >>> 7; v != 0; v >>>= 7) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int b = (value >>> (7 * g)) & 0x7F;
        out.write(g == 0 ? b : b | 0x80);
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] len = BigInteger.valueOf(length).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
