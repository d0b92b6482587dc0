package io.agentnet.agents.specialist;

import io.agentnet.bridge.config.Environment;
import io.agentnet.bridge.message.AgentStatus;
import io.agentnet.bridge.message.Heartbeat;
import io.agentnet.bridge.message.TaskAssignment;
import io.agentnet.runtime.Addresses;
import io.agentnet.runtime.AgentIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A specialist asked to stop drains: its heartbeat says draining while its running task finishes, it refuses new
 * work, and only then says offline. (An offline beat first would make the orchestrator hand the running task to
 * someone else while this one still runs it.)
 */
@ExtendWith(VertxExtension.class)
class SpecialistDrainTest {

  private static final String ID = "specialist-drain-1";

  /** A skill that runs until the test lets it finish. */
  private static final class HeldSkill implements Skill {
    final Promise<Void> started = Promise.promise();
    final Promise<JsonObject> finish = Promise.promise();

    @Override
    public String action() {
      return "hold";
    }

    @Override
    public String capability() {
      return "general";
    }

    @Override
    public Future<JsonObject> run(TaskContext task) {
      started.tryComplete();
      return finish.future();
    }
  }

  private static JsonObject assignment(String taskId) {
    return new TaskAssignment(taskId, "hold", ID, new JsonObject(), Instant.now().plusSeconds(60), List.of()).toJson()
        .put("workflow_id", "wf-drain").put("step_id", "held");
  }

  @Test
  void drainsBeforeItSaysOffline(Vertx vertx, VertxTestContext ctx) throws Exception {
    List<AgentStatus> beats = new CopyOnWriteArrayList<>();
    Promise<Void> drainingSeen = Promise.promise();
    Promise<Void> offlineSeen = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.HEARTBEAT, m -> {
      Heartbeat hb = Heartbeat.fromJson(m.body());
      if (ID.equals(hb.agentId())) {
        beats.add(hb.status());
        if (hb.status() == AgentStatus.DRAINING) {
          drainingSeen.tryComplete();
        } else if (hb.status() == AgentStatus.OFFLINE) {
          offlineSeen.tryComplete();
        }
      }
    }).completion().await(5, TimeUnit.SECONDS);
    List<String> taskEvents = new CopyOnWriteArrayList<>();
    Promise<Void> taskEnded = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
      if ("task-held".equals(m.body().getJsonObject("data", new JsonObject()).getString("task_id"))) {
        String type = m.body().getString("event_type");
        taskEvents.add(type);
        if (!type.equals("task.started")) {
          taskEnded.tryComplete();
        }
      }
    }).completion().await(5, TimeUnit.SECONDS);

    HeldSkill skill = new HeldSkill();
    SpecialistOptions options = SpecialistOptions.fromConfig(new JsonObject(), new Environment(Map.of()), "general",
        Duration.ofSeconds(30)).drainTimeout(Duration.ofSeconds(30));
    String deployment = vertx.deployVerticle(new SpecialistVerticle(new AgentIdentity(ID, "general",
        List.of("general")), options, Skills.of(List.of(skill)))).await(10, TimeUnit.SECONDS);
    vertx.eventBus().request(SpecialistVerticle.taskAddress(ID), assignment("task-held")).await(5, TimeUnit.SECONDS);
    skill.started.future().await(5, TimeUnit.SECONDS);

    Future<Void> undeployed = vertx.undeploy(deployment);
    drainingSeen.future().await(5, TimeUnit.SECONDS);
    assertThat(beats).as("nothing says offline while a task runs").doesNotContain(AgentStatus.OFFLINE);
    assertThat(undeployed.isComplete()).as("still draining").isFalse();
    ReplyException refused = CoreFailure.of(vertx.eventBus().request(SpecialistVerticle.taskAddress(ID),
        assignment("task-late")));
    assertThat(refused.failureCode()).isEqualTo(503);
    assertThat(refused.getMessage()).contains("draining");

    skill.finish.complete(new JsonObject().put("done", true));
    undeployed.await(10, TimeUnit.SECONDS);
    taskEnded.future().await(5, TimeUnit.SECONDS);
    offlineSeen.future().await(5, TimeUnit.SECONDS);
    assertThat(taskEvents).as("the running task finished, not handed back").contains("task.completed")
        .doesNotContain("task.released");
    assertThat(beats.get(beats.size() - 1)).as("the last beat").isEqualTo(AgentStatus.OFFLINE);
    assertThat(beats.indexOf(AgentStatus.DRAINING)).as("draining before offline")
        .isLessThan(beats.indexOf(AgentStatus.OFFLINE));
    ctx.completeNow();
  }

  /** The failure a request ended with. */
  private static final class CoreFailure {
    static ReplyException of(Future<?> request) throws Exception {
      try {
        request.await(5, TimeUnit.SECONDS);
      } catch (ReplyException e) {
        return e;
      }
      throw new AssertionError("expected the request to be refused");
    }
  }
}
