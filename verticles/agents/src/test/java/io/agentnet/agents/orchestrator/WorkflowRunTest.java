package io.agentnet.agents.orchestrator;

import io.agentnet.agents.orchestrator.WorkflowRun.StepRun;
import io.agentnet.agents.orchestrator.WorkflowRun.StepStatus;
import io.agentnet.agents.workflow.WorkflowDefinition;
import io.agentnet.agents.workflow.WorkflowDefinitions;
import io.agentnet.bridge.message.WorkflowRequest;
import io.agentnet.bridge.message.WorkflowStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The workflow state machine, without Vert.x: readiness, retries, failover, compensation, cancel, persistence. */
class WorkflowRunTest {

  private static final Set<String> ACTIONS = Set.of("a", "b", "undo");
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  private static final WorkflowDefinition FLOW = WorkflowDefinitions.parse("flow.json", """
      {"workflow_type": "flow",
       "parameters": {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}},
       "steps": [
         {"id": "first", "action": "a", "capability": "x", "inputs": {"n": "${parameters.n}"},
          "retry": {"max_attempts": 2, "initial_backoff_ms": 1000, "max_backoff_ms": 1000, "jitter": 0}},
         {"id": "second", "action": "b", "capability": "x", "depends_on": ["first"],
          "inputs": {"from_first": "${steps.first.value}"}, "retry": {"max_attempts": 1}}
       ],
       "compensation": [{"id": "undo_first", "action": "undo", "capability": "x", "if_succeeded": ["first"],
          "inputs": {"value": "${steps.first.value}"}}]}
      """, ACTIONS);
  private static final WorkflowDefinitions ALL = WorkflowDefinitions.of(List.of(FLOW), "test");

  private static WorkflowRun newRun() {
    WorkflowRequest request = new WorkflowRequest("wf-1", "flow", new JsonObject(), "test", 3, 300);
    return WorkflowRun.create(request, FLOW, FLOW.validateParameters(new JsonObject()), T0);
  }

