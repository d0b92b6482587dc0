package io.agentnet.agents.specialist;

import io.agentnet.bridge.message.Event;
import io.agentnet.bridge.message.MessageFormatException;
import io.agentnet.bridge.message.TaskAssignment;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.agent.WorkTracker;
import io.agentnet.runtime.health.ProcessHealth;
import io.micrometer.core.instrument.Gauge;
import io.vertx.ext.healthchecks.Status;
import io.agentnet.runtime.events.Events;
import io.agentnet.runtime.heartbeat.HeartbeatPublisher;
import io.agentnet.runtime.mcp.client.McpClient;
import io.agentnet.runtime.mcp.client.McpException;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.store.Buckets;
import io.agentnet.runtime.store.KeyValueStore;
import io.agentnet.runtime.store.KeyValueStores;
import io.agentnet.runtime.store.StoreException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A specialist: takes task assignments on {@code ai.agents.<agent_id>.task} (the NATS micro service
 * {@code specialist}) up to its capacity, runs the step's skill, which calls MCP tools over the bus
 * behind one circuit breaker per MCP server, and reports: {@code task.*} events on
 * {@code ai.events.task.<workflow_id>} and, first, the outcome in the tasks bucket (written once,
 * so a new leader finds it even if it missed the event).
 *
 * <p>On stop it drains: its heartbeat says draining, it takes nothing new, lets running tasks
 * finish within the drain timeout and hands back the rest ({@code task.released}).
 */
