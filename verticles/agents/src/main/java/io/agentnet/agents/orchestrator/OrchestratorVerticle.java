package io.agentnet.agents.orchestrator;

import io.agentnet.agents.orchestrator.WorkflowRun.StepRun;
import io.agentnet.agents.specialist.SpecialistVerticle;
import io.agentnet.agents.workflow.WorkflowDefinition;
import io.agentnet.agents.workflow.WorkflowDefinitions;
import io.agentnet.agents.workflow.WorkflowValidationException;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Event;
import io.agentnet.bridge.message.MessageFormatException;
import io.agentnet.bridge.message.TaskAssignment;
import io.agentnet.bridge.message.WorkflowRequest;
import io.agentnet.bridge.message.WorkflowStatus;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.health.ProcessHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.vertx.ext.healthchecks.Status;
import io.agentnet.runtime.events.Events;
import io.agentnet.runtime.heartbeat.HeartbeatPublisher;
import io.agentnet.runtime.heartbeat.LoadReporter;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.registry.AgentDirectory;
import io.agentnet.runtime.registry.AgentRegistry;
import io.agentnet.runtime.registry.AgentRegistry.AgentInfo;
import io.agentnet.runtime.registry.AgentRegistry.Transition;
import io.agentnet.runtime.registry.DirectoryOptions;
import io.agentnet.runtime.store.Buckets;
import io.agentnet.runtime.store.KeyValueStore;
import io.agentnet.runtime.store.KeyValueStores;
import io.agentnet.runtime.store.KvEntry;
import io.agentnet.runtime.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The orchestrator: the micro service {@code orchestrator} (submit, get, list, cancel: any instance
 * answers, since they only touch the workflows bucket) and, on the leader, the engine that hands
 * ready steps to the least-loaded specialist with the capability, follows their outcomes from task
 * events and the tasks bucket, retries with backoff, fails over, and writes every change back to
 * the bucket so a standby can take over from exactly there.
 */
