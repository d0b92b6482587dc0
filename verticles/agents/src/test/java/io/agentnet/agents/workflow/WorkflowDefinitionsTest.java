package io.agentnet.agents.workflow;

import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.agentnet.agents.workflow.Catalogue.ACTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading definitions: the shipped files, where they come from, and every load-time check with its message. */
class WorkflowDefinitionsTest {

  /** Surefire runs in verticles/agents; the shipped definitions are the repository's conf/workflows. */
  private static final Path SHIPPED = Path.of("..", "..", "conf", "workflows");

  // ---- the shipped definitions

  @Test
  void theThreeShippedDefinitionsLoad() {
    WorkflowDefinitions definitions = WorkflowDefinitions.load(SHIPPED, ACTIONS);
    assertThat(definitions.types()).containsExactly("health_check", "resource_optimization", "vm_deployment");
    assertThat(ids(definitions.require("vm_deployment").topologicalOrder()))
        .containsExactly("validate", "create", "wait_create", "start", "wait_start", "verify");
    assertThat(ids(definitions.require("health_check").topologicalOrder()))
        .containsExactly("diagnose", "remediate", "verify");
    assertThat(ids(definitions.require("resource_optimization").topologicalOrder()))
        .containsExactly("collect", "plan", "execute", "report");
  }

