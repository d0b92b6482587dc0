package io.agentnet.bridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

class TestPkiTest {

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void generatesCaSignedServerAndClientCertificates() throws Exception {
        Path dir;
        try (TestPki pki = TestPki.create()) {
            dir = pki.directory();
            assertThat(List.of(pki.caCert(), pki.serverCert(), pki.serverKey(), pki.clientCert(), pki.clientKey()))
                    .allSatisfy(p -> assertThat(p).isRegularFile().hasParent(pki.directory()));
            assertThat(Files.readString(pki.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(Files.readString(pki.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----");

            X509Certificate ca = read(pki.caCert());
            X509Certificate server = read(pki.serverCert());
            X509Certificate client = read(pki.clientCert());

            ca.verify(ca.getPublicKey());
            server.verify(ca.getPublicKey());
            client.verify(ca.getPublicKey());
            assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            assertThat(server.getBasicConstraints()).isEqualTo(-1);

            Date now = new Date();
            for (X509Certificate cert : List.of(ca, server, client)) {
                cert.checkValidity(now);
                assertThat(cert.getNotBefore()).isBefore(new Date(now.getTime() - 3_000_000L));
            }

            assertThat(server.getSubjectX500Principal().getName()).contains("CN=localhost");
            assertThat(server.getSubjectAlternativeNames())
                    .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
            assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");

            assertThat(client.getSubjectX500Principal().getName()).contains("CN=agentnet-test-client");
            assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
            assertThat(client.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        }
        assertThat(dir).doesNotExist();
    }
}
