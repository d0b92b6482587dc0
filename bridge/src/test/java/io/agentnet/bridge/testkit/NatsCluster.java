package io.agentnet.bridge.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import io.vertx.core.json.JsonObject;

/**
 * A cluster of N real {@code nats-server} processes on loopback, with clustered JetStream.
 *
 * <p>Every node is a {@link NatsServerProcess} with its own client, monitoring and cluster ports, the
 * {@code server_name} {@code n0 .. n(N-1)} and {@code cluster { name: agentnet-test, listen: 127.0.0.1:<p>,
 * routes: [every node] }}. {@link #start(int)} returns once every node's {@code /healthz} answers 200 (which for
 * clustered JetStream means a meta leader is known) and every node's {@code /routez} reports {@code N-1} routes.
 *
 * <pre>{@code
 * try (NatsCluster cluster = NatsCluster.start(3);
 *      Connection nc = Nats.connect(cluster.node(0).url())) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Single nodes can be stopped and started again through {@link #node(int)}; {@link #awaitFormed()} then waits
 * until the cluster is whole again. {@link #close()} stops every node and deletes their directories.
 */
public final class NatsCluster implements AutoCloseable {

    /** The {@code cluster.name} of every test cluster. */
    public static final String CLUSTER_NAME = "agentnet-test";

    private final List<NatsServerProcess> nodes;

    private NatsCluster(List<NatsServerProcess> nodes) {
        this.nodes = Collections.unmodifiableList(nodes);
    }

    /** Starts a cluster of {@code size} JetStream nodes and waits until it has formed. */
    public static NatsCluster start(int size) {
        return start(size, (index, builder) -> { });
    }

    /**
     * Starts a cluster of {@code size} nodes, letting {@code customizer} adjust each node's builder (called with
     * the node index), for example to add {@link NatsServerProcess.Builder#extraConfig} or disable JetStream.
     * The customizer must not change the ports or the cluster settings.
     *
     * @throws IllegalStateException if a node fails or the cluster does not form within
     *                               {@link NatsServerProcess#START_TIMEOUT}
     */
    public static NatsCluster start(int size, BiConsumer<Integer, NatsServerProcess.Builder> customizer) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node: " + size);
        }
        Objects.requireNonNull(customizer, "customizer");
        int[] ports = NatsServerProcess.freePorts(3 * size);
        List<Integer> routePorts = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            routePorts.add(ports[3 * i + 2]);
        }
        List<NatsServerProcess> nodes = new ArrayList<>(size);
        NatsCluster cluster = new NatsCluster(nodes);
        try {
            for (int i = 0; i < size; i++) {
                NatsServerProcess.Builder builder = NatsServerProcess.builder()
                        .serverName("n" + i)
                        .port(ports[3 * i])
                        .monitorPort(ports[3 * i + 1]);
                if (size > 1) {
                    builder.cluster(CLUSTER_NAME, routePorts.get(i), routePorts);
                }
                customizer.accept(i, builder);
                nodes.add(builder.create());
            }
            // Launch all before waiting: clustered JetStream is healthy only once a meta leader is elected.
            for (NatsServerProcess node : nodes) {
                node.launch();
            }
            cluster.awaitFormed();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Waits (up to {@link NatsServerProcess#START_TIMEOUT}) until every node answers {@code /healthz} with 200 and
     * reports {@code size()-1} routes. Nodes that exit because a port is still taken are started again.
     *
     * @throws IllegalStateException if a node is stopped or exits, or the deadline passes
     */
    public void awaitFormed() {
        long deadline = System.nanoTime() + NatsServerProcess.START_TIMEOUT.toNanos();
        int expectedRoutes = nodes.size() - 1;
        while (true) {
            String problem = null;
            for (NatsServerProcess node : nodes) {
                if (!node.pollReady(true) && problem == null) {
                    problem = node.serverName() + ": /healthz is not 200 (" + node.healthzStatus() + ")";
                }
            }
            if (problem == null) {
                problem = routeProblem(expectedRoutes);
            }
            if (problem == null) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                StringBuilder msg = new StringBuilder("nats cluster of ").append(nodes.size())
                        .append(" did not form within ").append(NatsServerProcess.START_TIMEOUT.toSeconds())
                        .append(" s: ").append(problem);
                for (NatsServerProcess node : nodes) {
                    msg.append("\n=== ").append(node).append('\n').append(node.failureOutput());
                }
                throw new IllegalStateException(msg.toString());
            }
            NatsServerProcess.pause();
        }
    }

    private String routeProblem(int expectedRoutes) {
        for (NatsServerProcess node : nodes) {
            int routes;
            try {
                JsonObject routez = node.monitoringJson("/routez");
                routes = routez.getInteger("num_routes", -1);
            } catch (RuntimeException e) {
                return node.serverName() + ": /routez failed: " + e.getMessage();
            }
            if (routes != expectedRoutes) {
                return node.serverName() + ": " + routes + " routes, expected " + expectedRoutes;
            }
        }
        return null;
    }

    /** The nodes, in index order. */
    public List<NatsServerProcess> nodes() {
        return nodes;
    }

    /** Node {@code index} (0-based). */
    public NatsServerProcess node(int index) {
        return nodes.get(index);
    }

    /** The number of nodes. */
    public int size() {
        return nodes.size();
    }

    /** All client URLs, comma-separated (as accepted by {@code Nats.connect(String)}). */
    public String urls() {
        return nodes.stream().map(NatsServerProcess::url).collect(Collectors.joining(","));
    }

    /** Stops every node and deletes their directories; idempotent. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (NatsServerProcess node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "NatsCluster[" + urls() + "]";
    }
}
