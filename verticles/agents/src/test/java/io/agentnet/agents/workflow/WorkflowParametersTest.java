package io.agentnet.agents.workflow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.agentnet.agents.workflow.Catalogue.ACTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A request's parameters against the shipped definitions' schemas: defaults filled in, problems named. */
class WorkflowParametersTest {

  private static final WorkflowDefinitions SHIPPED =
      WorkflowDefinitions.load(Path.of("..", "..", "conf", "workflows"), ACTIONS);
  private static final WorkflowDefinition VM = SHIPPED.require("vm_deployment");

  @Test
  void defaultsAreApplied() {
    JsonObject out = VM.validateParameters(new JsonObject().put("name", "web-1").put("cores", 8));
    assertThat(out).isEqualTo(new JsonObject().put("name", "web-1").put("cores", 8).put("memory_mb", 2048)
        .put("disk_gb", 32));
    assertThat(SHIPPED.require("resource_optimization").validateParameters(null))
        .isEqualTo(new JsonObject().put("max_migrations", 5));
    assertThat(SHIPPED.require("health_check").validateParameters(new JsonObject().put("vmid", 101)))
        .isEqualTo(new JsonObject().put("vmid", 101).put("memory_threshold_pct", 90).put("cpu_threshold_pct", 90));
  }

  @Test
  void theRequestIsNotChanged() {
    JsonObject given = new JsonObject().put("name", "web-1");
    VM.validateParameters(given);
    assertThat(given.fieldNames()).containsExactly("name");
  }

  @Test
  void eachProblemNamesTheParameter() {
    assertThat(message(new JsonObject().put("name", "web-1").put("cores", "4")))
        .isEqualTo("parameter 'cores': expected integer, got string");
    assertThat(message(new JsonObject().put("cores", 4))).isEqualTo("missing required parameter 'name'");
    assertThat(message(new JsonObject().put("name", "web-1").put("color", "red")))
        .isEqualTo("unknown parameter 'color' (vm_deployment takes: name, node, cores, memory_mb, disk_gb, template_vmid)");
    assertThat(message(new JsonObject().put("name", "web-1").put("cores", 0))).isEqualTo("parameter 'cores': must be >= 1");
    assertThat(message(new JsonObject().put("name", "web-1").put("cores", 65))).isEqualTo("parameter 'cores': must be <= 64");
    assertThat(message(new JsonObject().put("name", "-web")))
        .isEqualTo("parameter 'name': must match the pattern ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$");
  }

  @Test
  void severalProblemsAreAllReported() {
    WorkflowValidationException e = catchIt(new JsonObject().put("cores", 0).put("color", "red"));
    assertThat(e.problems()).containsExactlyInAnyOrder("missing required parameter 'name'",
        "parameter 'cores': must be >= 1",
        "unknown parameter 'color' (vm_deployment takes: name, node, cores, memory_mb, disk_gb, template_vmid)");
    assertThat(e.getMessage()).isEqualTo(String.join("; ", e.problems()));
  }

  @Test
  void defaultsInsideAGivenObjectParameter() {
    JsonObject json = WorkflowDefinitionsTest.tiny();
    json.getJsonObject("parameters").getJsonObject("properties").put("limits", new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("cpu", new JsonObject().put("type", "number").put("default", 0.5))
            .put("mem", new JsonObject().put("type", "number"))));
    WorkflowDefinition tiny = WorkflowDefinitions.parse("tiny.json", json.encode(), ACTIONS);
    assertThat(tiny.validateParameters(new JsonObject().put("name", "x").put("limits", new JsonObject().put("mem", 1))))
        .isEqualTo(new JsonObject().put("name", "x").put("limits", new JsonObject().put("mem", 1).put("cpu", 0.5))
            .put("cores", 2));
    // an absent object parameter stays absent: its defaults only apply when it is given
    assertThat(tiny.validateParameters(new JsonObject().put("name", "x")).containsKey("limits")).isFalse();
  }

  @Test
  void noParametersDeclaredMeansNoneAccepted() {
    JsonObject json = WorkflowDefinitionsTest.tiny();
    json.remove("parameters");
    json.getJsonArray("steps").getJsonObject(0).put("inputs", new JsonObject());
    json.getJsonArray("steps").getJsonObject(1).put("inputs", new JsonObject().put("names", new JsonArray()));
    WorkflowDefinition bare = WorkflowDefinitions.parse("tiny.json", json.encode(), ACTIONS);
    assertThat(bare.validateParameters(new JsonObject())).isEmpty();
    assertThatThrownBy(() -> bare.validateParameters(new JsonObject().put("x", 1)))
        .hasMessage("unknown parameter 'x' (tiny takes no parameters)");
  }

  private static String message(JsonObject parameters) {
    return catchIt(parameters).getMessage();
  }

  private static WorkflowValidationException catchIt(JsonObject parameters) {
    try {
      VM.validateParameters(parameters);
    } catch (WorkflowValidationException e) {
      return e;
    }
    throw new AssertionError("accepted " + parameters.encode());
  }
}