  @Test
  void vmDeploymentStepsAsDefined() {
    WorkflowDefinition vm = WorkflowDefinitions.load(SHIPPED, ACTIONS).require("vm_deployment");
    StepDefinition validate = vm.step("validate").orElseThrow();
    assertThat(validate.action()).isEqualTo("validate_placement");
    assertThat(validate.capability()).isEqualTo("validation");
    assertThat(validate.mcpTools()).containsExactly("proxmox/list_nodes", "proxmox/get_node_status");
    assertThat(validate.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(validate.retry()).isEqualTo(RetryPolicy.DEFAULT);
    StepDefinition create = vm.step("create").orElseThrow();
    assertThat(create.inputs().getString("node")).isEqualTo("${steps.validate.node}");
    assertThat(create.retry().maxAttempts()).isEqualTo(1);
    assertThat(create.retry().initialBackoff()).isEqualTo(RetryPolicy.DEFAULT.initialBackoff());
    assertThat(vm.compensation()).extracting(StepDefinition::id).containsExactly("remove_vm");
    assertThat(vm.step("remove_vm").orElseThrow().ifSucceeded()).containsExactly("create");
    assertThat(vm.compensationFor(Set.of("validate"))).isEmpty();
    assertThat(vm.compensationFor(Set.of("validate", "create"))).extracting(StepDefinition::id)
        .containsExactly("remove_vm");
    assertThat(vm.transitiveDependencies("start")).containsExactlyInAnyOrder("wait_create", "create", "validate");
    assertThat(ids(vm.roots())).containsExactly("validate");
    assertThat(ids(vm.ready(List.of("validate"), List.of()))).containsExactly("create");
    assertThat(ids(vm.ready(List.of("validate"), List.of("create")))).isEmpty();
  }

  @Test
  void theShippedStepsOnlyUseCapabilitiesAGeneralSpecialistHas() {
    Set<String> general = Set.of("general", "validation", "provisioning", "diagnosis", "remediation", "metrics",
        "rebalancing");
    for (WorkflowDefinition definition : WorkflowDefinitions.load(SHIPPED, ACTIONS).all()) {
      Stream.concat(definition.steps().stream(), definition.compensation().stream())
          .forEach(step -> assertThat(general).as(definition.workflowType() + " " + step.id())
              .contains(step.capability()));
    }
  }

  @Test
  void theIndexListsExactlyTheShippedFiles() throws IOException {
    List<String> listed = Files.readAllLines(SHIPPED.resolve("index.txt")).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
    try (Stream<Path> files = Files.list(SHIPPED)) {
      assertThat(listed).as("conf/workflows/index.txt must list every *.json there (the jar is read through it)")
          .containsExactlyElementsOf(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
              .sorted().toList());
    }
  }

  @Test
  void thePackagedCopiesAreTheShippedFiles() {
    WorkflowDefinitions fromJar = WorkflowDefinitions.loadClasspath(ACTIONS);
    assertThat(fromJar.source()).isEqualTo("classpath:workflows");
    assertThat(fromJar.toJson()).isEqualTo(WorkflowDefinitions.load(SHIPPED, ACTIONS).toJson());
  }

  @Test
  void loadDefaultPrefersWorkflowsDirThenLocalConfThenTheJar(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tiny.json"), tiny().encodePrettily());
    WorkflowDefinitions fromEnv = WorkflowDefinitions.loadDefault(new Environment(Map.of("WORKFLOWS_DIR",
        dir.toString())), ACTIONS);
    assertThat(fromEnv.types()).containsExactly("tiny");
    assertThat(fromEnv.source()).isEqualTo(dir.toString());
    // the working directory (verticles/agents) has no conf/workflows: the packaged copies
    assertThat(Files.exists(WorkflowDefinitions.LOCAL_DIR)).isFalse();
    WorkflowDefinitions fallback = WorkflowDefinitions.loadDefault(new Environment(Map.of()), ACTIONS);
    assertThat(fallback.source()).isEqualTo("classpath:workflows");
    assertThat(fallback.types()).containsExactly("health_check", "resource_optimization", "vm_deployment");
  }

  @Test
  void toJsonFillsInTheDefaultsAndReadsBack() {
    WorkflowDefinition tiny = WorkflowDefinitions.parse("tiny.json", tiny().encode(), ACTIONS);
    JsonObject json = tiny.toJson();
    JsonObject step = json.getJsonArray("steps").getJsonObject(0);
    assertThat(step.getLong("timeout_seconds")).isEqualTo(120);
    assertThat(step.getJsonObject("retry")).isEqualTo(new JsonObject().put("max_attempts", 3)
        .put("initial_backoff_ms", 500L).put("max_backoff_ms", 10_000L).put("multiplier", 2.0).put("jitter", 0.5));
    assertThat(step.getJsonArray("depends_on")).isEmpty();
    assertThat(json.getJsonObject("parameters").getBoolean("additionalProperties")).isFalse();
    assertThat(WorkflowDefinition.fromJson(json, ACTIONS).toJson()).isEqualTo(json);
  }

  @Test
  void requireNamesTheUnknownTypeAndTheKnownOnes() {
    WorkflowDefinitions definitions = WorkflowDefinitions.load(SHIPPED, ACTIONS);
    assertThatThrownBy(() -> definitions.require("vm_deploy"))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessage("unknown workflow_type 'vm_deploy' (known: health_check, resource_optimization, vm_deployment)");
    assertThat(definitions.find("vm_deploy")).isEmpty();
  }

  // ---- load-time checks, one by one

  @Test
  void jsonSyntax() {
    assertThatThrownBy(() -> WorkflowDefinitions.parse("tiny.json", "{\"workflow_type\": \"tiny\",", ACTIONS))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessage("tiny.json: not valid JSON at line 1, column 26: Unexpected end-of-input within/between Object "
            + "entries");
    assertThatThrownBy(() -> WorkflowDefinitions.parse("tiny.json", "{\n  \"steps\": [] x", ACTIONS))
        .hasMessageStartingWith("tiny.json: not valid JSON at line 2, column 15: ");
    assertThatThrownBy(() -> WorkflowDefinitions.parse("tiny.json", "[1, 2]", ACTIONS))
        .hasMessage("tiny.json: not valid JSON: expected an object {...} at the top");
    assertThatThrownBy(() -> WorkflowDefinitions.parse("tiny.json", " \n", ACTIONS))
        .hasMessage("tiny.json: not valid JSON: the file is empty");
  }

  @Test
  void fileNameMustBeTheWorkflowType() {
    assertThat(problems("other.json", tiny())).containsExactly("other.json: workflow_type 'tiny' does not match the "
        + "file name (expected 'other': a definition lives in <workflow_type>.json)");
  }

  @Test
  void requiredFields() {
    JsonObject json = tiny();
    step(json, 0).remove("action");
    step(json, 0).remove("capability");
    assertThat(problems(json)).containsExactly("tiny.json: step a: missing required field 'action'",
        "tiny.json: step a: missing required field 'capability'");
    JsonObject noId = tiny();
    step(noId, 0).remove("id");
    assertThat(problems(noId)).containsExactly("tiny.json: steps[0]: missing required field 'id'",
        "tiny.json: step b: depends_on names unknown step 'a' (known: b)",
        "tiny.json: step b uses ${steps.a.node} but there is no step 'a' (known: b)");
    JsonObject noSteps = tiny();
    noSteps.remove("steps");
    assertThat(problems(noSteps)).containsExactly("tiny.json: missing required field 'steps' (an array of steps)");
    assertThat(problems(tiny().put("steps", new JsonArray())))
        .containsExactly("tiny.json: steps: a workflow needs at least one step");
  }

  @Test
  void unknownFieldsAndBadIds() {
    JsonObject json = tiny().put("color", "red");
    step(json, 0).put("dependson", new JsonArray());
    step(json, 1).put("id", "B-2");
    assertThat(problems(json)).containsExactly(
        "tiny.json: unknown field 'color' (expected workflow_type, description, parameters, steps, compensation)",
        "tiny.json: step a: unknown field 'dependson' (expected id, action, capability, description, mcp_tools, "
            + "inputs, depends_on, timeout_seconds, retry)",
        "tiny.json: steps[1] ('B-2'): id \"B-2\" must match [a-z][a-z0-9_]* (lower case, digits, _)");
  }

  @Test
  void duplicateIds() {
    JsonObject json = tiny();
    step(json, 1).put("id", "a").put("depends_on", new JsonArray());
    assertThat(problems(json)).containsExactly(
        "tiny.json: step a: duplicate step id 'a' (ids must be unique across steps and compensation)");
  }

  @Test
  void dependsOnAnUnknownStep() {
    JsonObject json = tiny();
    step(json, 1).put("depends_on", new JsonArray().add("aa"));
    assertThat(problems(json)).containsExactly("tiny.json: step b: depends_on names unknown step 'aa' (known: a, b)");
  }

  @Test
  void aCycleIsRefusedNamingItInOrder() {
    JsonObject json = new JsonObject().put("workflow_type", "vm_deployment").put("steps", new JsonArray()
        .add(stepJson("validate", "validate_placement", "validation"))
        .add(stepJson("create", "create_vm", "provisioning").put("depends_on", new JsonArray().add("validate").add("start")))
        .add(stepJson("start", "start_vm", "provisioning").put("depends_on", new JsonArray().add("create"))));
    assertThat(problems("vm_deployment.json", json))
        .containsExactly("vm_deployment.json: steps form a cycle: create -> start -> create");
    JsonObject self = tiny();
    step(self, 0).put("depends_on", new JsonArray().add("a"));
    assertThat(problems(self)).containsExactly("tiny.json: steps form a cycle: a -> a");
  }

  @Test
  void aTemplateMayOnlyReadStepsItDependsOn() {
    JsonObject json = new JsonObject().put("workflow_type", "vm_deployment").put("steps", new JsonArray()
        .add(stepJson("create", "create_vm", "provisioning"))
        .add(stepJson("other", "wait_task", "provisioning"))
        .add(stepJson("start", "start_vm", "provisioning").put("depends_on", new JsonArray().add("other"))
            .put("inputs", new JsonObject().put("vmid", "${steps.create.vmid}"))));
    assertThat(problems("vm_deployment.json", json))
        .containsExactly("vm_deployment.json: step start uses ${steps.create.vmid} but does not depend on create");
    // through another step is enough
    JsonObject transitive = tiny();
    step(transitive, 0).put("depends_on", new JsonArray());
    transitive.getJsonArray("steps").add(stepJson("c", "verify_vm", "validation")
        .put("depends_on", new JsonArray().add("b")).put("inputs", new JsonObject().put("x", "${steps.a.vmid}")));
    assertThat(WorkflowDefinitions.parse("tiny.json", transitive.encode(), ACTIONS).step("c")).isPresent();
    JsonObject nowhere = tiny();
    step(nowhere, 1).put("inputs", new JsonObject().put("x", "${steps.zz.vmid}"));
    assertThat(problems(nowhere)).containsExactly("tiny.json: step b uses ${steps.zz.vmid} but there is no step 'zz' "
        + "(known: a, b)");
  }

  @Test
  void undeclaredParameterAndUnknownRoots() {
    JsonObject json = tiny();
    step(json, 0).put("inputs", new JsonObject()
        .put("c", "${parameters.colour}")
        .put("d", "name-${params.x}")
        .put("e", new JsonArray().add("${workflow.owner}"))
        .put("f", "${parameters}"));
    assertThat(problems(json)).containsExactly(
        "tiny.json: step a uses ${parameters.colour} but the workflow declares no parameter 'colour' (known: name, cores)",
        "tiny.json: step a: unknown reference ${params.x} ('params' is not one of parameters, steps, workflow)",
        "tiny.json: step a: unknown workflow field in ${workflow.owner} (known: priority, requester_id, workflow_id, "
            + "workflow_type)",
        "tiny.json: step a: incomplete reference ${parameters} (expected ${parameters.<name>})");
    JsonObject open = tiny();
    step(open, 0).put("inputs", new JsonObject().put("x", "abc ${parameters.name"));
    assertThat(problems(open)).containsExactly(
        "tiny.json: step a: inputs: unterminated ${ in \"abc ${parameters.name\" (a reference ends with })");
  }

  @Test
  void badRetryAndTimeoutNumbers() {
    JsonObject json = tiny();
    step(json, 0).put("retry", new JsonObject().put("max_attempts", 0)).put("timeout_seconds", -5);
    step(json, 1).put("retry", new JsonObject().put("jitter", 1.5));
    assertThat(problems(json)).containsExactly(
        "tiny.json: step a: timeout_seconds must be a positive whole number of seconds, got -5",
        "tiny.json: step a: retry: max_attempts must be >= 1 (1 = no retry), got 0",
        "tiny.json: step b: retry: jitter must be between 0.0 and 1.0, got 1.5");
    JsonObject more = tiny();
    step(more, 0).put("retry", new JsonObject().put("multiplier", 0.5));
    step(more, 1).put("retry", new JsonObject().put("initial_backoff_ms", 2000).put("max_backoff_ms", 1000)
        .put("max_attemps", 2));
    assertThat(problems(more)).containsExactly(
        "tiny.json: step a: retry: multiplier must be >= 1.0, got 0.5",
        "tiny.json: step b: retry: unknown field 'max_attemps' (expected max_attempts, initial_backoff_ms, "
            + "max_backoff_ms, multiplier, jitter)");
    JsonObject order = tiny();
    step(order, 1).put("retry", new JsonObject().put("initial_backoff_ms", 2000).put("max_backoff_ms", 1000));
    assertThat(problems(order)).containsExactly(
        "tiny.json: step b: retry: max_backoff_ms must be >= initial_backoff_ms (2000), got 1000");
    JsonObject type = tiny();
    step(type, 0).put("retry", new JsonObject().put("max_attempts", "3"));
    assertThat(problems(type)).containsExactly("tiny.json: step a: retry: max_attempts must be a whole number, got \"3\"");
  }

  @Test
  void aLargeInitialBackoffRaisesTheDefaultCap() {
    JsonObject json = tiny();
    step(json, 0).put("retry", new JsonObject().put("initial_backoff_ms", 20_000));
    RetryPolicy retry = WorkflowDefinitions.parse("tiny.json", json.encode(), ACTIONS).step("a").orElseThrow().retry();
    assertThat(retry.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void unknownAction() {
    JsonObject json = tiny();
    step(json, 0).put("action", "create_vn");
    assertThat(problems(json)).hasSize(1).first().asString()
        .startsWith("tiny.json: step a: unknown action 'create_vn' (known actions: collect_metrics, create_vm, ");
  }

  @Test
  void parametersMustBeAnObjectSchema() {
    assertThat(problems(tiny().put("parameters", new JsonObject().put("type", "array"))))
        .containsExactly("tiny.json: parameters: \"type\" must be \"object\", got \"array\"");
    assertThat(problems(tiny().put("parameters", "name")))
        .containsExactly("tiny.json: parameters: expected a JSON Schema object schema ({\"type\": \"object\", "
            + "\"properties\": {...}}), got \"name\"");
    JsonObject json = tiny();
    JsonObject parameters = json.getJsonObject("parameters");
    parameters.getJsonObject("properties").put("size", new JsonObject().put("description", "no type"))
        .put("speed", new JsonObject().put("type", "float"))
        .put("label", new JsonObject().put("type", "string").put("pattern", "[a-"));
    parameters.getJsonObject("properties").getJsonObject("cores").put("default", 0);
    parameters.put("required", new JsonArray().add("name").add("nam")).put("additionalProperties", true);
    assertThat(problems(json)).containsExactly(
        "tiny.json: parameters: parameter 'cores': default 0 does not fit its own schema: must be >= 1",
        "tiny.json: parameters: parameter 'size': needs a \"type\" (one of array, boolean, integer, null, number, "
            + "object, string)",
        "tiny.json: parameters: parameter 'speed': unknown type \"float\" (one of array, boolean, integer, null, "
            + "number, object, string)",
        "tiny.json: parameters: parameter 'label': pattern [a- is not a regular expression: Illegal character range",
        "tiny.json: parameters: required parameter 'nam' is not among the properties (known: name, cores, size, "
            + "speed, label)",
        "tiny.json: parameters: \"additionalProperties\" must be false (a request with an unknown parameter is "
            + "refused), got true");
  }

  @Test
  void compensationRules() {
    JsonObject json = tiny().put("compensation", new JsonArray()
        .add(stepJson("undo", "remove_vm", "provisioning").put("depends_on", new JsonArray().add("a"))
            .put("if_succeeded", new JsonArray().add("a")))
        .add(stepJson("undo2", "remove_vm", "provisioning").put("if_succeeded", new JsonArray().add("zz")))
        .add(stepJson("undo3", "remove_vm", "provisioning").put("if_succeeded", new JsonArray().add("a"))
            .put("inputs", new JsonObject().put("vmid", "${steps.b.vmid}"))));
    assertThat(problems(json)).containsExactly(
        "tiny.json: compensation step undo: compensation steps have no depends_on; they run in reverse definition "
            + "order, each only if all its if_succeeded steps succeeded",
        "tiny.json: compensation step undo2: if_succeeded names unknown step 'zz' (known: a, b)");
    json.getJsonArray("compensation").remove(1);
    json.getJsonArray("compensation").getJsonObject(0).remove("depends_on");
    assertThat(problems(json)).containsExactly("tiny.json: compensation step undo3 uses ${steps.b.vmid} but b is not "
        + "among its if_succeeded steps (or what they depend on), so it may not have run");
    JsonObject ok = tiny().put("compensation", new JsonArray()
        .add(stepJson("undo", "remove_vm", "provisioning").put("if_succeeded", new JsonArray().add("b"))
            .put("inputs", new JsonObject().put("vmid", "${steps.a.vmid}"))));
    WorkflowDefinition definition = WorkflowDefinitions.parse("tiny.json", ok.encode(), ACTIONS);
    assertThat(definition.step("undo").orElseThrow().compensation()).isTrue();
    assertThat(definition.topologicalOrder()).extracting(StepDefinition::id).containsExactly("a", "b");
  }

  @Test
  void loadReportsEveryProblemOfEveryFileAtOnce(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tiny.json"), tiny().encode());
    JsonObject broken = tiny().put("workflow_type", "broken");
    step(broken, 0).put("action", "nope");
    step(broken, 1).put("depends_on", new JsonArray().add("b"));
    Files.writeString(dir.resolve("broken.json"), broken.encode());
    Files.writeString(dir.resolve("bad.json"), "{");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    assertThatThrownBy(() -> WorkflowDefinitions.load(dir, ACTIONS))
        .isInstanceOf(WorkflowValidationException.class)
        .satisfies(e -> {
          List<String> lines = ((WorkflowValidationException) e).problems();
          assertThat(lines).hasSize(3);
          assertThat(lines.get(0)).startsWith("bad.json: not valid JSON at line 1, column 2: ");
          assertThat(lines.get(1)).startsWith("broken.json: step a: unknown action 'nope'");
          assertThat(lines.get(2)).isEqualTo("broken.json: steps form a cycle: b -> b");
          assertThat(e.getMessage()).isEqualTo(String.join("\n", lines));
        });
    assertThatThrownBy(() -> WorkflowDefinitions.load(dir.resolve("missing"), ACTIONS))
        .hasMessageStartingWith("workflow definitions directory " + dir.resolve("missing") + " does not exist");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> WorkflowDefinitions.load(empty, ACTIONS))
        .hasMessage("no workflow definitions (<workflow_type>.json files) in " + empty);
  }

  // ---- helpers

  /** A valid two-step definition: a (validate_placement) -> b (create_vm), parameters name (required) and cores. */
  static JsonObject tiny() {
    return new JsonObject()
        .put("workflow_type", "tiny")
        .put("parameters", new JsonObject().put("type", "object")
            .put("properties", new JsonObject()
                .put("name", new JsonObject().put("type", "string"))
                .put("cores", new JsonObject().put("type", "integer").put("minimum", 1).put("default", 2)))
            .put("required", new JsonArray().add("name")))
        .put("steps", new JsonArray()
            .add(stepJson("a", "validate_placement", "validation")
                .put("inputs", new JsonObject().put("cores", "${parameters.cores}")))
            .add(stepJson("b", "create_vm", "provisioning").put("depends_on", new JsonArray().add("a"))
                .put("inputs", new JsonObject().put("node", "${steps.a.node}").put("name", "${parameters.name}"))));
  }

  static JsonObject stepJson(String id, String action, String capability) {
    return new JsonObject().put("id", id).put("action", action).put("capability", capability);
  }

  private static JsonObject step(JsonObject definition, int index) {
    return definition.getJsonArray("steps").getJsonObject(index);
  }

  private static List<String> problems(JsonObject json) {
    return problems("tiny.json", json);
  }

  private static List<String> problems(String file, JsonObject json) {
    try {
      WorkflowDefinitions.parse(file, json.encode(), ACTIONS);
    } catch (WorkflowValidationException e) {
      assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
      return e.problems();
    }
    throw new AssertionError(file + " was accepted: " + json.encode());
  }

  private static List<String> ids(List<StepDefinition> steps) {
    return steps.stream().map(StepDefinition::id).toList();
  }
}
