package io.agentnet.bridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

@SuppressWarnings("try") // jnats Connection.close() declares InterruptedException
class NatsServerProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void startsServerWithJetStreamAndRoundTripsAMessage() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start();
             Connection nc = Nats.connect(nats.url())) {
            assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + nats.port());
            assertThat(nats.isRunning()).isTrue();
            assertThat(nats.monitorPort()).isNotEqualTo(nats.port());
            assertThat(nats.storeDir()).isEqualTo(nats.directory().resolve("js"));

            Subscription sub = nc.subscribe("kit.ping");
            nc.flush(TIMEOUT);
            nc.publish("kit.ping", "hello".getBytes(StandardCharsets.UTF_8));
            Message msg = sub.nextMessage(TIMEOUT);
            assertThat(msg).isNotNull();
            assertThat(new String(msg.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");

            assertThat(nc.jetStreamManagement().getAccountStatistics().getStreams()).isZero();
            assertThat(nats.monitoringJson("/varz").getString("server_name")).isEqualTo(nats.serverName());
            assertThat(nats.logTail(200)).contains("Server is ready");
        }
    }

    @Test
    void closeStopsTheProcessAndDeletesTheDirectory() {
        NatsServerProcess nats = NatsServerProcess.builder().jetStream(false).serverName("solo").start();
        Path dir = nats.directory();
        assertThat(nats.serverName()).isEqualTo("solo");
        assertThat(dir).isDirectory();
        nats.close();
        assertThat(nats.isRunning()).isFalse();
        assertThat(dir).doesNotExist();
        nats.close(); // idempotent
    }

    @Test
    void stopAndStartAgainKeepPortAndJetStreamStore() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start()) {
            int port = nats.port();
            int monitorPort = nats.monitorPort();
            CountDownLatch reconnected = new CountDownLatch(1);
            Options options = Options.builder()
                    .server(nats.url())
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(50))
                    .connectionListener((conn, event) -> {
                        if (event == ConnectionListener.Events.RECONNECTED) {
                            reconnected.countDown();
                        }
                    })
                    .errorListener(new ErrorListener() { })
                    .build();
            try (Connection nc = Nats.connect(options)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder()
                        .name("KIT_DURABLE")
                        .subjects("kit.durable.>")
                        .storageType(StorageType.File)
                        .build());
                nc.jetStream().publish("kit.durable.1", "persisted".getBytes(StandardCharsets.UTF_8));

                nats.stop();
                assertThat(nats.isRunning()).isFalse();
                nats.startAgain();

                assertThat(nats.isRunning()).isTrue();
                assertThat(nats.port()).isEqualTo(port);
                assertThat(nats.monitorPort()).isEqualTo(monitorPort);
                assertThat(reconnected.await(10, TimeUnit.SECONDS)).as("client reconnected").isTrue();

                StreamInfo info = jsm.getStreamInfo("KIT_DURABLE");
                assertThat(info.getStreamState().getMsgCount()).isEqualTo(1);
                assertThat(new String(jsm.getMessage("KIT_DURABLE", 1).getData(), StandardCharsets.UTF_8))
                        .isEqualTo("persisted");
            }
            assertThat(nats.logTail(1000)).contains("Restored 1 message");
        }
    }

    @Test
    void startAgainRetriesWhileThePortIsStillTaken() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.builder().jetStream(false).start()) {
            nats.stop();
            CompletableFuture<Void> restarted;
            try (ServerSocket squatter = new ServerSocket(nats.port(), 1, InetAddress.getByName("127.0.0.1"))) {
                restarted = CompletableFuture.runAsync(nats::startAgain);
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (!nats.logTail(50).contains("address already in use")) {
                    assertThat(System.nanoTime() - deadline).as("bind failure logged in time").isNegative();
                    assertThat(restarted).isNotDone();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                assertThat(restarted).isNotDone();
            }
            restarted.get(10, TimeUnit.SECONDS);
            assertThat(nats.isRunning()).isTrue();
            try (Connection nc = Nats.connect(nats.url())) {
                assertThat(nc.getServerInfo().getPort()).isEqualTo(nats.port());
            }
        }
    }

    @Test
    void tlsWithClientVerificationAcceptsOnlyClientsPresentingTheCertificate() throws Exception {
        try (TestPki pki = TestPki.create();
             NatsServerProcess nats = NatsServerProcess.builder().jetStream(false).tls(pki, true).start()) {
            assertThat(nats.url()).isEqualTo("tls://127.0.0.1:" + nats.port());

            Options withCert = Options.builder()
                    .server(nats.url())
                    .sslContext(sslContext(pki, true))
                    .connectionTimeout(TIMEOUT)
                    .build();
            try (Connection nc = Nats.connect(withCert)) {
                assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                nc.flush(TIMEOUT);
            }

            Options withoutCert = Options.builder()
                    .server(nats.url())
                    .sslContext(sslContext(pki, false))
                    .connectionTimeout(Duration.ofSeconds(1))
                    .maxReconnects(0)
                    .errorListener(new ErrorListener() { })
                    .build();
            assertThatThrownBy(() -> {
                try (Connection nc = Nats.connect(withoutCert)) {
                    nc.flush(TIMEOUT);
                }
            }).isInstanceOf(IOException.class);
            // the server logs the failed handshake on its own schedule, possibly after the client gave up
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!nats.logTail(50).contains("TLS handshake error")) {
                assertThat(System.nanoTime() - deadline).as("handshake error logged in time").isNegative();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    @Test
    void extraConfigAuthorizationRequiresCredentials() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.builder()
                .jetStream(false)
                .extraConfig("authorization { user: alice, password: s3cret }")
                .maxPayload(2 * 1024 * 1024)
                .start()) {
            Options anonymous = Options.builder()
                    .server(nats.url())
                    .connectionTimeout(TIMEOUT) // a timeout would be another exception than the refusal
                    .maxReconnects(0)
                    .errorListener(new ErrorListener() { })
                    .build();
            assertThatThrownBy(() -> Nats.connect(anonymous).close())
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("Authorization Violation");

            Options alice = Options.builder().server(nats.url()).userInfo("alice", "s3cret").build();
            try (Connection nc = Nats.connect(alice)) {
                assertThat(nc.getServerInfo().getMaxPayload()).isEqualTo(2L * 1024 * 1024);
            }
        }
    }

    @Test
    void invalidConfigFailsFastWithTheLogInTheMessage() {
        assertThatThrownBy(() -> NatsServerProcess.builder().extraConfig("no_such_option: {").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("Parse error on line")
                .hasMessageContaining("no_such_option: {");
    }

    @Test
    void missingBinaryGivesAClearMessage(@TempDir Path emptyDir) {
        NatsServerProcess.Builder badEnv = NatsServerProcess.builder()
                .environment(Map.of("NATS_SERVER_BIN", emptyDir.resolve("nats-server").toString()));
        assertThatThrownBy(badEnv::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nats-server not found")
                .hasMessageContaining("install it (apt-get install nats-server) or set NATS_SERVER_BIN");

        NatsServerProcess.Builder emptyPath = NatsServerProcess.builder()
                .environment(Map.of("PATH", emptyDir.toString()));
        assertThatThrownBy(emptyPath::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("nats-server not found on PATH; install it (apt-get install nats-server) "
                        + "or set NATS_SERVER_BIN");
    }

    @Test
    void configQuotingEscapesSpecialCharacters() {
        assertThat(NatsServerProcess.quote("/tmp/a \"b\"\\c")).isEqualTo("\"/tmp/a \\\"b\\\"\\\\c\"");
    }

    /** An SSLContext trusting the test CA, presenting the client certificate if {@code withClientCert}. */
    static SSLContext sslContext(TestPki pki, boolean withClientCert) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate ca;
        try (var in = Files.newInputStream(pki.caCert())) {
            ca = cf.generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);

        KeyManagerFactory kmf = null;
        if (withClientCert) {
            Certificate clientCert;
            try (var in = Files.newInputStream(pki.clientCert())) {
                clientCert = cf.generateCertificate(in);
            }
            String pem = Files.readString(pki.clientKey(), StandardCharsets.US_ASCII);
            byte[] der = Base64.getMimeDecoder().decode(pem
                    .replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
            PrivateKey key = KeyFactory.getInstance(clientCert.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            char[] password = "changeit".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, password, new Certificate[] {clientCert, ca});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