public final class SpecialistVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SpecialistVerticle.class);
  public static final String SERVICE = "specialist";

  private final AgentIdentity identity;
  private final SpecialistOptions options;
  private final Skills skills;
  private final WorkTracker tracker;
  private Gauge inFlight;
  private KeyValueStore outcomes;
  private McpClient mcp;
  private HeartbeatPublisher heartbeat;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Map<String, RunningTask> running = new HashMap<>();
  /** Task ids seen lately, so a hand-out repeated after a leader change does not run twice. */
  private final Map<String, Boolean> recent = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > 10_000;
    }
  };
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();

  public SpecialistVerticle(AgentIdentity identity, SpecialistOptions options, Skills skills) {
    this.identity = identity;
    this.options = options;
    this.skills = skills;
    this.tracker = new WorkTracker(options.capacity());
  }

  private String healthName() {
    return "specialist/" + identity.agentId();
  }

  public static String taskAddress(String agentId) {
    return "ai.agents." + agentId + ".task";
  }

  public static String cancelAddress(String agentId) {
    return "ai.agents." + agentId + ".cancel";
  }

  @Override
  public Future<?> start() {
    mcp = McpClient.create(vertx);
    outcomes = KeyValueStores.open(vertx, Buckets.TASKS);
    KeyValueStore registry = KeyValueStores.open(vertx, Buckets.REGISTRY);
    consumers.add(Messenger.serve(vertx, vertx.eventBus().<JsonObject>consumer(taskAddress(identity.agentId()),
        this::onTask)));
    consumers.add(Messenger.serve(vertx, vertx.eventBus().<JsonObject>consumer(cancelAddress(identity.agentId()),
        this::onCancel)));
    heartbeat = new HeartbeatPublisher(identity, options.heartbeatInterval(), tracker, registry);
    inFlight = Gauge.builder("agentnet.tasks.in_flight", tracker, WorkTracker::inFlight)
        .description("tasks this specialist is running").tags("agent_id", identity.agentId())
        .register(ProcessHealth.meters());
    ProcessHealth.of(vertx).register(healthName(), promise -> promise.complete(Status.OK(new JsonObject()
        .put("in_flight", tracker.inFlight()).put("capacity", tracker.capacity()).put("draining", tracker.draining()))));
    return heartbeat.startWithin(vertx, context).onSuccess(v -> {
      LOG.info("specialist {} ({}) ready: capacity {}, capabilities {}", identity.agentId(), identity.agentType(),
          options.capacity(), identity.capabilities());
    });
  }

  @Override
  public Future<?> stop() {
    ProcessHealth.of(vertx).unregister(healthName());
    if (inFlight != null) {
      ProcessHealth.meters().remove(inFlight);
    }
    tracker.startDraining();
    heartbeat.beatNow();
    LOG.info("specialist {} draining: {} task(s) running, waiting up to {} s", identity.agentId(), running.size(),
        options.drainTimeout().toSeconds());
    Future<Void> idle = tracker.whenIdle();
    return Future.any(idle, timeout(options.drainTimeout())).recover(e -> Future.succeededFuture())
        .compose(v -> {
          for (RunningTask task : List.copyOf(running.values())) {
            task.context.cancel();
            publish(task, "task.released", new JsonObject().put("reason", identity.agentId() + " is stopping"));
            LOG.info("specialist {} handed {} back", identity.agentId(), task.taskId);
          }
          consumers.forEach(c -> {
            Messenger.withdraw(vertx, c.address());
            c.unregister();
          });
          breakers.values().forEach(CircuitBreaker::close);
          return heartbeat.stop(); // the offline beat, only now that the drain is over
        });
  }

  private Future<Void> timeout(Duration d) {
    return Future.future(p -> vertx.setTimer(Math.max(1, d.toMillis()), t -> p.tryComplete()));
  }

  private void onTask(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    TaskAssignment assignment;
    try {
      assignment = TaskAssignment.fromJson(body);
    } catch (MessageFormatException e) {
      msg.fail(400, e.getMessage());
      return;
    }
    String taskId = assignment.taskId();
    if (running.containsKey(taskId) || recent.containsKey(taskId)) {
      msg.reply(new JsonObject().put("accepted", true).put("duplicate", true));
      return;
    }
    Skill skill = skills.find(assignment.taskType()).orElse(null);
    if (skill == null || !identity.capabilities().contains(skill.capability())) {
      msg.fail(400, identity.agentId() + " cannot run \"" + assignment.taskType() + "\"; it runs "
          + skills.actionsFor(identity.capabilities()).stream().sorted().toList());
      return;
    }
    if (tracker.draining()) {
      msg.fail(503, identity.agentId() + " is draining and takes no new work");
      return;
    }
    if (!tracker.tryAcquire()) {
      msg.fail(429, identity.agentId() + " is at capacity (" + tracker.inFlight() + "/" + tracker.capacity() + ")");
      return;
    }
    recent.put(taskId, true);
    RunningTask task = new RunningTask(taskId, body.getString("workflow_id", ""), body.getString("step_id", ""),
        body.getInteger("attempt", 1), Instant.now());
    task.context = new BusTaskContext(task, assignment.parameters(), assignment.deadline());
    running.put(taskId, task);
    msg.reply(new JsonObject().put("accepted", true));
    publish(task, "task.started", new JsonObject().put("action", skill.action()));
    Future<JsonObject> outcome;
    try {
      outcome = skill.run(task.context);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> finish(task, skill, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void finish(RunningTask task, Skill skill, JsonObject result, Throwable failure) {
    if (running.remove(task.taskId) == null) {
      return;
    }
    tracker.release();
    String outcome = task.context.cancelled() ? "cancelled" : failure == null ? "succeeded" : "failed";
    ProcessHealth.meters().counter("agentnet.tasks", "agent_id", identity.agentId(), "action", skill.action(),
        "outcome", outcome).increment();
    if (task.context.cancelled()) {
      publish(task, "task.cancelled", new JsonObject());
      return;
    }
    JsonObject record = new JsonObject().put("task_id", task.taskId).put("workflow_id", task.workflowId)
        .put("step_id", task.stepId).put("attempt", task.attempt).put("agent_id", identity.agentId())
        .put("action", skill.action()).put("started_at", task.startedAt.toString())
        .put("finished_at", Instant.now().toString());
    if (failure == null) {
      record.put("status", "succeeded").put("result", result == null ? new JsonObject() : result);
    } else {
      boolean retryable = failure instanceof SkillException s ? s.retryable() : !(failure instanceof IllegalArgumentException);
      String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
      record.put("status", "failed").put("error", reason).put("retryable", retryable);
      if (task.context.unavailableServer != null) {
        record.put("failure_kind", "mcp_unavailable").put("mcp_server", task.context.unavailableServer);
      }
    }
    // the bucket first: an orchestrator that takes over finds the outcome even if it missed the event
    outcomes.create(task.taskId, record).recover(e -> StoreException.isConflict(e) ? Future.succeededFuture(0L)
            : Future.failedFuture(e))
        .onFailure(e -> LOG.warn("task {}: outcome not stored ({}); the event still carries it", task.taskId,
            e.getMessage()))
        .onComplete(ar -> publish(task, failure == null ? "task.completed" : "task.failed", record));
  }

  private void onCancel(Message<JsonObject> msg) {
    String taskId = msg.body().getString("task_id");
    RunningTask task = taskId == null ? null : running.get(taskId);
    if (task == null) {
      msg.reply(new JsonObject().put("cancelled", false).put("reason", "not running here"));
      return;
    }
    task.context.cancel();
    msg.reply(new JsonObject().put("cancelled", true));
  }

  private void publish(RunningTask task, String type, JsonObject data) {
    JsonObject payload = data.copy().put("task_id", task.taskId).put("workflow_id", task.workflowId)
        .put("step_id", task.stepId).put("attempt", task.attempt).put("agent_id", identity.agentId());
    Events.publish(vertx, "task", task.workflowId.isEmpty() ? "none" : task.workflowId,
        Event.of(type, identity.agentId(), payload));
  }

  private CircuitBreaker breaker(String server) {
    return breakers.computeIfAbsent(server, s -> CircuitBreaker.create("mcp-" + s, vertx, new CircuitBreakerOptions()
        .setMaxFailures(options.breakerMaxFailures()).setResetTimeout(options.breakerReset().toMillis())
        .setTimeout(-1)));
  }

  private static final class RunningTask {
    final String taskId;
    final String workflowId;
    final String stepId;
    final int attempt;
    final Instant startedAt;
    BusTaskContext context;

    RunningTask(String taskId, String workflowId, String stepId, int attempt, Instant startedAt) {
      this.taskId = taskId;
      this.workflowId = workflowId;
      this.stepId = stepId;
      this.attempt = attempt;
      this.startedAt = startedAt;
    }
  }

  /** What a skill sees: its inputs, tools behind the circuit breakers, progress, cancellation. */
  private final class BusTaskContext implements TaskContext {
    private final RunningTask task;
    private final JsonObject inputs;
    private final Instant deadline;
    private volatile boolean cancelled;
    String unavailableServer;

    BusTaskContext(RunningTask task, JsonObject inputs, Instant deadline) {
      this.task = task;
      this.inputs = inputs;
      this.deadline = deadline;
    }

    void cancel() {
      cancelled = true;
    }

    @Override
    public String taskId() {
      return task.taskId;
    }

    @Override
    public String workflowId() {
      return task.workflowId;
    }

    @Override
    public String stepId() {
      return task.stepId;
    }

    @Override
    public int attempt() {
      return task.attempt;
    }

    @Override
    public JsonObject inputs() {
      return inputs.copy();
    }

    @Override
    public Future<JsonObject> callTool(String server, String tool, JsonObject arguments) {
      if (cancelled) {
        return Future.failedFuture(SkillException.cancelled());
      }
      CircuitBreaker breaker = breaker(server);
      if (breaker.state() == CircuitBreakerState.OPEN) {
        unavailableServer = server;
        return Future.failedFuture(SkillException.retryable("MCP server " + server + " is unavailable: its circuit is "
            + "open after repeated failures; it is tried again in " + options.breakerReset().toSeconds() + " s"));
      }
      long left = Duration.between(Instant.now(), deadline).toMillis();
      Duration timeout = Duration.ofMillis(Math.max(1000, Math.min(left, options.toolTimeout().toMillis())));
      // only the transport counts against the breaker; a tool that answers with an error is a healthy server
      return breaker.<JsonObject>execute(p -> mcp.callTool(server, tool, arguments, timeout)
              .recover(e -> e instanceof McpException m ? Future.succeededFuture(protocolError(m)) : Future.failedFuture(e))
              .onComplete(p))
          .recover(e -> {
            unavailableServer = server;
            String why = e instanceof ReplyException r ? switch (r.failureType()) {
              case NO_HANDLERS -> "no MCP server " + server + " is reachable";
              case TIMEOUT -> "MCP server " + server + " did not answer " + tool + " within " + timeout.toSeconds() + " s";
              default -> "MCP server " + server + " failed: " + r.getMessage();
            } : "MCP server " + server + " is unavailable: " + e.getMessage();
            return Future.failedFuture(SkillException.retryable(why));
          })
          .compose(result -> {
            if (result.getBoolean("isError", false)) {
              return Future.failedFuture(SkillException.permanent(server + "/" + tool + ": " + McpClient.text(result)));
            }
            JsonObject structured = result.getJsonObject("structuredContent");
            return Future.succeededFuture(structured != null ? structured
                : new JsonObject().put("text", McpClient.text(result)));
          });
    }

    /** A JSON-RPC error (an unknown tool, bad params) is the caller's mistake, not the server's health. */
    private JsonObject protocolError(McpException e) {
      return new JsonObject().put("isError", true).put("content", new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("type", "text").put("text", e.getMessage())));
    }

    @Override
    public void progress(String message) {
      publish(task, "task.progress", new JsonObject().put("message", message));
    }

    @Override
    public boolean cancelled() {
      return cancelled;
    }
  }
}
