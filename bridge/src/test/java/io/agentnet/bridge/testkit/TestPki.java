package io.agentnet.bridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A throw-away public key infrastructure for TLS tests: a CA, a server certificate and a client certificate,
 * generated fresh for each test run and written as PEM files into a private temporary directory.
 *
 * <p>All keys are EC P-256, certificates are signed with SHA256withECDSA by the CA and are valid from one hour
 * ago until one day from now.
 * <ul>
 *   <li>{@link #caCert()} – the self-signed CA certificate ({@code ca.pem}).</li>
 *   <li>{@link #serverCert()} / {@link #serverKey()} – {@code CN=localhost}, SANs {@code DNS:localhost} and
 *       {@code IP:127.0.0.1}, extended key usage serverAuth (and clientAuth, so it can also be used for
 *       route/leaf-node TLS).</li>
 *   <li>{@link #clientCert()} / {@link #clientKey()} – {@code CN=agentnet-test-client}, extended key usage
 *       clientAuth.</li>
 * </ul>
 * Private keys are unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
 *
 * <p>Only the JDK's default JCA providers are used for key generation and signing; BouncyCastle is used to build
 * the certificates and write the PEM files, no security provider is registered. {@link #close()} deletes the
 * directory.
 *
 * <pre>{@code
 * try (TestPki pki = TestPki.create();
 *      NatsServerProcess nats = NatsServerProcess.builder().tls(pki, true).start()) {
 *     ...
 * }
 * }</pre>
 */
public final class TestPki implements AutoCloseable {

    /** Common name of the server certificate. */
    public static final String SERVER_CN = "localhost";
    /** Common name of the client certificate. */
    public static final String CLIENT_CN = "agentnet-test-client";
    /** Common name of the CA certificate. */
    public static final String CA_CN = "agentnet-test-ca";

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Path caCert;
    private final Path serverCert;
    private final Path serverKey;
    private final Path clientCert;
    private final Path clientKey;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server-cert.pem");
        this.serverKey = dir.resolve("server-key.pem");
        this.clientCert = dir.resolve("client-cert.pem");
        this.clientKey = dir.resolve("client-key.pem");
    }

    /**
     * Generates a new CA, server and client certificate into a new temporary directory.
     *
     * @throws IllegalStateException if the keys or certificates cannot be generated
     * @throws UncheckedIOException  if the files cannot be written
     */
    public static TestPki create() {
        Path dir;
        try {
            dir = Files.createTempDirectory("agentnet-pki-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the test PKI", e);
        }
        TestPki pki = new TestPki(dir);
        try {
            pki.generate();
            return pki;
        } catch (RuntimeException e) {
            pki.close();
            throw e;
        }
    }

    private void generate() {
        try {
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
            Date notAfter = Date.from(now.plus(Duration.ofDays(1)));
            JcaX509ExtensionUtils extUtils = new JcaX509ExtensionUtils();

            // CA
            KeyPair caKeys = newKeyPair();
            X500Name caName = new X500Name("CN=" + CA_CN + ",O=agentnet");
            JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
                    caName, serial(), notBefore, notAfter, caName, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            ca.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            ca.addExtension(Extension.subjectKeyIdentifier, false,
                    extUtils.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

            // server
            KeyPair serverKeys = newKeyPair();
            JcaX509v3CertificateBuilder server = leaf(caCertificate, "CN=" + SERVER_CN + ",O=agentnet",
                    serverKeys.getPublic(), notBefore, notAfter, extUtils);
            server.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            server.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate serverCertificate = sign(server, caKeys.getPrivate());

            // client
            KeyPair clientKeys = newKeyPair();
            JcaX509v3CertificateBuilder client = leaf(caCertificate, "CN=" + CLIENT_CN + ",O=agentnet",
                    clientKeys.getPublic(), notBefore, notAfter, extUtils);
            client.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            X509Certificate clientCertificate = sign(client, caKeys.getPrivate());

            writePem(caCert, "CERTIFICATE", caCertificate.getEncoded());
            writePem(serverCert, "CERTIFICATE", serverCertificate.getEncoded());
            writePem(serverKey, "PRIVATE KEY", serverKeys.getPrivate().getEncoded());
            writePem(clientCert, "CERTIFICATE", clientCertificate.getEncoded());
            writePem(clientKey, "PRIVATE KEY", clientKeys.getPrivate().getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the test PKI: " + e, e);
        }
    }

    private static JcaX509v3CertificateBuilder leaf(X509Certificate issuer, String subject, PublicKey key,
                                                    Date notBefore, Date notAfter, JcaX509ExtensionUtils extUtils)
            throws GeneralSecurityException, IOException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                issuer, serial(), notBefore, notAfter, new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(Extension.subjectKeyIdentifier, false, extUtils.createSubjectKeyIdentifier(key));
        b.addExtension(Extension.authorityKeyIdentifier, false, extUtils.createAuthorityKeyIdentifier(issuer));
        return b;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKey);
        X509CertificateHolder holder = builder.build(signer);
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             PemWriter pem = new PemWriter(out)) {
            pem.writeObject(new PemObject(type, der));
        }
    }

    /** The directory holding the PEM files. */
    public Path directory() {
        return dir;
    }

    /** The CA certificate, PEM ({@code ca.pem}). */
    public Path caCert() {
        return caCert;
    }

    /** The server certificate, PEM ({@code server-cert.pem}); CN=localhost, SANs localhost and 127.0.0.1. */
    public Path serverCert() {
        return serverCert;
    }

    /** The server's private key, unencrypted PKCS#8 PEM ({@code server-key.pem}). */
    public Path serverKey() {
        return serverKey;
    }

    /** The client certificate, PEM ({@code client-cert.pem}); CN=agentnet-test-client, EKU clientAuth. */
    public Path clientCert() {
        return clientCert;
    }

    /** The client's private key, unencrypted PKCS#8 PEM ({@code client-key.pem}). */
    public Path clientKey() {
        return clientKey;
    }

    /** Deletes the directory and the PEM files; idempotent. */
    @Override
    public void close() {
        FileTrees.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "TestPki[" + dir + "]";
    }
}