public final class OrchestratorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorVerticle.class);
  private static final Pattern WORKFLOW_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  public static final String SERVICE = "orchestrator";
  /** The service's endpoints, each on {@code ai.orchestrator.<verb>}. */
  public static final List<String> VERBS = List.of("submit", "get", "list", "cancel", "definitions");
  /** A step whose MCP server could not be reached tries again this soon, until the server's circuit opens. */
  private static final Duration MCP_RETRY_WAIT = Duration.ofMillis(200);

  private final AgentIdentity identity;
  private final OrchestratorOptions options;
  private final WorkflowDefinitions definitions;
  private final Duration heartbeatInterval;

  private KeyValueStore workflows;
  private KeyValueStore tasks;
  private LeaderLease lease;
  private AgentDirectory directory;
  private Messenger messenger;
  private Breakers breakers;
  private final Scheduler scheduler = new Scheduler();
  private HeartbeatPublisher heartbeat;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();

  /** The leader's working set: every unfinished workflow, with the bucket revision it was read or written at. */
  private final Map<String, WorkflowRun> runs = new HashMap<>();
  private final Map<String, Long> revisions = new HashMap<>();
  private final Map<String, Future<Void>> writes = new HashMap<>();
  /** Overdue tasks whose outcome is being looked up in the tasks bucket, so a tick does not ask again. */
  private final Set<String> overdueChecks = new HashSet<>();
  private boolean leader;
  private boolean dispatchScheduled;
  /** Why the workflows bucket could not be read at the last scan, for /health; null when it could. */
  private String storeProblem;
  private final List<Meter> meters = new ArrayList<>();

  public OrchestratorVerticle(AgentIdentity identity, OrchestratorOptions options, WorkflowDefinitions definitions,
                              Duration heartbeatInterval) {
    this.identity = identity;
    this.options = options;
    this.definitions = definitions;
    this.heartbeatInterval = heartbeatInterval;
  }

  @Override
  public Future<?> start() {
    messenger = Messenger.create(vertx);
    breakers = new Breakers(vertx, options.breakerMaxFailures(), options.breakerReset());
    workflows = KeyValueStores.open(vertx, Buckets.WORKFLOWS);
    tasks = KeyValueStores.open(vertx, Buckets.TASKS);
    KeyValueStore registryStore = KeyValueStores.open(vertx, Buckets.REGISTRY);
    lease = new LeaderLease(KeyValueStores.open(vertx, Buckets.LEASES, options.leaseTtl()), identity.agentId(),
        options.leaseTtl(), Instant::now);
    for (String verb : VERBS) {
      String address = "ai.orchestrator." + verb;
      consumers.add(Messenger.serve(vertx, vertx.eventBus().<Object>consumer(address, msg -> serve(verb, msg))));
    }
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, this::onEvent));
    meters.add(Gauge.builder("agentnet.workflows.active", runs, Map::size)
        .description("unfinished workflows the leader is running").tags("agent_id", identity.agentId())
        .register(ProcessHealth.meters()));
    meters.add(Gauge.builder("agentnet.orchestrator.leader", this, o -> o.leader ? 1 : 0)
        .description("1 while this orchestrator holds the leader lease").tags("agent_id", identity.agentId())
        .register(ProcessHealth.meters()));
    ProcessHealth.of(vertx).register(healthName(), promise -> {
      JsonObject data = new JsonObject().put("leader", leader).put("active", runs.size());
      promise.complete(storeProblem == null ? Status.OK(data) : Status.KO(data.put("problem", storeProblem)));
    });
    return AgentDirectory.start(vertx, new DirectoryOptions().setHeartbeatInterval(heartbeatInterval)
            .setRegistryStore(registryStore).setPublishEvents(false).setSourceAgentId(identity.agentId()))
        .compose(d -> {
          directory = d;
          directory.onTransition(this::onAgentTransition);
          heartbeat = new HeartbeatPublisher(identity, heartbeatInterval, LoadReporter.idle(), registryStore);
          return heartbeat.startWithin(vertx, context);
        })
        .compose(v -> {
          if (options.leaderElection()) {
            timers.add(vertx.setPeriodic(0, options.leaseTtl().dividedBy(3).toMillis(), t -> electionTick()));
            LOG.info("orchestrator {}: leader election on, lease {} s; standing by until it holds the lease",
                identity.agentId(), options.leaseTtl().toSeconds());
            return Future.succeededFuture();
          }
          return becomeLeader();
        })
        .onSuccess(v -> {
          timers.add(vertx.setPeriodic(options.tick().toMillis(), t -> tick()));
          timers.add(vertx.setPeriodic(options.scanInterval().toMillis(), t -> {
            if (leader) {
              scan();
            }
          }));
          LOG.info("orchestrator {} ready: workflows {}", identity.agentId(), definitions.types());
        });
  }

  private String healthName() {
    return "orchestrator/" + identity.agentId();
  }

  @Override
  public Future<?> stop() {
    ProcessHealth.of(vertx).unregister(healthName());
    meters.forEach(ProcessHealth.meters()::remove);
    timers.forEach(vertx::cancelTimer);
    consumers.forEach(c -> {
      Messenger.withdraw(vertx, c.address());
      c.unregister();
    });
    breakers.close();
    Future<Void> pending = Future.join(new ArrayList<>(writes.values())).mapEmpty();
    return pending.recover(e -> Future.succeededFuture())
        .compose(v -> lease.release().recover(e -> Future.succeededFuture()))
        .compose(v -> directory == null ? Future.succeededFuture() : directory.close())
        .compose(v -> heartbeat == null ? Future.succeededFuture() : heartbeat.stop()); // offline once the lease is free
  }

  // ---- leadership ----------------------------------------------------------------------------

  private void electionTick() {
    lease.tick().onSuccess(isLeader -> {
      if (isLeader && !leader) {
        becomeLeader();
      } else if (!isLeader && leader) {
        LOG.warn("orchestrator {} lost the lease: standing by", identity.agentId());
        leader = false;
        runs.clear();
        revisions.clear();
      }
    });
  }

  private Future<Void> becomeLeader() {
    leader = true;
    LOG.info("orchestrator {} is the leader: resuming unfinished workflows from the bucket", identity.agentId());
    return scan().onSuccess(n -> LOG.info("orchestrator {} resumed {} unfinished workflow(s)", identity.agentId(), n))
        .mapEmpty();
  }

  /** Adopts every unfinished workflow in the bucket not yet in the working set; checks its running tasks' outcomes. */
  private Future<Integer> scan() {
    return workflows.entries().map(entries -> {
      int adopted = 0;
      for (KvEntry e : entries) {
        if (!runs.containsKey(e.key()) && adopt(e) != null) {
          adopted++;
        } else if (runs.containsKey(e.key()) && e.value().getBoolean("cancel_requested", false)
            && !runs.get(e.key()).cancelRequested()) {
          cancelRun(runs.get(e.key()), e.value().getString("cancel_reason"));
        }
      }
      storeProblem = null;
      return adopted;
    }).onFailure(e -> {
      storeProblem = "cannot read the workflows bucket: " + e.getMessage();
      LOG.warn("orchestrator {}: {}", identity.agentId(), storeProblem);
    });
  }

  private WorkflowRun adopt(KvEntry entry) {
    WorkflowRun run;
    try {
      run = WorkflowRun.fromJson(entry.value(), definitions);
    } catch (RuntimeException ex) {
      LOG.error("workflow {} in the bucket cannot be resumed: {}", entry.key(), ex.getMessage());
      return null;
    }
    if (run.status().terminal()) {
      return null;
    }
    runs.put(run.workflowId(), run);
    revisions.put(run.workflowId(), entry.revision());
    if (run.cancelRequested()) {
      cancelRun(run, entry.value().getString("cancel_reason"));
      return run;
    }
    // outcomes that arrived while nobody led (or events this process missed) are in the tasks bucket
    for (StepRun step : run.activeSteps()) {
      checkTaskOutcome(run, step);
    }
    scheduleDispatch();
    return run;
  }

  private void checkTaskOutcome(WorkflowRun run, StepRun step) {
    String taskId = step.taskId();
    tasks.get(taskId).onSuccess(entry -> {
      if (entry != null) {
        applyOutcome(run.workflowId(), entry.value());
      } else if (runs.get(run.workflowId()) == run && step.status() == WorkflowRun.StepStatus.ASSIGNED
          && taskId.equals(step.taskId())) {
        resend(run, step);
      }
    });
  }

  /**
   * Sends an adopted step's task again: the previous leader may have died between writing the assignment and
   * sending it, and the step would then wait for its deadline. A specialist takes a task id once, so one that
   * already has it only says so.
   */
  private void resend(WorkflowRun run, StepRun step) {
    String taskId = step.taskId();
    String agentId = step.agentId();
    JsonObject body;
    try {
      body = assignment(run, step, taskId, agentId, run.inputsFor(step));
    } catch (RuntimeException e) {
      return; // resolved once before; if not now, the deadline check takes the step
    }
    messenger.request(SpecialistVerticle.taskAddress(agentId), body, options.handOutTimeout())
        .onSuccess(reply -> LOG.info("orchestrator {}: task {} sent again to {} on taking over ({})", identity.agentId(),
            taskId, agentId, Messenger.jsonBody(reply.body()).getBoolean("duplicate", false) ? "it had it"
                : "it had not had it"))
        .onFailure(e -> notHandedOut(run, step, taskId, agentId, e));
  }

  // ---- the service ---------------------------------------------------------------------------

  private void serve(String verb, Message<Object> msg) {
    JsonObject body;
    try {
      body = Messenger.jsonBody(msg.body());
    } catch (RuntimeException e) {
      msg.fail(400, "the request body must be a JSON object");
      return;
    }
    Future<JsonObject> reply = switch (verb) {
      case "submit" -> submit(body);
      case "get" -> get(body);
      case "list" -> list(body);
      case "definitions" -> Future.succeededFuture(definitions.toJson());
      default -> cancel(body);
    };
    reply.onSuccess(msg::reply).onFailure(e -> {
      if (e instanceof ReplyException r) {
        msg.fail(r.failureCode(), r.getMessage());
      } else if (e instanceof StoreException s && s.reason() == StoreException.Reason.UNAVAILABLE) {
        msg.fail(503, "workflow state is unavailable: " + s.getMessage());
      } else {
        msg.fail(500, e.getMessage());
      }
    });
  }

  private static ReplyException error(int code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
  }

  private Future<JsonObject> submit(JsonObject body) {
    JsonObject json = body.copy();
    if (!json.containsKey("workflow_id")) {
      json.put("workflow_id", UUID.randomUUID().toString());
    }
    if (!json.containsKey("requester_id")) {
      json.put("requester_id", "anonymous");
    }
    if (!json.containsKey("parameters")) {
      json.put("parameters", new JsonObject());
    }
    WorkflowRequest request;
    WorkflowRun run;
    try {
      request = WorkflowRequest.fromJson(json);
      if (!WORKFLOW_ID.matcher(request.workflowId()).matches()) {
        return Future.failedFuture(error(400, "workflow_id \"" + request.workflowId()
            + "\": use 1 to 64 letters, digits, - or _"));
      }
      WorkflowDefinition definition = definitions.require(request.workflowType());
      JsonObject parameters = definition.validateParameters(request.parameters());
      run = WorkflowRun.create(request, definition, parameters, Instant.now());
    } catch (MessageFormatException | WorkflowValidationException e) {
      return Future.failedFuture(error(400, e.getMessage()));
    }
    JsonObject record = run.toJson();
    return workflows.create(run.workflowId(), record).map(rev -> {
      ProcessHealth.meters().counter("agentnet.workflows.submitted", "workflow_type", run.workflowType()).increment();
      publishWorkflow(run, "workflow.submitted", new JsonObject());
      if (leader) {
        runs.put(run.workflowId(), run);
        revisions.put(run.workflowId(), rev);
        scheduleDispatch();
      }
      return new JsonObject().put("workflow_id", run.workflowId()).put("status", run.status().json());
    }).recover(e -> {
      if (!StoreException.isConflict(e)) {
        return Future.failedFuture(e);
      }
      // the same request again (a client retrying) is accepted once; another one under that id is refused
      return workflows.get(run.workflowId()).compose(existing -> {
        if (existing != null && existing.value().getString("workflow_type").equals(run.workflowType())
            && existing.value().getJsonObject("parameters").equals(record.getJsonObject("parameters"))) {
          return Future.succeededFuture(new JsonObject().put("workflow_id", run.workflowId())
              .put("status", existing.value().getString("status")).put("duplicate", true));
        }
        return Future.failedFuture(error(409, "workflow_id " + run.workflowId() + " is already used by another workflow"));
      });
    });
  }

  private Future<JsonObject> get(JsonObject body) {
    String id = body.getString("workflow_id");
    if (id == null) {
      return Future.failedFuture(error(400, "workflow_id is required"));
    }
    WorkflowRun live = runs.get(id);
    if (live != null) {
      return Future.succeededFuture(live.toJson());
    }
    if (!WORKFLOW_ID.matcher(id).matches()) {
      return Future.failedFuture(error(404, "no workflow " + id));
    }
    return workflows.get(id).compose(e -> e == null ? Future.failedFuture(error(404, "no workflow " + id))
        : Future.succeededFuture(e.value()));
  }

  private Future<JsonObject> list(JsonObject body) {
    String status = body.getString("status");
    String type = body.getString("workflow_type");
    int limit = Math.max(1, Math.min(1000, body.getInteger("limit", options.listLimit())));
    return workflows.entries().map(entries -> {
      List<JsonObject> summaries = new ArrayList<>();
      for (KvEntry e : entries) {
        JsonObject v = runs.containsKey(e.key()) ? runs.get(e.key()).toJson() : e.value();
        if ((status == null || status.equals(v.getString("status")))
            && (type == null || type.equals(v.getString("workflow_type")))) {
          JsonObject s = new JsonObject();
          for (String key : List.of("workflow_id", "workflow_type", "status", "priority", "submitted_at", "started_at",
              "finished_at", "error", "step_status")) {
            if (v.containsKey(key)) {
              s.put(key, v.getValue(key));
            }
          }
          summaries.add(s);
        }
      }
      summaries.sort(Comparator.comparing((JsonObject s) -> s.getString("submitted_at", "")).reversed());
      JsonArray out = new JsonArray();
      summaries.stream().limit(limit).forEach(out::add);
      return new JsonObject().put("workflows", out).put("total", summaries.size());
    });
  }

  private Future<JsonObject> cancel(JsonObject body) {
    String id = body.getString("workflow_id");
    String reason = body.getString("reason", "cancelled by request");
    if (id == null) {
      return Future.failedFuture(error(400, "workflow_id is required"));
    }
    WorkflowRun live = runs.get(id);
    if (leader && live != null) {
      cancelRun(live, reason);
      return Future.succeededFuture(new JsonObject().put("workflow_id", id).put("status", live.status().json()));
    }
    if (!WORKFLOW_ID.matcher(id).matches()) {
      return Future.failedFuture(error(404, "no workflow " + id));
    }
    // not the leader: mark the record; the leader applies it when it hears the event (or at its next scan)
    return workflows.get(id).compose(e -> {
      if (e == null) {
        return Future.failedFuture(error(404, "no workflow " + id));
      }
      JsonObject record = e.value();
      if (WorkflowStatus.fromJson(record.getString("status")).terminal()) {
        return Future.failedFuture(error(409, "workflow " + id + " has already finished: " + record.getString("status")));
      }
      record.put("cancel_requested", true).put("cancel_reason", reason);
      return workflows.update(id, record, e.revision()).map(rev -> {
        Events.publish(vertx, "workflow", id, "workflow.cancel_requested", identity.agentId(),
            new JsonObject().put("workflow_id", id).put("reason", reason));
        return new JsonObject().put("workflow_id", id).put("status", "cancelling");
      });
    });
  }

  // ---- events --------------------------------------------------------------------------------

  private void onEvent(Message<JsonObject> msg) {
    if (!leader) {
      return;
    }
    JsonObject event = msg.body();
    String type = event.getString("event_type", "");
    JsonObject data = event.getJsonObject("data", new JsonObject());
    String workflowId = data.getString("workflow_id");
    if (workflowId == null) {
      return;
    }
    switch (type) {
      case "task.started", "task.completed", "task.failed", "task.released" -> applyOutcome(workflowId, data.put("event", type));
      case "workflow.submitted" -> {
        if (!runs.containsKey(workflowId) && !identity.agentId().equals(event.getString("source"))) {
          workflows.get(workflowId).onSuccess(e -> {
            if (e != null && !runs.containsKey(workflowId)) {
              adopt(e);
            }
          });
        }
      }
      case "workflow.cancel_requested" -> {
        WorkflowRun run = runs.get(workflowId);
        if (run != null) {
          cancelRun(run, data.getString("reason"));
        }
      }
      default -> {
      }
    }
  }

  /** A task event or a task outcome record: {@code event} says which (outcome records carry {@code status}). */
  private void applyOutcome(String workflowId, JsonObject data) {
    WorkflowRun run = runs.get(workflowId);
    String taskId = data.getString("task_id");
    if (run == null || taskId == null) {
      return;
    }
    StepRun step = run.stepOfTask(taskId);
    if (step == null) {
      if (data.containsKey("result") || "task.completed".equals(data.getString("event"))) {
        LOG.debug("ignoring an outcome of task {}: not the current attempt of its step", taskId);
      }
      return;
    }
    String kind = data.getString("event", "task." + data.getString("status", ""));
    Instant now = Instant.now();
    String agent = step.agentId();
    boolean changed;
    switch (kind) {
      case "task.started" -> changed = run.started(taskId, now);
      case "task.completed", "task.succeeded" -> {
        changed = run.succeeded(taskId, data.getJsonObject("result", new JsonObject()), now);
        if (changed) {
          breakers.success("agent:" + agent);
          serversOf(step).forEach(s -> breakers.success("mcp:" + s));
        }
      }
      case "task.failed" -> {
        String reason = data.getString("error", "failed without a reason");
        String server = data.getString("mcp_server");
        if (server != null && "mcp_unavailable".equals(data.getString("failure_kind"))) {
          breakers.failure("mcp:" + server, reason);
          changed = run.deferred(taskId, reason, MCP_RETRY_WAIT, now);
          break;
        }
        changed = run.failed(taskId, reason, data.getBoolean("retryable", false), now, ThreadLocalRandom.current()::nextDouble);
      }
      case "task.released" -> changed = run.lost(taskId, "handed back by " + agent + ": "
          + data.getString("reason", "draining"), false, now, null);
      default -> changed = false;
    }
    if (changed) {
      afterChange(run, step);
    }
  }

  private void onAgentTransition(Transition t) {
    if (!leader || t.kind() != AgentRegistry.Kind.OFFLINE) {
      return;
    }
    Instant now = Instant.now();
    for (WorkflowRun run : List.copyOf(runs.values())) {
      for (StepRun step : run.activeSteps()) {
        if (t.agentId().equals(step.agentId())) {
          // its outcome may be recorded already; otherwise the step goes to another agent
          tasks.get(step.taskId()).onComplete(ar -> {
            if (ar.succeeded() && ar.result() != null) {
              applyOutcome(run.workflowId(), ar.result().value());
            } else if (run.lost(step.taskId(), "agent " + t.agentId() + " went offline (" + t.reason() + ")", false,
                now, null)) {
              LOG.warn("workflow {} step {}: agent {} went offline; handing the step to another agent",
                  run.workflowId(), step.id(), t.agentId());
              afterChange(run, step);
            }
          });
        }
      }
    }
  }

  // ---- the engine ----------------------------------------------------------------------------

  private void tick() {
    if (!leader) {
      return;
    }
    Instant now = Instant.now();
    for (WorkflowRun run : List.copyOf(runs.values())) {
      if (run.overdue(now)) {
        List<StepRun> running = run.timedOut(now);
        running.forEach(s -> tellToStop(s, "workflow timed out"));
        afterChange(run, null);
        continue;
      }
      for (StepRun step : run.activeSteps()) {
        if (step.deadline() != null && now.isAfter(step.deadline()) && overdueChecks.add(step.taskId())) {
          String agent = step.agentId();
          String taskId = step.taskId();
          tasks.get(taskId).onComplete(ar -> {
            overdueChecks.remove(taskId);
            if (ar.succeeded() && ar.result() != null) {
              applyOutcome(run.workflowId(), ar.result().value());
              return;
            }
            if (run.lost(taskId, "no result from " + agent + " within " + step.definition().timeout().toSeconds()
                + " s", true, Instant.now(), ThreadLocalRandom.current()::nextDouble)) {
              breakers.failure("agent:" + agent, "missed a deadline");
              tellToStop(taskId, agent, "deadline passed");
              afterChange(run, step);
            }
          });
        }
      }
    }
    dispatch();
  }

  private void scheduleDispatch() {
    if (!dispatchScheduled) {
      dispatchScheduled = true;
      vertx.runOnContext(v -> {
        dispatchScheduled = false;
        dispatch();
      });
    }
  }

  /** Hands out every ready step it can: highest priority first, oldest first within a priority. */
  private void dispatch() {
    if (!leader) {
      return;
    }
    Instant now = Instant.now();
    List<ReadyStep> ready = new ArrayList<>();
    for (WorkflowRun run : runs.values()) {
      for (StepRun step : run.ready(now)) {
        ready.add(new ReadyStep(run, step));
      }
    }
    if (ready.isEmpty()) {
      return;
    }
    ready.sort(Comparator.<ReadyStep>comparingInt(r -> r.run().priority())
        .thenComparing(r -> r.run().submittedAt()));
    Map<String, Integer> inFlight = inFlightByAgent();
    for (ReadyStep item : ready) {
      WorkflowRun run = item.run();
      StepRun step = item.step();
      Optional<String> blocked = unavailableServer(step);
      if (blocked.isPresent()) {
        continue;
      }
      List<Scheduler.Candidate> candidates = new ArrayList<>();
      for (AgentInfo agent : directory.registry().withCapability(step.definition().capability())) {
        boolean eligible = (agent.status() == AgentStatus.AVAILABLE || agent.status() == AgentStatus.BUSY)
            && !breakers.open("agent:" + agent.agentId());
        candidates.add(new Scheduler.Candidate(agent.agentId(), Set.copyOf(agent.capabilities()), agent.capacity(),
            inFlight.getOrDefault(agent.agentId(), 0), agent.load(), eligible));
      }
      Set<String> avoid = step.avoidAgent() == null ? Set.of() : Set.of(step.avoidAgent());
      Optional<Scheduler.Candidate> pick = scheduler.pick(step.definition().capability(), candidates, avoid);
      if (pick.isEmpty()) {
        continue;
      }
      String agentId = pick.get().agentId();
      inFlight.merge(agentId, 1, Integer::sum);
      handOut(run, step, agentId, now);
    }
  }

  private record ReadyStep(WorkflowRun run, StepRun step) {
  }

  private Map<String, Integer> inFlightByAgent() {
    Map<String, Integer> counts = new HashMap<>();
    for (WorkflowRun run : runs.values()) {
      for (StepRun s : run.activeSteps()) {
        counts.merge(s.agentId(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private Optional<String> unavailableServer(StepRun step) {
    Set<String> online = directory.registry().mcpServers().keySet();
    for (String server : serversOf(step)) {
      if (!online.contains(server) || breakers.open("mcp:" + server)) {
        return Optional.of(server);
      }
    }
    return Optional.empty();
  }

  private static Set<String> serversOf(StepRun step) {
    Set<String> servers = new LinkedHashSet<>();
    for (String tool : step.definition().mcpTools()) {
      int slash = tool.indexOf('/');
      servers.add(slash < 0 ? tool : tool.substring(0, slash));
    }
    return servers;
  }

  private void handOut(WorkflowRun run, StepRun step, String agentId, Instant now) {
    JsonObject inputs;
    try {
      inputs = run.inputsFor(step);
    } catch (RuntimeException e) {
      run.unplaceable(step, "its inputs cannot be resolved: " + e.getMessage(), now);
      afterChange(run, step);
      return;
    }
    String taskId = run.assign(step, agentId, now);
    JsonObject body = assignment(run, step, taskId, agentId, inputs);
    // written before it is sent: a leader that dies in between leaves an assigned step that its successor
    // sends again on taking over, never a task running that the bucket does not know about
    persist(run).compose(v -> messenger.request(SpecialistVerticle.taskAddress(agentId), body, options.handOutTimeout()))
        .onSuccess(reply -> {
          breakers.success("agent:" + agentId);
          publishStep(run, step);
        })
        .onFailure(e -> notHandedOut(run, step, taskId, agentId, e));
  }

  private static JsonObject assignment(WorkflowRun run, StepRun step, String taskId, String agentId, JsonObject inputs) {
    return new TaskAssignment(taskId, step.definition().action(), agentId, inputs, step.deadline(),
        step.definition().dependsOn()).toJson().put("workflow_id", run.workflowId()).put("step_id", step.id())
        .put("attempt", step.attempts()).put("priority", run.priority())
        .put("timeout_seconds", step.definition().timeout().toSeconds());
  }

  private void notHandedOut(WorkflowRun run, StepRun step, String taskId, String agentId, Throwable e) {
    if (run.stepOfTask(taskId) == null) {
      return;
    }
    String reason = "could not hand " + taskId + " to " + agentId + ": " + e.getMessage();
    LOG.info(reason);
    if (!(e instanceof ReplyException r && r.failureCode() == 429)) {
      breakers.failure("agent:" + agentId, reason);
    }
    run.handOutFailed(step, reason, Instant.now());
    afterChange(run, step);
  }

  private void cancelRun(WorkflowRun run, String reason) {
    List<StepRun> running = run.cancel(reason, Instant.now());
    running.forEach(s -> tellToStop(s, "workflow cancelled"));
    afterChange(run, null);
  }

  private void tellToStop(StepRun step, String reason) {
    tellToStop(step.taskId(), step.agentId(), reason);
  }

  private void tellToStop(String taskId, String agentId, String reason) {
    if (taskId == null || agentId == null) {
      return;
    }
    messenger.request(SpecialistVerticle.cancelAddress(agentId), new JsonObject().put("task_id", taskId).put("reason", reason),
        options.handOutTimeout()).onFailure(e -> LOG.debug("could not tell {} to stop {}: {}", agentId, taskId,
        e.getMessage()));
  }

  /** Persists, reports and, when the workflow has finished, lets it go; then looks for more to hand out. */
  private void afterChange(WorkflowRun run, StepRun step) {
    Future<Void> persisted = persist(run);
    if (step != null) {
      publishStep(run, step);
    }
    if (run.status().terminal()) {
      runs.remove(run.workflowId());
      ProcessHealth.meters().counter("agentnet.workflows.finished", "workflow_type", run.workflowType(),
          "status", run.status().json()).increment();
      // Announce the end once the final record is written (or could not be: write() has logged why), so whoever
      // reads the workflow on hearing the event gets the final record, not the one before it.
      persisted.onComplete(ar -> {
        publishWorkflow(run, "workflow." + run.status().json(), new JsonObject().put("response", run.response().toJson()));
        LOG.info("workflow {} ({}) {}{}", run.workflowId(), run.workflowType(), run.status().json(),
            run.error() == null ? "" : ": " + run.error());
      });
    }
    scheduleDispatch();
  }

  /** Writes the run; a conflict means another instance marked it cancelled: take that in and write again. */
  private Future<Void> persist(WorkflowRun run) {
    String id = run.workflowId();
    Future<Void> previous = writes.getOrDefault(id, Future.succeededFuture());
    Future<Void> next = previous.recover(e -> Future.succeededFuture()).compose(v -> write(run, 3));
    writes.put(id, next);
    next.onComplete(ar -> {
      if (writes.get(id) == next) {
        writes.remove(id);
        if (run.status().terminal()) {
          revisions.remove(id);
        }
      }
    });
    return next;
  }

  private Future<Void> write(WorkflowRun run, int triesLeft) {
    String id = run.workflowId();
    JsonObject record = run.toJson();
    Long revision = revisions.get(id);
    Future<Long> written = revision == null ? workflows.put(id, record) : workflows.update(id, record, revision);
    return written.<Void>map(rev -> {
      revisions.put(id, rev);
      return null;
    }).recover(e -> {
      if (StoreException.isConflict(e) && triesLeft > 0) {
        return workflows.get(id).compose(current -> {
          revisions.put(id, current == null ? 0L : current.revision());
          if (current != null && current.value().getBoolean("cancel_requested", false) && !run.cancelRequested()) {
            run.cancel(current.value().getString("cancel_reason"), Instant.now()).forEach(s -> tellToStop(s,
                "workflow cancelled"));
          }
          return write(run, triesLeft - 1);
        });
      }
      LOG.warn("workflow {}: state not saved: {}", id, e.getMessage());
      return Future.failedFuture(e);
    });
  }

  private void publishStep(WorkflowRun run, StepRun step) {
    JsonObject data = new JsonObject().put("workflow_id", run.workflowId()).put("step_id", step.id())
        .put("status", step.status().json()).put("attempt", step.attempts()).put("compensation", step.compensation());
    if (step.agentId() != null) {
      data.put("agent_id", step.agentId());
    }
    if (step.taskId() != null) {
      data.put("task_id", step.taskId());
    }
    if (step.error() != null) {
      data.put("error", step.error());
    }
    publishWorkflow(run, "workflow.step", data);
  }

  private void publishWorkflow(WorkflowRun run, String type, JsonObject data) {
    JsonObject payload = run.summary().mergeIn(data);
    Events.publish(vertx, "workflow", run.workflowId(), Event.of(type, identity.agentId(), payload));
  }

}
