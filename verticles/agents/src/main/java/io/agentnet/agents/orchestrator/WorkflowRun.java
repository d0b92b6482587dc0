package io.agentnet.agents.orchestrator;

import io.agentnet.agents.workflow.StepDefinition;
import io.agentnet.agents.workflow.Templates;
import io.agentnet.agents.workflow.WorkflowDefinition;
import io.agentnet.agents.workflow.WorkflowDefinitions;
import io.agentnet.bridge.message.WorkflowRequest;
import io.agentnet.bridge.message.WorkflowResponse;
import io.agentnet.bridge.message.WorkflowStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * One workflow's state and its transitions (plain Java): which steps wait, which run where, with
 * how many attempts, and what came out. The leader orchestrator holds these in memory and writes
 * each change to the workflows bucket as {@link #toJson()}, so a standby resumes from exactly there.
 *
 * <p>Two counters per step: {@code attempts} counts hand-outs (it makes each task id unique) and
 * {@code failures} counts attempts that went wrong and is held against the retry policy. An agent
 * that disappears or hands work back is not the step's fault: the step goes to another agent
 * without using up a retry.
 */
public final class WorkflowRun {

  public enum StepStatus {
    PENDING, ASSIGNED, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    static StepStatus fromJson(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public boolean active() {
      return this == ASSIGNED || this == RUNNING;
    }

    public boolean terminal() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }
  }

  /** The workflow runs its steps, or, after a step failed for good, its compensation steps. */
  public enum Phase { MAIN, COMPENSATING }

  /** One step's state. */
  public static final class StepRun {
    final StepDefinition definition;
    final boolean compensation;
    StepStatus status = StepStatus.PENDING;
    int attempts;
    int failures;
    String taskId;
    String agentId;
    String avoidAgent;
    Instant assignedAt;
    Instant startedAt;
    Instant finishedAt;
    Instant deadline;
    Instant notBefore;
    JsonObject result;
    String error;
    final JsonArray history = new JsonArray();

    StepRun(StepDefinition definition, boolean compensation) {
      this.definition = definition;
      this.compensation = compensation;
    }

    public String id() {
      return definition.id();
    }

    public StepDefinition definition() {
      return definition;
    }

    public StepStatus status() {
      return status;
    }

    public String taskId() {
      return taskId;
    }

    public String agentId() {
      return agentId;
    }

    public String avoidAgent() {
      return avoidAgent;
    }

    public Instant deadline() {
      return deadline;
    }

    public int attempts() {
      return attempts;
    }

    /** Why the last attempt failed (kept while the step waits for its retry), or null. */
    public String error() {
      return error;
    }

    public boolean compensation() {
      return compensation;
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("status", status.json()).put("action", definition.action())
          .put("capability", definition.capability()).put("attempts", attempts).put("failures", failures);
      put(json, "task_id", taskId);
      put(json, "agent_id", agentId);
      put(json, "avoid_agent", avoidAgent);
      put(json, "assigned_at", assignedAt);
      put(json, "started_at", startedAt);
      put(json, "finished_at", finishedAt);
      put(json, "deadline", deadline);
      put(json, "not_before", notBefore);
      if (result != null) {
        json.put("result", result.copy());
      }
      put(json, "error", error);
      return json.put("history", history.copy());
    }

    void readJson(JsonObject json) {
      status = StepStatus.fromJson(json.getString("status", "pending"));
      attempts = json.getInteger("attempts", 0);
      failures = json.getInteger("failures", 0);
      taskId = json.getString("task_id");
      agentId = json.getString("agent_id");
      avoidAgent = json.getString("avoid_agent");
      assignedAt = instant(json, "assigned_at");
      startedAt = instant(json, "started_at");
      finishedAt = instant(json, "finished_at");
      deadline = instant(json, "deadline");
      notBefore = instant(json, "not_before");
      result = json.getJsonObject("result");
      error = json.getString("error");
      history.addAll(json.getJsonArray("history", new JsonArray()));
    }
  }

  private final WorkflowDefinition definition;
  private final String workflowId;
  private final JsonObject parameters;
  private final String requesterId;
  private final int priority;
  private final int timeoutSeconds;
  private final Instant submittedAt;
  private WorkflowStatus status = WorkflowStatus.PENDING;
  private Phase phase = Phase.MAIN;
  private Instant startedAt;
  private Instant finishedAt;
  private boolean cancelRequested;
  private String cancelReason;
  private String error;
  private final Map<String, StepRun> steps = new LinkedHashMap<>();
  private final Map<String, StepRun> compensation = new LinkedHashMap<>();

  private WorkflowRun(WorkflowDefinition definition, String workflowId, JsonObject parameters, String requesterId,
                      int priority, int timeoutSeconds, Instant submittedAt) {
    this.definition = definition;
    this.workflowId = workflowId;
    this.parameters = parameters.copy();
    this.requesterId = requesterId;
    this.priority = priority;
    this.timeoutSeconds = timeoutSeconds;
    this.submittedAt = submittedAt;
    definition.steps().forEach(s -> steps.put(s.id(), new StepRun(s, false)));
    definition.compensation().forEach(s -> compensation.put(s.id(), new StepRun(s, true)));
  }

  /** A new run of a validated request; {@code parameters} already carry the schema's defaults. */
  public static WorkflowRun create(WorkflowRequest request, WorkflowDefinition definition, JsonObject parameters,
                                   Instant now) {
    return new WorkflowRun(definition, request.workflowId(), parameters, request.requesterId(), request.priority(),
        request.timeout(), now);
  }

  /** The run persisted by {@link #toJson()}; its definition must still be known. */
  public static WorkflowRun fromJson(JsonObject json, WorkflowDefinitions definitions) {
    WorkflowDefinition definition = definitions.require(json.getString("workflow_type"));
    WorkflowRun run = new WorkflowRun(definition, json.getString("workflow_id"), json.getJsonObject("parameters"),
        json.getString("requester_id"), json.getInteger("priority"), json.getInteger("timeout"),
        instant(json, "submitted_at"));
    run.status = WorkflowStatus.fromJson(json.getString("status"));
    run.phase = Phase.valueOf(json.getString("phase", "main").toUpperCase(Locale.ROOT));
    run.startedAt = instant(json, "started_at");
    run.finishedAt = instant(json, "finished_at");
    run.cancelRequested = json.getBoolean("cancel_requested", false);
    run.cancelReason = json.getString("cancel_reason");
    run.error = json.getString("error");
    JsonObject stepsJson = json.getJsonObject("steps", new JsonObject());
    run.steps.forEach((id, step) -> {
      if (stepsJson.containsKey(id)) {
        step.readJson(stepsJson.getJsonObject(id));
      }
    });
    JsonObject compJson = json.getJsonObject("compensation", new JsonObject());
    run.compensation.forEach((id, step) -> {
      if (compJson.containsKey(id)) {
        step.readJson(compJson.getJsonObject(id));
      }
    });
    return run;
  }

  public JsonObject toJson() {
    JsonObject json = summary();
    json.put("parameters", parameters.copy()).put("requester_id", requesterId).put("timeout", timeoutSeconds)
        .put("phase", phase.name().toLowerCase(Locale.ROOT)).put("cancel_requested", cancelRequested);
    put(json, "cancel_reason", cancelReason);
    JsonObject stepsJson = new JsonObject();
    steps.forEach((id, s) -> stepsJson.put(id, s.toJson()));
    json.put("steps", stepsJson);
    JsonObject compJson = new JsonObject();
    compensation.forEach((id, s) -> compJson.put(id, s.toJson()));
    json.put("compensation", compJson);
    if (status == WorkflowStatus.COMPLETED) {
      json.put("result", result());
    }
    return json;
  }

  /** What a listing shows: no parameters, results or history. */
  public JsonObject summary() {
    JsonObject json = new JsonObject().put("workflow_id", workflowId).put("workflow_type", definition.workflowType())
        .put("status", status.json()).put("priority", priority);
    put(json, "submitted_at", submittedAt);
    put(json, "started_at", startedAt);
    put(json, "finished_at", finishedAt);
    put(json, "error", error);
    JsonObject stepStatus = new JsonObject();
    steps.forEach((id, s) -> stepStatus.put(id, s.status.json()));
    return json.put("step_status", stepStatus);
  }

  /** The steps' results by step id: the workflow's result. */
  public JsonObject result() {
    JsonObject out = new JsonObject();
    steps.forEach((id, s) -> {
      if (s.result != null) {
        out.put(id, s.result.copy());
      }
    });
    return out;
  }

  public WorkflowResponse response() {
    return new WorkflowResponse(workflowId, status, status == WorkflowStatus.COMPLETED ? result() : null, error, "");
  }

  public String workflowId() {
    return workflowId;
  }

  public String workflowType() {
    return definition.workflowType();
  }

  public WorkflowDefinition definition() {
    return definition;
  }

  public WorkflowStatus status() {
    return status;
  }

  public Phase phase() {
    return phase;
  }

  public int priority() {
    return priority;
  }

  public Instant submittedAt() {
    return submittedAt;
  }

  public String error() {
    return error;
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  public StepRun step(String id) {
    StepRun s = steps.get(id);
    return s != null ? s : compensation.get(id);
  }

  public List<StepRun> steps() {
    List<StepRun> all = new ArrayList<>(steps.values());
    all.addAll(compensation.values());
    return all;
  }

  /** Steps handed out and not finished. */
  public List<StepRun> activeSteps() {
    return steps().stream().filter(s -> s.status.active()).toList();
  }

  /** The step whose current task this is, or null (an old attempt, or a step already finished). */
  public StepRun stepOfTask(String taskId) {
    for (StepRun s : steps()) {
      if (taskId.equals(s.taskId) && s.status.active()) {
        return s;
      }
    }
    return null;
  }

  public Instant deadline() {
    return submittedAt.plusSeconds(timeoutSeconds);
  }

  /** Steps that may be handed out now: dependencies done, backoff over; in compensation one at a time. */
  public List<StepRun> ready(Instant now) {
    if (status.terminal()) {
      return List.of();
    }
    List<StepRun> out = new ArrayList<>();
    if (phase == Phase.MAIN) {
      if (cancelRequested) {
        return out;
      }
      for (StepRun s : steps.values()) {
        if (s.status == StepStatus.PENDING && waitedEnough(s, now)
            && s.definition.dependsOn().stream().allMatch(d -> steps.get(d).status == StepStatus.SUCCEEDED)) {
          out.add(s);
        }
      }
      return out;
    }
    // compensation undoes in reverse order, one step at a time
    List<StepRun> reversed = new ArrayList<>(compensation.values());
    java.util.Collections.reverse(reversed);
    for (StepRun s : reversed) {
      if (s.status.active()) {
        return out;
      }
      if (s.status == StepStatus.PENDING) {
        if (waitedEnough(s, now)) {
          out.add(s);
        }
        return out;
      }
    }
    return out;
  }

  private static boolean waitedEnough(StepRun s, Instant now) {
    return s.notBefore == null || !now.isBefore(s.notBefore);
  }

  /** The step's inputs, its templates resolved against the parameters and earlier results. */
  public JsonObject inputsFor(StepRun step) {
    Map<String, JsonObject> results = new HashMap<>();
    steps.forEach((id, s) -> {
      if (s.result != null) {
        results.put(id, s.result);
      }
    });
    JsonObject workflow = new JsonObject().put("workflow_id", workflowId).put("priority", priority)
        .put("workflow_type", definition.workflowType()).put("requester_id", requesterId);
    return Templates.resolve(step.definition.inputs(), parameters, results, workflow);
  }

  // ---- transitions -------------------------------------------------------------------------

  /** Hands the step to an agent: a new attempt with a new task id. */
  public String assign(StepRun step, String agentId, Instant now) {
    if (status == WorkflowStatus.PENDING) {
      status = WorkflowStatus.IN_PROGRESS;
      startedAt = now;
    }
    step.attempts++;
    step.taskId = workflowId + "." + step.id() + "." + step.attempts;
    step.agentId = agentId;
    step.status = StepStatus.ASSIGNED;
    step.assignedAt = now;
    step.startedAt = null;
    step.deadline = now.plus(step.definition.timeout());
    step.notBefore = null;
    return step.taskId;
  }

  /** The agent refused or could not be reached: as if never handed out (the task id is not reused). */
  public void handOutFailed(StepRun step, String reason, Instant now) {
    record(step, "not_delivered", reason, now);
    step.status = StepStatus.PENDING;
    step.avoidAgent = step.agentId;
    step.agentId = null;
    step.deadline = null;
  }

  public boolean started(String taskId, Instant now) {
    StepRun s = stepOfTask(taskId);
    if (s == null || s.status != StepStatus.ASSIGNED) {
      return false;
    }
    s.status = StepStatus.RUNNING;
    s.startedAt = now;
    return true;
  }

  /** True when this was the step's current task and the step is now done; false for a result to ignore. */
  public boolean succeeded(String taskId, JsonObject result, Instant now) {
    StepRun s = stepOfTask(taskId);
    if (s == null) {
      return false;
    }
    record(s, "succeeded", null, now);
    s.status = StepStatus.SUCCEEDED;
    s.result = result == null ? new JsonObject() : result.copy();
    s.finishedAt = now;
    s.error = null;
    evaluate(now);
    return true;
  }

  /**
   * The current task failed: retried after a backoff while the policy allows and the failure is
   * retryable, else the step fails and so does the workflow (after its compensation). Returns
   * false for a task that is not the step's current one.
   */
  public boolean failed(String taskId, String reason, boolean retryable, Instant now, DoubleSupplier random) {
    StepRun s = stepOfTask(taskId);
    if (s == null) {
      return false;
    }
    record(s, "failed", reason, now);
    s.failures++;
    s.error = reason;
    int max = s.definition.retry().maxAttempts();
    if (retryable && s.failures < max) {
      Duration wait = s.definition.retry().backoff(s.failures, random);
      s.status = StepStatus.PENDING;
      s.notBefore = now.plus(wait);
      s.avoidAgent = s.agentId;
      s.deadline = null;
      return true;
    }
    s.status = StepStatus.FAILED;
    s.finishedAt = now;
    if (!s.compensation) {
      error = "step " + s.id() + " failed" + (retryable ? " after " + s.failures + " attempts" : "") + ": " + reason;
    }
    evaluate(now);
    return true;
  }

  /**
   * The agent went offline, missed the deadline without answering, or handed the task back: the
   * step goes back to waiting for another agent. A missed deadline counts as a failure; the
   * others do not.
   */
  public boolean lost(String taskId, String reason, boolean countsAsFailure, Instant now, DoubleSupplier random) {
    StepRun s = stepOfTask(taskId);
    if (s == null) {
      return false;
    }
    if (countsAsFailure) {
      return failed(taskId, reason, true, now, random);
    }
    record(s, "reassigned", reason, now);
    s.status = StepStatus.PENDING;
    s.avoidAgent = s.agentId;
    s.agentId = null;
    s.deadline = null;
    return true;
  }

  /**
   * The task could not run because something it needs (an MCP server) is unavailable: the step
   * waits and tries again later without using up a retry, since nothing is wrong with the step.
   */
  public boolean deferred(String taskId, String reason, Duration wait, Instant now) {
    StepRun s = stepOfTask(taskId);
    if (s == null) {
      return false;
    }
    record(s, "deferred", reason, now);
    s.status = StepStatus.PENDING;
    s.error = reason;
    s.agentId = null;
    s.deadline = null;
    s.notBefore = now.plus(wait);
    return true;
  }

  /** Cancels: nothing pending starts; returns the steps that were running, whose agents should stop. */
  public List<StepRun> cancel(String reason, Instant now) {
    if (status.terminal()) {
      return List.of();
    }
    cancelRequested = true;
    cancelReason = reason;
    List<StepRun> running = new ArrayList<>();
    for (StepRun s : steps()) {
      if (s.status.active()) {
        running.add(s);
        record(s, "cancelled", reason, now);
      }
      if (!s.status.terminal()) {
        s.status = StepStatus.CANCELLED;
        s.finishedAt = now;
      }
    }
    status = WorkflowStatus.CANCELLED;
    error = "cancelled" + (reason == null || reason.isBlank() ? "" : ": " + reason);
    finishedAt = now;
    return running;
  }

  /**
   * Whether the workflow's own timeout has passed while it still does its main work. Once compensating it is not
   * timed out again: the compensation runs to its end, each step under its own deadline.
   */
  public boolean overdue(Instant now) {
    return phase == Phase.MAIN && !status.terminal() && now.isAfter(deadline());
  }

  /** Fails the workflow because it ran past its timeout; returns the steps whose agents should stop. */
  public List<StepRun> timedOut(Instant now) {
    List<StepRun> running = new ArrayList<>();
    for (StepRun s : steps.values()) {
      if (s.status.active()) {
        running.add(s);
      }
      if (!s.status.terminal()) {
        s.status = StepStatus.CANCELLED;
        s.finishedAt = now;
      }
    }
    error = "workflow timed out after " + timeoutSeconds + " s";
    startCompensationOrFail(now);
    return running;
  }

  /** A step that can never be placed (no agent has its capability, its MCP server is down) ends the workflow. */
  public void unplaceable(StepRun step, String reason, Instant now) {
    record(step, "failed", reason, now);
    step.status = StepStatus.FAILED;
    step.error = reason;
    step.finishedAt = now;
    if (!step.compensation) {
      error = "step " + step.id() + " failed: " + reason;
    }
    evaluate(now);
  }

  private void evaluate(Instant now) {
    if (status.terminal()) {
      return;
    }
    if (phase == Phase.MAIN) {
      if (steps.values().stream().allMatch(s -> s.status == StepStatus.SUCCEEDED)) {
        status = WorkflowStatus.COMPLETED;
        finishedAt = now;
        return;
      }
      if (steps.values().stream().anyMatch(s -> s.status == StepStatus.FAILED)) {
        for (StepRun s : steps.values()) {
          if (s.status == StepStatus.PENDING) {
            s.status = StepStatus.SKIPPED;
          }
        }
        if (steps.values().stream().noneMatch(s -> s.status.active())) {
          startCompensationOrFail(now);
        }
      }
      return;
    }
    if (compensation.values().stream().allMatch(s -> s.status.terminal())) {
      status = WorkflowStatus.FAILED;
      finishedAt = now;
    }
  }

  private void startCompensationOrFail(Instant now) {
    phase = Phase.COMPENSATING;
    for (StepRun c : compensation.values()) {
      boolean needed = c.definition.ifSucceeded().stream()
          .allMatch(id -> steps.get(id) != null && steps.get(id).status == StepStatus.SUCCEEDED);
      if (!needed) {
        c.status = StepStatus.SKIPPED;
      }
    }
    if (compensation.values().stream().allMatch(s -> s.status.terminal())) {
      status = WorkflowStatus.FAILED;
      finishedAt = now;
    }
  }

  private static void record(StepRun s, String outcome, String reason, Instant now) {
    JsonObject entry = new JsonObject().put("attempt", s.attempts).put("outcome", outcome).put("at", now.toString());
    if (s.agentId != null) {
      entry.put("agent_id", s.agentId);
    }
    if (reason != null) {
      entry.put("reason", reason);
    }
    s.history.add(entry);
  }

  private static void put(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value instanceof Instant i ? i.toString() : value);
    }
  }

  private static Instant instant(JsonObject json, String key) {
    String v = json.getString(key);
    return v == null ? null : Instant.parse(v);
  }
}
