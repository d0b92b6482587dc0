package io.agentnet.mcp.cloud.kubernetes;

import io.agentnet.mcp.cloud.CloudOptions;
import io.agentnet.mcp.cloud.CloudToolProvider;
import io.agentnet.mcp.cloud.MutableClock;
import io.agentnet.mcp.cloud.OperationTracker;
import io.agentnet.mcp.cloud.ToolCaller;
import io.agentnet.mcp.cloud.local.LocalObjectStorage;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes tools against fabric8's mock API server in CRUD mode. The mock runs no
 * controllers, so the test plays the deployment controller: it writes the status that makes a
 * running operation complete, then polls get_operation.
 */
class KubernetesWorkloadsTest {

  private static final String NS = "apps";
  /** The mock server logs every request through java.util.logging; kept here so the level sticks. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @TempDir
  Path temp;

  private KubernetesMockServer server;
  private NamespacedKubernetesClient client;
  private MutableClock clock;
  private CloudToolProvider provider;
  private ToolCaller tools;

  @BeforeEach
  void start() {
    // CRUD mode with expectations first (KubernetesMixedDispatcher): the log endpoint is an expectation.
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // No retries: an error the test scripts must reach the code under test, not be retried away.
    client = server.createClient(builder -> builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata()
        .withNewStatus().withPhase("Active").endStatus().build()).create();
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    CloudOptions options = CloudOptions.local(temp);
    provider = new CloudToolProvider(new LocalObjectStorage(temp), new KubernetesWorkloads(client, NS), null,
        options, new OperationTracker(100, clock));
    tools = new ToolCaller(provider);
  }

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    server.destroy();
  }

  private static JsonObject args(Object... pairs) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      json.put((String) pairs[i], pairs[i + 1]);
    }
    return json;
  }

  /** Plays the deployment controller: reports {@code ready} of the desired replicas ready. */
  private void reportReady(String name, int ready) {
    Deployment d = client.apps().deployments().inNamespace(NS).withName(name).get();
    d.setStatus(new DeploymentStatusBuilder().withReplicas(ready).withReadyReplicas(ready)
        .withAvailableReplicas(ready).withUpdatedReplicas(ready)
        .withObservedGeneration(d.getMetadata().getGeneration()).build());
    client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
  }

  private JsonObject poll(JsonObject operation) {
    return tools.ok("get_operation", args("operation_id", operation.getString("operation_id")));
  }

