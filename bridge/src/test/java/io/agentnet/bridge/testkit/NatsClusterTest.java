package io.agentnet.bridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

@SuppressWarnings("try") // jnats Connection.close() declares InterruptedException
class NatsClusterTest {

    private static Options options(String url) {
        return Options.builder().server(url).connectionTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void threeNodesFormAClusterWithReplicatedJetStream() throws Exception {
        try (NatsCluster cluster = NatsCluster.start(3)) {
            assertThat(cluster.nodes()).hasSize(3);
            assertThat(cluster.urls().split(",")).hasSize(3).allSatisfy(u -> assertThat(u).startsWith("nats://"));
            Set<String> names = new HashSet<>();
            Set<Integer> ports = new HashSet<>();
            for (NatsServerProcess node : cluster.nodes()) {
                names.add(node.serverName());
                ports.add(node.port());
                ports.add(node.monitorPort());
                ports.add(node.clusterPort());
                assertThat(node.monitoringJson("/routez").getInteger("num_routes")).isEqualTo(2);
            }
            assertThat(names).hasSize(3);
            assertThat(ports).hasSize(9);

            try (Connection nc0 = Nats.connect(options(cluster.node(0).url()));
                 Connection nc1 = Nats.connect(options(cluster.node(1).url()));
                 Connection nc2 = Nats.connect(options(cluster.node(2).url()))) {
                StreamInfo created = nc0.jetStreamManagement().addStream(StreamConfiguration.builder()
                        .name("KIT_R3")
                        .subjects("kit.r3.>")
                        .storageType(StorageType.File)
                        .replicas(3)
                        .build());
                assertThat(created.getConfiguration().getReplicas()).isEqualTo(3);

                PublishAck ack = nc2.jetStream().publish("kit.r3.a", "replicated".getBytes(StandardCharsets.UTF_8));
                assertThat(ack.getStream()).isEqualTo("KIT_R3");

                JetStreamManagement jsm1 = nc1.jetStreamManagement();
                assertThat(new String(jsm1.getMessage("KIT_R3", ack.getSeqno()).getData(), StandardCharsets.UTF_8))
                        .isEqualTo("replicated");
                StreamInfo info = jsm1.getStreamInfo("KIT_R3");
                assertThat(info.getClusterInfo().getReplicas()).hasSize(2);
            }

            // a node can be stopped and started again; the cluster forms again with the stream intact
            NatsServerProcess node2 = cluster.node(2);
            int port = node2.port();
            node2.stop();
            node2.startAgain();
            cluster.awaitFormed();
            assertThat(node2.port()).isEqualTo(port);
            try (Connection nc2 = Nats.connect(options(node2.url()))) {
                assertThat(nc2.jetStreamManagement().getStreamInfo("KIT_R3").getStreamState().getMsgCount())
                        .isEqualTo(1);
            }
        }
    }
}
