package io.agentnet.bench;

import io.agentnet.bridge.testkit.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The seed's load test: N workflows (default 1000 health_check runs) submitted at once to a network
 * of separate JVMs over a local nats-server: one orchestrator, 3 specialists, mcp-proxmox on its
 * simulator. Prints completed and lost (submitted but not finished within the limit), workflows per
 * second and p50/p99 end-to-end latency (submit to the workflow's terminal event).
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * cd test && java -cp target/agentnet-bench.jar io.agentnet.bench.AgentsLoadBenchmark [workflows] [specialists]
 * </pre>
 * It stops by itself: after 10 minutes at most it reports what finished and exits.
 */
public final class AgentsLoadBenchmark {

  public static void main(String[] args) throws Exception {
    int workflows = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int specialists = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("agentnet-load");
    List<JarProcess> processes = new ArrayList<>();
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      Map<String, String> env = new HashMap<>(Map.of("NATS_URL", nats.url(), "AGENT_HEARTBEAT_INTERVAL", "2",
          "PROXMOX_SIMULATOR_TASK_MS", "50"));
      processes.add(JarProcess.start("mcp-proxmox", JarProcess.MCP, dir, with(env, "AGENT_ID", "mcp-proxmox"), "proxmox"));
      processes.add(JarProcess.start("orchestrator", JarProcess.AGENTS, dir, with(env, "AGENT_ID", "orch-1"),
          "orchestrator"));
      for (int i = 1; i <= specialists; i++) {
        Map<String, String> s = with(env, "AGENT_ID", "spec-" + i);
        s.put("SPECIALIST_CAPACITY", "16");
        processes.add(JarProcess.start("spec-" + i, JarProcess.AGENTS, dir, s, "specialist"));
      }
      for (JarProcess p : processes) {
        p.awaitLog("is running", Duration.ofSeconds(90));
      }
      run(nats.url(), workflows, specialists);
    } finally {
      for (JarProcess p : processes) {
        p.close();
      }
    }
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(key, value);
    return copy;
  }

  private static void run(String url, int workflows, int specialists) throws Exception {
    Map<String, Long> submittedAt = new ConcurrentHashMap<>();
    Map<String, Long> latencyNanos = new ConcurrentHashMap<>();
    Map<String, String> outcome = new ConcurrentHashMap<>();
    try (Connection nc = Nats.connect(url)) {
      Dispatcher d = nc.createDispatcher(m -> {
        JsonObject event = new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
        String type = event.getString("event_type", "");
        if (type.equals("workflow.completed") || type.equals("workflow.failed") || type.equals("workflow.cancelled")) {
          String id = event.getJsonObject("data").getString("workflow_id");
          Long start = submittedAt.get(id);
          if (start != null && outcome.putIfAbsent(id, type) == null) {
            latencyNanos.put(id, System.nanoTime() - start);
          }
        }
      });
      d.subscribe("ai.events.workflow.>");
      nc.flush(Duration.ofSeconds(5));
      // one warm-up run so the first measured ones do not pay for class loading and JIT
      submittedAt.put("warmup-0", System.nanoTime());
      awaitSubmit(nc, "warmup-0");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!outcome.containsKey("warmup-0") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      outcome.clear();
      latencyNanos.clear();
      submittedAt.clear();

      long t0 = System.nanoTime();
      List<CompletableFuture<Message>> accepted = new ArrayList<>();
      for (int i = 0; i < workflows; i++) {
        String id = "load-" + i;
        submittedAt.put(id, System.nanoTime());
        accepted.add(nc.requestWithTimeout("ai.orchestrator.submit", request(id), Duration.ofSeconds(60)));
      }
      int refused = 0;
      for (CompletableFuture<Message> f : accepted) {
        try {
          Message m = f.get(90, TimeUnit.SECONDS);
          if (m.getHeaders() != null && m.getHeaders().getFirst("Nats-Service-Error") != null) {
            refused++;
          }
        } catch (Exception e) {
          refused++;
        }
      }
      long acceptedNanos = System.nanoTime() - t0;
      long limit = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (outcome.size() < workflows && System.nanoTime() < limit) {
        Thread.sleep(100);
      }
      long elapsed = System.nanoTime() - t0;
      long completed = outcome.values().stream().filter("workflow.completed"::equals).count();
      long failed = outcome.size() - completed;
      long[] lat = latencyNanos.values().stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(Locale.ROOT, "agentnet load: %d health_check workflows submitted at once, %d specialists "
          + "(capacity 16 each), 1 orchestrator, mcp-proxmox on the simulator, each its own JVM, over nats-server%n",
          workflows, specialists);
      System.out.printf(Locale.ROOT, "accepted    : %d in %.2f s (%d refused)%n", workflows - refused,
          acceptedNanos / 1e9, refused);
      System.out.printf(Locale.ROOT, "completed   : %d%n", completed);
      System.out.printf(Locale.ROOT, "failed      : %d%n", failed);
      System.out.printf(Locale.ROOT, "lost        : %d%n", workflows - outcome.size());
      System.out.printf(Locale.ROOT, "throughput  : %.1f workflows/s (%.1f s from first submit to last finish)%n",
          outcome.size() / (elapsed / 1e9), elapsed / 1e9);
      if (lat.length > 0) {
        System.out.printf(Locale.ROOT, "latency     : p50 %.0f ms, p99 %.0f ms, max %.0f ms (submit -> terminal event)%n",
            lat[lat.length / 2] / 1e6, lat[Math.min(lat.length - 1, (int) Math.ceil(lat.length * 0.99) - 1)] / 1e6,
            lat[lat.length - 1] / 1e6);
      }
      if (completed != workflows) {
        System.exit(1);
      }
    }
  }

  private static void awaitSubmit(Connection nc, String id) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      try {
        Message m = nc.request("ai.orchestrator.submit", request(id), Duration.ofSeconds(5));
        if (m != null) {
          return;
        }
      } catch (Exception e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the orchestrator did not answer within 60 s");
  }

  private static byte[] request(String id) {
    return new JsonObject().put("workflow_id", id).put("workflow_type", "health_check")
        .put("parameters", new JsonObject()).put("requester_id", "load").encode().getBytes(StandardCharsets.UTF_8);
  }

  private AgentsLoadBenchmark() {
  }
}