  @Test
  void listsNamespaces() {
    JsonArray namespaces = tools.ok("list_namespaces", new JsonObject()).getJsonArray("namespaces");
    assertThat(namespaces.stream().map(n -> ((JsonObject) n).getString("name"))).contains(NS);
    JsonObject apps = namespaces.stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("name").equals(NS)).findFirst().orElseThrow();
    assertThat(apps.getString("phase")).isEqualTo("Active");
  }

  @Test
  void createDeploymentRunsUntilTheReplicasAreReady() {
    JsonObject op = tools.ok("create_deployment", args("name", "web", "image", "nginx:1.27", "replicas", 2,
        "labels", new JsonObject().put("app", "web").put("tier", "front"), "container_port", 8080));
    assertThat(op.getString("status")).isEqualTo("running");
    assertThat(op.getString("kind")).isEqualTo("create_deployment");
    assertThat(op.getString("target")).isEqualTo(NS + "/web");
    assertThat(op.containsKey("finished_at")).isFalse();

    Deployment created = client.apps().deployments().inNamespace(NS).withName("web").get();
    assertThat(created.getSpec().getReplicas()).isEqualTo(2);
    assertThat(created.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "web", "tier", "front"));
    assertThat(created.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("tier", "front");
    var container = created.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("nginx:1.27");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);

    assertThat(poll(op).getString("status")).isEqualTo("running");
    reportReady("web", 1);
    assertThat(poll(op).getString("status")).isEqualTo("running");
    reportReady("web", 2);
    JsonObject done = poll(op);
    assertThat(done.getString("status")).isEqualTo("succeeded");
    assertThat(done.getString("finished_at")).isNotNull();
    assertThat(done.getJsonObject("result")).isEqualTo(new JsonObject().put("namespace", NS).put("name", "web")
        .put("replicas", 2).put("ready_replicas", 2));
    // Finished operations stay as they finished.
    assertThat(poll(op)).isEqualTo(done);

    JsonObject listed = tools.ok("list_deployments", new JsonObject());
    assertThat(listed.getString("namespace")).isEqualTo(NS);
    JsonObject web = listed.getJsonArray("deployments").getJsonObject(0);
    assertThat(web.getString("name")).isEqualTo("web");
    assertThat(web.getJsonArray("images")).containsExactly("nginx:1.27");
    assertThat(web.getInteger("replicas")).isEqualTo(2);
    assertThat(web.getInteger("ready_replicas")).isEqualTo(2);
    assertThat(web.getJsonObject("labels").getString("tier")).isEqualTo("front");
  }

  @Test
  void scaleDeploymentRunsUntilTheNewCountIsReady() {
    tools.ok("create_deployment", args("name", "api", "image", "registry.local/api:2", "namespace", NS));
    reportReady("api", 1);

    JsonObject op = tools.ok("scale_deployment", args("name", "api", "replicas", 3));
    assertThat(op.getString("status")).isEqualTo("running");
    assertThat(client.apps().deployments().inNamespace(NS).withName("api").get().getSpec().getReplicas()).isEqualTo(3);
    assertThat(poll(op).getString("status")).isEqualTo("running");

    reportReady("api", 3);
    JsonObject done = poll(op);
    assertThat(done.getString("status")).isEqualTo("succeeded");
    assertThat(done.getJsonObject("result").getInteger("ready_replicas")).isEqualTo(3);

    // Scaling down waits until the extra pods are gone, not merely until enough are ready.
    JsonObject down = tools.ok("scale_deployment", args("name", "api", "replicas", 1));
    assertThat(poll(down).getString("status")).isEqualTo("running");
    reportReady("api", 1);
    assertThat(poll(down).getString("status")).isEqualTo("succeeded");
  }

  @Test
  void aDeploymentAlreadyAtItsCountFinishesWithinTheCall() {
    JsonObject created = tools.ok("create_deployment", args("name", "idle", "image", "busybox", "replicas", 2));
    // Just created: the controller has not seen it yet, so even the right counts would not do.
    assertThat(created.getString("status")).isEqualTo("running");
    reportReady("idle", 2);
    assertThat(poll(created).getString("status")).isEqualTo("succeeded");

    JsonObject same = tools.ok("scale_deployment", args("name", "idle", "replicas", 2));
    assertThat(same.getString("status")).isEqualTo("succeeded");
    assertThat(same.getJsonObject("result").getInteger("ready_replicas")).isEqualTo(2);
  }

  @Test
  void anOperationThatNeverCompletesFailsAtItsDeadline() {
    tools.ok("create_deployment", args("name", "slow", "image", "busybox"));
    JsonObject op = tools.ok("scale_deployment", args("name", "slow", "replicas", 2));
    clock.advance(Duration.ofSeconds(299));
    assertThat(poll(op).getString("status")).isEqualTo("running");
    clock.advance(Duration.ofSeconds(2));
    JsonObject failed = poll(op);
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getString("error")).isEqualTo("scale_deployment of apps/slow did not finish within 300 s; "
        + "it was waiting for 2 ready replicas (ready 0, pods 0, spec change not yet observed)");
  }

  @Test
  void anUnavailableApiServerLeavesTheOperationRunning() {
    JsonObject op = tools.ok("create_deployment", args("name", "flaky", "image", "busybox"));
    server.expect().get().withPath("/apis/apps/v1/namespaces/apps/deployments/flaky")
        .andReturn(503, new StatusBuilder().withCode(503).withMessage("etcd leader changed").build()).once();
    assertThat(poll(op).getString("status")).isEqualTo("running");
    reportReady("flaky", 1);
    assertThat(poll(op).getString("status")).isEqualTo("succeeded");
  }

  @Test
  void deletingADeploymentFailsItsRunningOperation() {
    JsonObject op = tools.ok("create_deployment", args("name", "gone", "image", "busybox"));
    JsonObject deleted = tools.ok("delete_deployment", args("name", "gone"));
    assertThat(deleted.getString("status")).isEqualTo("succeeded");
    assertThat(deleted.getString("target")).isEqualTo(NS + "/gone");
    assertThat(client.apps().deployments().inNamespace(NS).withName("gone").get()).isNull();

    JsonObject failed = poll(op);
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getString("error")).isEqualTo("deployment apps/gone was deleted before it became ready");
    assertThat(tools.ok("list_deployments", args("namespace", NS)).getJsonArray("deployments")).isEmpty();
  }

  @Test
  void mistakesAreClearErrors() {
    tools.ok("create_deployment", args("name", "web", "image", "nginx"));
    assertThat(tools.error("create_deployment", args("name", "web", "image", "nginx")))
        .isEqualTo("deployment apps/web already exists: scale or delete it instead");
    assertThat(tools.error("scale_deployment", args("name", "nope", "replicas", 1)))
        .isEqualTo("deployment apps/nope does not exist");
    assertThat(tools.error("delete_deployment", args("name", "nope"))).isEqualTo("deployment apps/nope does not exist");
    assertThat(tools.error("create_deployment", args("name", "Web_1", "image", "nginx")))
        .startsWith("invalid deployment name \"Web_1\"");
    assertThat(tools.error("create_deployment", args("name", "ok", "image", "two words")))
        .startsWith("invalid image");
    assertThat(tools.error("list_deployments", args("namespace", "Bad/NS"))).startsWith("invalid namespace");
    assertThat(tools.error("get_operation", args("operation_id", "op-unknown"))).startsWith("no operation op-unknown");
    assertThat(tools.acceptsArguments("scale_deployment", args("name", "web", "replicas", -1))).isFalse();
    assertThat(tools.acceptsArguments("create_deployment", args("name", "web", "image", "x",
        "labels", new JsonObject().put("n", 1)))).isFalse();
  }

  @Test
  void listsPodsBySelector() {
    for (String[] pod : List.of(new String[] {"web-1", "web"}, new String[] {"web-2", "web"},
        new String[] {"db-1", "db"})) {
      client.pods().inNamespace(NS).resource(new PodBuilder()
          .withNewMetadata().withName(pod[0]).withLabels(Map.of("app", pod[1])).endMetadata()
          .withNewSpec().addNewContainer().withName("main").withImage(pod[1] + ":1").endContainer()
            .withNodeName("node-a").endSpec()
          .withNewStatus().withPhase("Running").withPodIP("10.0.0.1")
            .addNewContainerStatus().withName("main").withReady(true).withRestartCount(2).endContainerStatus()
          .endStatus()
          .build()).create();
    }

    JsonArray all = tools.ok("list_pods", new JsonObject()).getJsonArray("pods");
    assertThat(all).hasSize(3);

    JsonArray web = tools.ok("list_pods", args("label_selector", "app=web")).getJsonArray("pods");
    assertThat(web.stream().map(p -> ((JsonObject) p).getString("name"))).containsExactlyInAnyOrder("web-1", "web-2");
    JsonObject pod = web.getJsonObject(0);
    assertThat(pod.getString("phase")).isEqualTo("Running");
    assertThat(pod.getBoolean("ready")).isTrue();
    assertThat(pod.getInteger("restarts")).isEqualTo(2);
    assertThat(pod.getString("node")).isEqualTo("node-a");
    assertThat(pod.getJsonArray("containers").getJsonObject(0).getString("image")).isEqualTo("web:1");

    assertThat(tools.ok("list_pods", args("label_selector", "app!=web")).getJsonArray("pods")).hasSize(1);
  }

  @Test
  void readsTheTailOfAPodLog() throws InterruptedException {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("web-1").endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage("web:1").endContainer().endSpec()
        .withNewStatus().withPhase("Running").endStatus().build()).create();
    // The expectation matches only this exact path, so getting its body back proves the container and
    // tail parameters were sent. (The last recorded request is no proof: the client's wait for the pod
    // lists it by name, and the mock may record that list after the log request.)
    server.expect().get().withPath("/api/v1/namespaces/apps/pods/web-1/log?pretty=false&container=main&tailLines=2")
        .andReturn(200, "line 9\nline 10\n").once();

    JsonObject logs = tools.ok("get_pod_logs", args("pod", "web-1", "container", "main", "tail_lines", 2));
    assertThat(logs.getString("logs")).isEqualTo("line 9\nline 10\n");
    assertThat(logs.getBoolean("truncated")).isFalse();

    // The CRUD mock knows no log subresource: answer as an API server does for a missing pod.
    server.expect().get().withPath("/api/v1/namespaces/apps/pods/missing/log?pretty=false&tailLines=100")
        .andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound")
            .withMessage("pods \"missing\" not found").build()).once();
    assertThat(tools.error("get_pod_logs", args("pod", "missing"))).isEqualTo("pod apps/missing does not exist");
  }
}