  @Test
  void stepsBecomeReadyInDependencyOrderAndTheRunCompletes() {
    WorkflowRun run = newRun();
    assertThat(run.ready(T0)).extracting(StepRun::id).containsExactly("first");
    StepRun first = run.step("first");
    String task = run.assign(first, "agent-1", T0);
    assertThat(task).isEqualTo("wf-1.first.1");
    assertThat(run.inputsFor(first).getInteger("n")).isEqualTo(1);
    assertThat(run.ready(T0)).isEmpty();
    assertThat(run.started(task, T0)).isTrue();
    assertThat(run.succeeded(task, new JsonObject().put("value", 42), T0)).isTrue();

    StepRun second = run.step("second");
    assertThat(run.ready(T0)).containsExactly(second);
    assertThat(run.inputsFor(second).getInteger("from_first")).isEqualTo(42);
    String task2 = run.assign(second, "agent-2", T0);
    run.succeeded(task2, new JsonObject(), T0);
    assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETED);
    assertThat(run.response().result().getJsonObject("first").getInteger("value")).isEqualTo(42);
  }

  @Test
  void aRetryableFailureWaitsForTheBackoffAndAvoidsTheAgent() {
    WorkflowRun run = newRun();
    StepRun first = run.step("first");
    String task = run.assign(first, "agent-1", T0);
    assertThat(run.failed(task, "flaky", true, T0, () -> 0.5)).isTrue();
    assertThat(first.status()).isEqualTo(StepStatus.PENDING);
    assertThat(first.avoidAgent()).isEqualTo("agent-1");
    assertThat(run.ready(T0.plusMillis(999))).isEmpty();
    assertThat(run.ready(T0.plusMillis(1000))).containsExactly(first);
    assertThat(run.assign(first, "agent-2", T0.plusSeconds(1))).isEqualTo("wf-1.first.2");
  }

  @Test
  void anOldAttemptsOutcomeIsIgnoredSoAStepCompletesOnce() {
    WorkflowRun run = newRun();
    StepRun first = run.step("first");
    String lostTask = run.assign(first, "agent-1", T0);
    assertThat(run.lost(lostTask, "agent-1 went offline", false, T0, null)).isTrue();
    String task = run.assign(first, "agent-2", T0);
    assertThat(run.succeeded(task, new JsonObject().put("value", 1), T0)).isTrue();
    assertThat(run.succeeded(lostTask, new JsonObject().put("value", 2), T0)).as("late answer").isFalse();
    assertThat(run.succeeded(task, new JsonObject().put("value", 3), T0)).as("repeated answer").isFalse();
    assertThat(run.step("first").definition().id()).isEqualTo("first");
    assertThat(run.toJson().getJsonObject("steps").getJsonObject("first").getJsonObject("result").getInteger("value"))
        .isEqualTo(1);
  }

  @Test
  void losingAnAgentOrDeferringForAServerUsesNoRetry() {
    WorkflowRun run = newRun();
    StepRun first = run.step("first");
    for (int i = 0; i < 5; i++) {
      run.lost(run.assign(first, "agent-" + i, T0), "offline", false, T0, null);
    }
    run.deferred(run.assign(first, "agent-9", T0), "mcp down", Duration.ofMillis(200), T0);
    assertThat(run.ready(T0)).isEmpty();
    String task = run.assign(first, "agent-10", T0.plusMillis(200));
    assertThat(run.failed(task, "flaky", true, T0, () -> 0.0)).isTrue();
    assertThat(first.status()).as("the first real failure of two allowed").isEqualTo(StepStatus.PENDING);
  }

  @Test
  void aStepThatFailsForGoodRunsTheCompensationThenFails() {
    WorkflowRun run = newRun();
    StepRun first = run.step("first");
    run.succeeded(run.assign(first, "agent-1", T0), new JsonObject().put("value", 7), T0);
    StepRun second = run.step("second");
    run.failed(run.assign(second, "agent-1", T0), "broken", true, T0, () -> 0.0);
    assertThat(run.status()).isEqualTo(WorkflowStatus.IN_PROGRESS);
    assertThat(run.phase()).isEqualTo(WorkflowRun.Phase.COMPENSATING);
    StepRun undo = run.step("undo_first");
    assertThat(run.ready(T0)).containsExactly(undo);
    assertThat(run.inputsFor(undo).getInteger("value")).isEqualTo(7);
    run.succeeded(run.assign(undo, "agent-1", T0), new JsonObject(), T0);
    assertThat(run.status()).isEqualTo(WorkflowStatus.FAILED);
    assertThat(run.error()).isEqualTo("step second failed after 1 attempts: broken");
  }

  @Test
  void cancelStopsEverythingAndReturnsWhatWasRunning() {
    WorkflowRun run = newRun();
    StepRun first = run.step("first");
    run.assign(first, "agent-1", T0);
    List<StepRun> running = run.cancel("operator", T0);
    assertThat(running).containsExactly(first);
    assertThat(run.status()).isEqualTo(WorkflowStatus.CANCELLED);
    assertThat(run.step("second").status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.ready(T0)).isEmpty();
    assertThat(run.cancel("again", T0)).isEmpty();
  }

  @Test
  void theRecordRoundTripsSoAStandbyResumesExactlyThere() {
    WorkflowRun run = newRun();
    StepRun first = run.step("first");
    String task = run.assign(first, "agent-1", T0);
    run.started(task, T0);
    WorkflowRun resumed = WorkflowRun.fromJson(run.toJson(), ALL);
    assertThat(resumed.toJson()).isEqualTo(run.toJson());
    assertThat(resumed.stepOfTask(task).status()).isEqualTo(StepStatus.RUNNING);
    assertThat(resumed.succeeded(task, new JsonObject().put("value", 1), T0)).isTrue();
  }

  @Test
  void aRunPastItsTimeoutFails() {
    WorkflowRun run = newRun();
    run.assign(run.step("first"), "agent-1", T0);
    assertThat(run.deadline()).isEqualTo(T0.plusSeconds(300));
    assertThat(run.overdue(T0.plusSeconds(300))).isFalse();
    assertThat(run.overdue(T0.plusSeconds(301))).isTrue();
    List<StepRun> running = run.timedOut(T0.plusSeconds(301));
    assertThat(running).hasSize(1);
    assertThat(run.error()).contains("timed out after 300 s");
    assertThat(run.status()).isEqualTo(WorkflowStatus.FAILED);
    assertThat(run.overdue(T0.plusSeconds(302))).as("over").isFalse();
  }

  @Test
  void everyWorkflowFieldATemplateMayNameResolves() {
    JsonObject inputs = new JsonObject();
    io.agentnet.agents.workflow.Templates.WORKFLOW_FIELDS.forEach(f -> inputs.put(f, "${workflow." + f + "}"));
    WorkflowDefinition echo = WorkflowDefinitions.parse("echo.json", new JsonObject().put("workflow_type", "echo")
        .put("parameters", new JsonObject().put("type", "object"))
        .put("steps", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "only").put("action", "a")
            .put("capability", "x").put("inputs", inputs))).encode(), ACTIONS);
    WorkflowRequest request = new WorkflowRequest("wf-2", "echo", new JsonObject(), "ops-team", 5, 300);
    WorkflowRun run = WorkflowRun.create(request, echo, echo.validateParameters(new JsonObject()), T0);
    assertThat(run.inputsFor(run.step("only"))).isEqualTo(new JsonObject().put("workflow_id", "wf-2")
        .put("workflow_type", "echo").put("priority", 5).put("requester_id", "ops-team"));
  }

  @Test
  void aTimedOutWorkflowCompensatesToTheEndWithoutTimingOutAgain() {
    WorkflowRun run = newRun();
    run.succeeded(run.assign(run.step("first"), "agent-1", T0), new JsonObject().put("value", 7), T0);
    run.assign(run.step("second"), "agent-1", T0);
    run.timedOut(T0.plusSeconds(301));
    assertThat(run.phase()).isEqualTo(WorkflowRun.Phase.COMPENSATING);
    assertThat(run.overdue(T0.plusSeconds(302))).as("compensating: not timed out again").isFalse();
    StepRun undo = run.step("undo_first");
    assertThat(run.ready(T0.plusSeconds(302))).containsExactly(undo);
    run.succeeded(run.assign(undo, "agent-1", T0.plusSeconds(302)), new JsonObject(), T0.plusSeconds(303));
    assertThat(run.status()).isEqualTo(WorkflowStatus.FAILED);
    assertThat(run.error()).contains("timed out after 300 s");
  }
}
