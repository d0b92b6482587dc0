package io.agentnet.bridge.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One real {@code nats-server} child process for tests and benchmarks.
 *
 * <p>Each instance owns a private temporary directory ({@code nats-*}) holding the generated configuration
 * ({@code nats.conf}), the JetStream store ({@code js/}), the server log ({@code nats.log}) and the child's
 * stdout/stderr ({@code console.log}). The server listens on free loopback ports only (client port and HTTP
 * monitoring port on {@code 127.0.0.1}).
 *
 * <pre>{@code
 * try (NatsServerProcess nats = NatsServerProcess.start();
 *      Connection nc = Nats.connect(nats.url())) {
 *     ...
 *     nats.stop();          // SIGTERM, like a crash-free outage
 *     nats.startAgain();    // same ports, same JetStream store
 * }
 * }</pre>
 *
 * <p>The binary is taken from the environment variable {@value #BIN_ENV}, else {@code nats-server} on the
 * {@code PATH}. {@link Builder#start()} returns once {@code GET /healthz} on the monitoring port answers 200
 * (deadline {@link #START_TIMEOUT}); if the process exits or the deadline passes, it throws an
 * {@link IllegalStateException} carrying the tail of the server's log.
 *
 * <p>{@link #close()} stops the process and deletes the directory. Servers not closed when the JVM exits (for
 * example after a crashed test run) are killed and their directories deleted by a shutdown hook, so no orphan
 * nats-server survives the test JVM (unless the JVM itself is killed with SIGKILL). The class is thread-safe.
 *
 * <p>Note: the PKI for {@link Builder#tls} comes from {@link TestPki}, which needs
 * {@code org.bouncycastle:bcpkix-jdk18on} on the test classpath.
 */
public final class NatsServerProcess implements AutoCloseable {

    /** Environment variable naming the nats-server binary to use instead of the one on the PATH. */
    public static final String BIN_ENV = "NATS_SERVER_BIN";
    /** The loopback address every server binds to. */
    public static final String HOST = "127.0.0.1";
    /** How long {@link Builder#start()}, {@link #startAgain()} and {@link NatsCluster} wait for readiness. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    /** How long {@link #stop()} waits after SIGTERM before killing the process. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    static final int FAILURE_LOG_LINES = 30;

    private static final String NOT_FOUND_HINT = "install it (apt-get install nats-server) or set " + BIN_ENV;
    /** Servers created and not yet closed; the shutdown hook kills their processes and deletes their dirs. */
    private static final Set<NatsServerProcess> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private final Path binary;
    private final Path dir;
    private final Path configFile;
    private final Path storeDir;
    private final Path logFile;
    private final Path outputFile;
    private final int port;
    private final int monitorPort;
    private final int clusterPort;
    private final String serverName;
    private final boolean tls;
    private final boolean jetStream;

    private volatile Process process;
    private long logOffset;
    private long outputOffset;
    private boolean closed;

    private NatsServerProcess(Builder b, Path binary, int port, int monitorPort) throws IOException {
        this.binary = binary;
        this.port = port;
        this.monitorPort = monitorPort;
        this.clusterPort = b.cluster == null ? 0 : b.cluster.listenPort;
        this.serverName = b.serverName != null ? b.serverName : "agentnet-test-" + port;
        this.tls = b.pki != null;
        this.jetStream = b.jetStream;
        this.dir = Files.createTempDirectory("nats-");
        this.configFile = dir.resolve("nats.conf");
        this.storeDir = dir.resolve("js");
        this.logFile = dir.resolve("nats.log");
        this.outputFile = dir.resolve("console.log");
        try {
            Files.writeString(configFile, config(b), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(dir);
            throw e;
        }
        installShutdownHook();
        OPEN.add(this);
    }

    // ------------------------------------------------------------------------------------------------ factories

    /** Starts a server with JetStream and default settings and waits until it is ready. */
    public static NatsServerProcess start() {
        return builder().start();
    }

    /** A builder for a server; finish with {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** The client URL, {@code nats://127.0.0.1:PORT} (or {@code tls://127.0.0.1:PORT} when TLS is on). */
    public String url() {
        return (tls ? "tls" : "nats") + "://" + HOST + ":" + port;
    }

    /** The client port. */
    public int port() {
        return port;
    }

    /** The HTTP monitoring port ({@code /healthz}, {@code /varz}, {@code /jsz}, ...). */
    public int monitorPort() {
        return monitorPort;
    }

    /** The base URL of the HTTP monitoring endpoint, {@code http://127.0.0.1:PORT}. */
    public String monitorUrl() {
        return "http://" + HOST + ":" + monitorPort;
    }

    /** The cluster (route) port, or 0 if this server is not part of a cluster. */
    public int clusterPort() {
        return clusterPort;
    }

    /** The configured {@code server_name}. */
    public String serverName() {
        return serverName;
    }

    /** Whether JetStream is enabled. */
    public boolean jetStreamEnabled() {
        return jetStream;
    }

    /** Whether the client port requires TLS. */
    public boolean tlsEnabled() {
        return tls;
    }

    /** The JetStream store directory ({@code <dir>/js}); it survives {@link #stop()}/{@link #startAgain()}. */
    public Path storeDir() {
        return storeDir;
    }

    /** The server log file ({@code <dir>/nats.log}); appended to across restarts. */
    public Path logFile() {
        return logFile;
    }

    /** The file receiving the child's stdout and stderr ({@code <dir>/console.log}). */
    public Path consoleFile() {
        return outputFile;
    }

    /** The generated configuration file ({@code <dir>/nats.conf}). */
    public Path configFile() {
        return configFile;
    }

    /** The private temporary directory of this server, deleted by {@link #close()}. */
    public Path directory() {
        return dir;
    }

    /** The last {@code lines} lines of the server log ("" if there is none yet). */
    public String logTail(int lines) {
        return FileTrees.tail(logFile, lines, 0);
    }

    /** Whether the child process is alive. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The child's process id, or -1 if it is not running. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /**
     * GETs a monitoring endpoint (for example {@code "/varz"}, {@code "/jsz"}, {@code "/routez"}) and parses the
     * JSON answer.
     *
     * @throws IllegalStateException if the server does not answer 200 with a JSON object
     */
    public JsonObject monitoringJson(String path) {
        HttpResponse<String> response;
        try {
            response = httpGet(path, Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + monitorUrl() + path + " failed: " + e, e);
        }
        if (response == null) {
            throw new IllegalStateException("GET " + monitorUrl() + path + " was interrupted");
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + monitorUrl() + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        try {
            return new JsonObject(response.body());
        } catch (DecodeException e) {
            throw new IllegalStateException("GET " + monitorUrl() + path + " did not answer a JSON object: "
                    + response.body(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Stops the server: SIGTERM, wait up to {@link #STOP_TIMEOUT}, then SIGKILL. The ports, the configuration
     * and the JetStream store are kept, so {@link #startAgain()} brings the same server back. No-op if it is not
     * running.
     */
    public synchronized void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            p.destroy();
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        } finally {
            process = null;
        }
    }

    /**
     * Kills the server abruptly (SIGKILL), simulating a crash, and waits for the process to exit. The store dir is
     * kept; {@link #startAgain()} brings it back. No-op if it is not running.
     */
    public synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            p.destroyForcibly();
            p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /**
     * Starts a stopped server again on the same ports with the same configuration and JetStream store, and waits
     * until it is ready. While a port is still held by the previous process (or is in TIME_WAIT), the start is
     * retried until {@link #START_TIMEOUT}.
     *
     * @throws IllegalStateException if the server is running or closed, or does not become ready in time (it is
     *                               then stopped again)
     */
    public synchronized void startAgain() {
        if (closed) {
            throw new IllegalStateException("nats-server " + serverName + " is closed");
        }
        if (isRunning()) {
            throw new IllegalStateException("nats-server " + serverName + " is already running");
        }
        // if it died on its own, forget the dead process
        process = null;
        launch();
        try {
            awaitReady(System.nanoTime() + START_TIMEOUT.toNanos(), true);
        } catch (RuntimeException e) {
            stop(); // leave it stopped rather than half-started
            throw e;
        }
    }

    /** {@link #stop()} followed by {@link #startAgain()}: same ports, same store dir. */
    public synchronized void restart() {
        stop();
        startAgain();
    }

    /** Stops the server (see {@link #stop()}) and deletes its temporary directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        FileTrees.deleteQuietly(dir);
        OPEN.remove(this);
    }

    @Override
    public String toString() {
        return "NatsServerProcess[" + serverName + " " + url() + ", monitor " + monitorPort
                + (isRunning() ? ", running" : ", stopped") + "]";
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** Launches the child process without waiting for readiness. */
    synchronized void launch() {
        if (closed) {
            throw new IllegalStateException("nats-server " + serverName + " is closed");
        }
        logOffset = FileTrees.size(logFile);
        outputOffset = FileTrees.size(outputFile);
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-c", configFile.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot execute " + binary + ": " + e.getMessage(), e);
        }
        process = p;
        try {
            p.getOutputStream().close(); // the server reads nothing from stdin
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Polls {@link #pollReady} until it reports ready or the deadline ({@link System#nanoTime()}) passes. */
    void awaitReady(long deadlineNanos, boolean relaunchOnBindFailure) {
        while (true) {
            if (pollReady(relaunchOnBindFailure)) {
                return;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw new IllegalStateException("nats-server " + serverName + " (" + url() + ", monitor "
                        + monitorPort + ") did not become ready within " + START_TIMEOUT.toSeconds()
                        + " s: " + healthzSummary() + "\n" + failureOutput());
            }
            pause();
        }
    }

    /**
     * One readiness check: true if {@code /healthz} answers 200. If the process has exited, it is relaunched
     * when the exit was a port bind failure and {@code relaunchOnBindFailure} is set; otherwise an
     * {@link IllegalStateException} ({@link PortInUseException} for bind failures) is thrown.
     */
    synchronized boolean pollReady(boolean relaunchOnBindFailure) {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("nats-server " + serverName + " is not started");
        }
        if (!p.isAlive()) {
            process = null;
            String output = failureOutput();
            if (output.toLowerCase(Locale.ROOT).contains("address already in use")) {
                if (relaunchOnBindFailure) {
                    launch();
                    return false;
                }
                throw new PortInUseException("nats-server " + serverName + " could not bind its ports "
                        + port + "/" + monitorPort + "\n" + output);
            }
            throw new IllegalStateException("nats-server " + serverName + " (" + url() + ") exited with code "
                    + p.exitValue() + " before becoming ready\n" + output + "\n" + numberedConfig());
        }
        return healthzStatus() == 200;
    }

    /** The status code of {@code GET /healthz}, or -1 if the monitoring port does not answer. */
    int healthzStatus() {
        try {
            HttpResponse<String> r = httpGet("/healthz", Duration.ofSeconds(1));
            return r == null ? -1 : r.statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private String healthzSummary() {
        try {
            HttpResponse<String> r = httpGet("/healthz", Duration.ofSeconds(1));
            return r == null ? "interrupted" : "last /healthz " + r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "/healthz not answering (" + e + ")";
        }
    }

    /** The tail of the console output and server log written since the last launch. */
    String failureOutput() {
        String console = FileTrees.tail(outputFile, FAILURE_LOG_LINES, outputOffset);
        String log = FileTrees.tail(logFile, FAILURE_LOG_LINES, logOffset);
        StringBuilder sb = new StringBuilder();
        if (!console.isBlank()) {
            sb.append("--- stdout/stderr (").append(outputFile).append(") ---\n").append(console).append('\n');
        }
        sb.append("--- last ").append(FAILURE_LOG_LINES).append(" lines of ").append(logFile).append(" ---\n")
                .append(log.isBlank() ? "<empty>" : log);
        return sb.toString();
    }

    /** The generated configuration with line numbers (nats-server reports parse errors by line). */
    private String numberedConfig() {
        StringBuilder sb = new StringBuilder("--- ").append(configFile).append(" ---");
        try {
            List<String> lines = Files.readAllLines(configFile, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                sb.append(String.format(Locale.ROOT, "\n%3d  %s", i + 1, lines.get(i)));
            }
        } catch (IOException e) {
            sb.append("\n<cannot read: ").append(e).append('>');
        }
        return sb.toString();
    }

    /** GET on the monitoring port; null if interrupted (the interrupt flag is restored). */
    private HttpResponse<String> httpGet(String path, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(monitorUrl() + path))
                .timeout(timeout)
                .GET()
                .build();
        try {
            return Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static void pause() {
        LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while waiting for nats-server");
        }
    }

    private String config(Builder b) {
        StringBuilder c = new StringBuilder();
        c.append("# generated by ").append(NatsServerProcess.class.getName()).append('\n');
        c.append("server_name: ").append(quote(serverName)).append('\n');
        c.append("host: ").append(quote(HOST)).append('\n');
        c.append("port: ").append(port).append('\n');
        c.append("http_port: ").append(monitorPort).append('\n');
        c.append("log_file: ").append(quote(logFile.toString())).append('\n');
        if (b.maxPayload != null) {
            c.append("max_payload: ").append(b.maxPayload).append('\n');
        }
        if (b.jetStream) {
            c.append("jetstream {\n");
            c.append("  store_dir: ").append(quote(storeDir.toString())).append('\n');
            c.append("  max_memory_store: 256MB\n");
            c.append("  max_file_store: 1GB\n");
            c.append("}\n");
        }
        if (b.pki != null) {
            c.append("tls {\n");
            c.append("  cert_file: ").append(quote(b.pki.serverCert().toString())).append('\n');
            c.append("  key_file: ").append(quote(b.pki.serverKey().toString())).append('\n');
            c.append("  ca_file: ").append(quote(b.pki.caCert().toString())).append('\n');
            c.append("  verify: ").append(b.verifyClientCerts).append('\n');
            c.append("  timeout: 5\n");
            c.append("}\n");
        }
        if (b.cluster != null) {
            c.append("cluster {\n");
            c.append("  name: ").append(quote(b.cluster.name)).append('\n');
            c.append("  listen: ").append(quote(HOST + ":" + b.cluster.listenPort)).append('\n');
            c.append("  routes: [\n");
            for (int routePort : b.cluster.routePorts) {
                c.append("    ").append(quote("nats-route://" + HOST + ":" + routePort)).append('\n');
            }
            c.append("  ]\n");
            c.append("}\n");
        }
        for (String extra : b.extraConfig) {
            c.append(extra).append('\n');
        }
        return c.toString();
    }

    /** A double-quoted string in nats-server configuration syntax. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\' -> q.append("\\\\");
                case '"' -> q.append("\\\"");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> q.append(ch);
            }
        }
        return q.append('"').toString();
    }

    /**
     * Locates the nats-server binary: {@value #BIN_ENV} if set, else {@code nats-server} on {@code PATH}.
     *
     * @param env the environment to consult (normally {@link System#getenv()})
     * @throws IllegalStateException if no executable binary is found
     */
    static Path findBinary(Map<String, String> env) {
        String explicit = env.get(BIN_ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path bin = Path.of(explicit.trim());
            if (Files.isRegularFile(bin) && Files.isExecutable(bin)) {
                return bin;
            }
            throw new IllegalStateException("nats-server not found: " + BIN_ENV + "=" + explicit
                    + " is not an executable file; " + NOT_FOUND_HINT + " to its path");
        }
        String path = env.getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(entry, "nats-server");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            } catch (RuntimeException ignored) {
                // malformed PATH entry
            }
        }
        throw new IllegalStateException("nats-server not found on PATH; " + NOT_FOUND_HINT);
    }

    /** Free loopback TCP ports, all distinct (the sockets are held open until all are chosen). */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            InetAddress loopback = InetAddress.getByName(HOST);
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, loopback);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free loopback ports", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            // Lock-free on purpose: a test thread may hold a server's monitor while the JVM exits.
            Thread hook = new Thread(() -> {
                List<NatsServerProcess> open = new ArrayList<>(OPEN);
                for (NatsServerProcess server : open) {
                    Process p = server.process;
                    if (p != null) {
                        p.destroyForcibly();
                    }
                }
                for (NatsServerProcess server : open) {
                    Process p = server.process;
                    try {
                        if (p != null) {
                            p.waitFor(2, TimeUnit.SECONDS);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    FileTrees.deleteQuietly(server.dir);
                }
            }, "nats-server-test-kit-reaper");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Thrown (internally) when a freshly picked port was taken by someone else meanwhile. */
    static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message) {
            super(message);
        }
    }

    /** The shared HTTP client for monitoring requests, created on first use. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
    }

    /** Cluster membership of one node, see {@link Builder#cluster}. */
    private record ClusterSpec(String name, int listenPort, List<Integer> routePorts) {
    }

    // ------------------------------------------------------------------------------------------------ builder

    /** Configures and starts a {@link NatsServerProcess}. Not thread-safe; one builder per server. */
    public static final class Builder {
        private boolean jetStream = true;
        private String serverName;
        private final List<String> extraConfig = new ArrayList<>();
        private TestPki pki;
        private boolean verifyClientCerts;
        private Integer maxPayload;
        private int port;
        private int monitorPort;
        private ClusterSpec cluster;
        private Map<String, String> env = System.getenv();

        private Builder() {
        }

        /** Enables JetStream (default {@code true}) with a file store in {@link #storeDir()}. */
        public Builder jetStream(boolean enabled) {
            this.jetStream = enabled;
            return this;
        }

        /** The {@code server_name}; default {@code agentnet-test-<port>}. */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Raw configuration appended to the generated file, for example
         * {@code "authorization { user: a, password: b }"}. May be called several times; blocks are appended in
         * order.
         */
        public Builder extraConfig(String config) {
            this.extraConfig.add(Objects.requireNonNull(config, "config"));
            return this;
        }

        /**
         * Requires TLS on the client port using the PKI's server certificate; {@link #url()} becomes
         * {@code tls://}. With {@code verifyClientCerts} clients must present a certificate signed by the PKI's
         * CA.
         */
        public Builder tls(TestPki pki, boolean verifyClientCerts) {
            this.pki = Objects.requireNonNull(pki, "pki");
            this.verifyClientCerts = verifyClientCerts;
            return this;
        }

        /** The server's {@code max_payload} in bytes (nats-server default 1 MiB, at most 64 MiB). */
        public Builder maxPayload(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxPayload must be positive: " + bytes);
            }
            this.maxPayload = bytes;
            return this;
        }

        /** A fixed client port; default 0 picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** A fixed HTTP monitoring port; default 0 picks a free one. */
        public Builder monitorPort(int port) {
            this.monitorPort = checkPort(port);
            return this;
        }

        /**
         * Makes the server a cluster node: {@code cluster { name, listen: 127.0.0.1:<listenPort>, routes }} with
         * one {@code nats-route://127.0.0.1:<p>} route per entry of {@code routePorts} (it may include the node's
         * own port; nats-server ignores a route to itself). Used by {@link NatsCluster}.
         */
        public Builder cluster(String clusterName, int listenPort, List<Integer> routePorts) {
            this.cluster = new ClusterSpec(Objects.requireNonNull(clusterName, "clusterName"),
                    checkPort(listenPort), List.copyOf(routePorts));
            return this;
        }

        /** The environment used to locate the binary (tests only). */
        Builder environment(Map<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
            return this;
        }

        /**
         * Writes the configuration, starts the process and waits until {@code /healthz} answers 200.
         *
         * @throws IllegalStateException if nats-server is not installed, exits early or is not ready within
         *                               {@link #START_TIMEOUT}; the message carries the tail of its log
         */
        public NatsServerProcess start() {
            Path bin = findBinary(env);
            boolean pickPorts = port == 0 && monitorPort == 0;
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            int attempts = pickPorts ? 3 : 1;
            for (int attempt = 1; ; attempt++) {
                NatsServerProcess server = create(bin);
                try {
                    server.launch();
                    // fixed ports: wait for them to become free; picked ports: pick others if taken meanwhile
                    server.awaitReady(deadline, !pickPorts);
                    return server;
                } catch (PortInUseException e) {
                    server.close();
                    if (attempt >= attempts) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                } catch (RuntimeException | Error e) {
                    server.close();
                    throw e;
                }
            }
        }

        /** Creates the server (directory, ports, configuration) without starting it. */
        NatsServerProcess create() {
            return create(findBinary(env));
        }

        private NatsServerProcess create(Path bin) {
            int[] free = freePorts(4);
            int next = 0;
            int clientPort = port;
            if (clientPort == 0) {
                while (free[next] == monitorPort) {
                    next++;
                }
                clientPort = free[next++];
            }
            int httpPort = monitorPort;
            if (httpPort == 0) {
                while (free[next] == clientPort) {
                    next++;
                }
                httpPort = free[next];
            }
            try {
                return new NatsServerProcess(this, bin, clientPort, httpPort);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the nats-server directory", e);
            }
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            return port;
        }
    }
}
