package io.agentnet.bridge.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageContractTest {

  static final Instant T = Instant.parse("2024-05-01T12:00:00.123456Z");

  /** One message type: a sample, its codec functions and its required JSON fields. */
  record Contract<T>(
      String type,
      T sample,
      Function<T, JsonObject> toJson,
      Function<JsonObject, T> fromJson,
      Function<Buffer, T> decodeBuffer,
      Function<byte[], T> decodeBytes,
      List<String> required) {

    JsonObject sampleJson() {
      return toJson.apply(sample);
    }

    @Override
    public String toString() {
      return type;
    }
  }

  static final WorkflowRequest REQUEST = new WorkflowRequest(
      "wf-1", "vm_deployment", new JsonObject().put("vm_name", "web-1").put("cores", 2), "dashboard", 3, 600);

  static final WorkflowResponse RESPONSE = new WorkflowResponse(
      "wf-1", WorkflowStatus.COMPLETED, new JsonObject().put("vmid", 101), null, "specialist-1");

  static final TaskAssignment TASK = new TaskAssignment(
      "task-2", "proxmox.create_vm", "specialist-1", new JsonObject().put("node", "pve1"), T, List.of("task-1"));

  static final AgentCapability CAPABILITY =
      new AgentCapability("specialist-1", List.of("vm.create", "vm.start"), 0.25, AgentStatus.AVAILABLE);

  static final MetricReport METRICS = new MetricReport(
      "monitor-1", T, orderedMap("cpu", 0.5, "memory", 1024.0, "disk_io", 3.0), Map.of("node", "pve1"));

  static final Heartbeat HEARTBEAT =
      new Heartbeat("specialist-1", "specialist", List.of("vm.create"), 0.4, AgentStatus.BUSY, T);

  static final Event EVENT =
      new Event("ev-1", "workflow.started", "orchestrator-1", T, new JsonObject().put("workflow_id", "wf-1"));

  static Stream<Contract<?>> contracts() {
    return Stream.of(
        new Contract<>(WorkflowRequest.TYPE, REQUEST, WorkflowRequest::toJson, WorkflowRequest::fromJson,
            WorkflowRequest::decode, WorkflowRequest::decode,
            List.of("workflow_id", "workflow_type", "parameters", "requester_id")),
        new Contract<>(WorkflowResponse.TYPE, RESPONSE, WorkflowResponse::toJson, WorkflowResponse::fromJson,
            WorkflowResponse::decode, WorkflowResponse::decode, List.of("workflow_id", "status")),
        new Contract<>(TaskAssignment.TYPE, TASK, TaskAssignment::toJson, TaskAssignment::fromJson,
            TaskAssignment::decode, TaskAssignment::decode,
            List.of("task_id", "task_type", "assigned_to", "parameters", "deadline")),
        new Contract<>(AgentCapability.TYPE, CAPABILITY, AgentCapability::toJson, AgentCapability::fromJson,
            AgentCapability::decode, AgentCapability::decode, List.of("agent_id", "capabilities", "load", "status")),
        new Contract<>(MetricReport.TYPE, METRICS, MetricReport::toJson, MetricReport::fromJson,
            MetricReport::decode, MetricReport::decode, List.of("agent_id", "timestamp", "metrics")),
        new Contract<>(Heartbeat.TYPE, HEARTBEAT, Heartbeat::toJson, Heartbeat::fromJson,
            Heartbeat::decode, Heartbeat::decode, List.of("agent_id", "agent_type", "load", "status", "timestamp")),
        new Contract<>(Event.TYPE, EVENT, Event::toJson, Event::fromJson,
            Event::decode, Event::decode, List.of("event_id", "event_type", "source", "timestamp")));
  }

  static Stream<Arguments> requiredFields() {
    return contracts().flatMap(c -> c.required().stream().map(field -> Arguments.of(c, field)));
  }

  static Map<String, Double> orderedMap(String k1, double v1, String k2, double v2, String k3, double v3) {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    map.put(k3, v3);
    return map;
  }

  static JsonObject with(JsonObject json, Consumer<JsonObject> change) {
    JsonObject copy = json.copy();
    change.accept(copy);
    return copy;
  }

  static MessageFormatException failure(Runnable decode) {
    return catchThrowableOfType(MessageFormatException.class, decode::run);
  }

  @Nested
  class RoundTrip {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentnet.bridge.message.MessageContractTest#contracts")
    <T> void toJsonThenFromJsonGivesTheSameMessage(Contract<T> c) {
      assertThat(c.fromJson().apply(c.sampleJson())).isEqualTo(c.sample());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentnet.bridge.message.MessageContractTest#contracts")
    <T> void encodedBytesDecodeToTheSameMessage(Contract<T> c) {
      byte[] bytes = c.sampleJson().encode().getBytes(StandardCharsets.UTF_8);
      assertThat(c.decodeBytes().apply(bytes)).isEqualTo(c.sample());
      assertThat(c.decodeBuffer().apply(c.sampleJson().toBuffer())).isEqualTo(c.sample());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentnet.bridge.message.MessageContractTest#contracts")
    <T> void unknownFieldsAreIgnored(Contract<T> c) {
      JsonObject json = with(c.sampleJson(), j -> j.put("schema_version", 2).put("x_future", new JsonObject().put("a", 1)));
      assertThat(c.fromJson().apply(json)).isEqualTo(c.sample());
    }

    @Test
    void workflowResponseWithErrorAndNoResult() {
      WorkflowResponse failed = new WorkflowResponse("wf-1", WorkflowStatus.FAILED, null, "node pve1 is down", "s-1");
      assertThat(failed.toJson().fieldNames()).containsExactly("workflow_id", "status", "error", "agent_id");
      assertThat(WorkflowResponse.decode(failed.toJson().toBuffer())).isEqualTo(failed);
    }

    @Test
    void metricAndTagOrderIsKept() {
      JsonObject json = new JsonObject().put("agent_id", "m").put("timestamp", "2024-05-01T12:00:00Z")
          .put("metrics", new JsonObject().put("z", 1).put("a", 2.5).put("m", 3))
          .put("tags", new JsonObject().put("zone", "b").put("app", "x"));
      MetricReport report = MetricReport.fromJson(json);
      assertThat(report.metrics()).containsExactly(Map.entry("z", 1.0), Map.entry("a", 2.5), Map.entry("m", 3.0));
      assertThat(report.tags().keySet()).containsExactly("zone", "app");
      assertThat(report.toJson().getJsonObject("metrics").fieldNames()).containsExactly("z", "a", "m");
    }
  }

  @Nested
  class Snapshot {

    @Test
    void workflowRequestJsonHasExactlyTheSnakeCaseKeys() {
      assertThat(REQUEST.toJson().fieldNames())
          .containsExactly("workflow_id", "workflow_type", "parameters", "requester_id", "priority", "timeout");
      assertThat(REQUEST.toJson().encode()).isEqualTo(
          "{\"workflow_id\":\"wf-1\",\"workflow_type\":\"vm_deployment\","
              + "\"parameters\":{\"vm_name\":\"web-1\",\"cores\":2},"
              + "\"requester_id\":\"dashboard\",\"priority\":3,\"timeout\":600}");
    }

    @Test
    void otherTypesUseSnakeCaseKeysAndIsoTimestamps() {
      assertThat(TASK.toJson().fieldNames())
          .containsExactly("task_id", "task_type", "assigned_to", "parameters", "deadline", "dependencies");
      assertThat(TASK.toJson().getString("deadline")).isEqualTo("2024-05-01T12:00:00.123456Z");
      assertThat(HEARTBEAT.toJson().fieldNames())
          .containsExactly("agent_id", "agent_type", "capabilities", "load", "status", "timestamp");
      assertThat(HEARTBEAT.toJson().getString("status")).isEqualTo("busy");
      assertThat(RESPONSE.toJson().fieldNames()).containsExactly("workflow_id", "status", "result", "agent_id");
      assertThat(CAPABILITY.toJson().fieldNames()).containsExactly("agent_id", "capabilities", "load", "status");
      assertThat(METRICS.toJson().fieldNames()).containsExactly("agent_id", "timestamp", "metrics", "tags");
      assertThat(EVENT.toJson().fieldNames()).containsExactly("event_id", "event_type", "source", "timestamp", "data");
      assertThat(new WorkflowResponse("w", WorkflowStatus.IN_PROGRESS, null, null, null).toJson().getString("status"))
          .isEqualTo("in_progress");
    }
  }

  @Nested
  class Defaults {

    @Test
    void workflowRequestPriorityAndTimeout() {
      WorkflowRequest request = WorkflowRequest.fromJson(with(REQUEST.toJson(), j -> {
        j.remove("priority");
        j.remove("timeout");
      }));
      assertThat(request.priority()).isEqualTo(5);
      assertThat(request.timeout()).isEqualTo(300);
    }

    @Test
    void workflowResponseAgentIdResultAndError() {
      WorkflowResponse response = WorkflowResponse.fromJson(
          new JsonObject().put("workflow_id", "wf-1").put("status", "pending"));
      assertThat(response.agentId()).isEmpty();
      assertThat(response.result()).isNull();
      assertThat(response.error()).isNull();
      assertThat(response.toJson().fieldNames()).containsExactly("workflow_id", "status", "agent_id");
    }

    @Test
    void taskDependencies() {
      assertThat(TaskAssignment.fromJson(with(TASK.toJson(), j -> j.remove("dependencies"))).dependencies()).isEmpty();
    }

    @Test
    void metricTags() {
      assertThat(MetricReport.fromJson(with(METRICS.toJson(), j -> j.remove("tags"))).tags()).isEmpty();
    }

    @Test
    void heartbeatCapabilities() {
      assertThat(Heartbeat.fromJson(with(HEARTBEAT.toJson(), j -> j.remove("capabilities"))).capabilities()).isEmpty();
    }

    @Test
    void eventData() {
      Event event = Event.fromJson(with(EVENT.toJson(), j -> j.remove("data")));
      assertThat(event.data()).isEqualTo(new JsonObject());
      assertThat(event.toJson().getJsonObject("data")).isEqualTo(new JsonObject());
    }

    @Test
    void explicitNullsFromPythonDataclassesMeanTheDefault() {
      // dataclasses.asdict() of the seed's types writes "tags": null, "dependencies": null, "error": null
      assertThat(MetricReport.fromJson(with(METRICS.toJson(), j -> j.putNull("tags"))).tags()).isEmpty();
      assertThat(TaskAssignment.fromJson(with(TASK.toJson(), j -> j.putNull("dependencies"))).dependencies()).isEmpty();
      WorkflowResponse response = WorkflowResponse.fromJson(new JsonObject().put("workflow_id", "w")
          .put("status", "failed").putNull("result").putNull("error").putNull("agent_id"));
      assertThat(response).isEqualTo(new WorkflowResponse("w", WorkflowStatus.FAILED, null, null, ""));
      WorkflowRequest request = WorkflowRequest.fromJson(with(REQUEST.toJson(), j -> j.putNull("priority")));
      assertThat(request.priority()).isEqualTo(WorkflowRequest.DEFAULT_PRIORITY);
    }

    @Test
    void factoriesGenerateUuidsAndDefaults() {
      WorkflowRequest request = WorkflowRequest.create("health_check", new JsonObject(), "monitor-1");
      assertThat(UUID.fromString(request.workflowId()).toString()).isEqualTo(request.workflowId());
      assertThat(request.priority()).isEqualTo(5);
      assertThat(request.timeout()).isEqualTo(300);
      assertThat(WorkflowRequest.create("health_check", new JsonObject(), "m").workflowId())
          .isNotEqualTo(request.workflowId());

      Instant before = Instant.now();
      Event event = Event.of("agent.offline", "monitor-1", null);
      assertThat(UUID.fromString(event.eventId()).toString()).isEqualTo(event.eventId());
      assertThat(event.timestamp()).isBetween(before, Instant.now());
      assertThat(event.data()).isEqualTo(new JsonObject());
    }
  }

  @Nested
  class MissingAndMistypedFields {

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("io.agentnet.bridge.message.MessageContractTest#requiredFields")
    <T> void missingRequiredFieldIsNamed(Contract<T> c, String field) {
      JsonObject json = with(c.sampleJson(), j -> j.remove(field));
      MessageFormatException e = failure(() -> c.fromJson().apply(json));
      assertThat(e.type()).isEqualTo(c.type());
      assertThat(e.field()).isEqualTo(field);
      assertThat(e).hasMessage(c.type() + "." + field + ": required field is missing");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("io.agentnet.bridge.message.MessageContractTest#requiredFields")
    <T> void nullRequiredFieldIsNamed(Contract<T> c, String field) {
      JsonObject json = with(c.sampleJson(), j -> j.putNull(field));
      MessageFormatException e = failure(() -> c.fromJson().apply(json));
      assertThat(e.field()).isEqualTo(field);
      assertThat(e).hasMessageStartingWith(c.type() + "." + field + ": expected ").hasMessageEndingWith(", got null");
    }

    static Stream<Arguments> wrongTypes() {
      return Stream.of(
          Arguments.of(REQUEST.toJson().put("priority", "high"),
              "WorkflowRequest.priority: expected an integer, got a string (\"high\")"),
          Arguments.of(REQUEST.toJson().put("priority", 2.5),
              "WorkflowRequest.priority: expected an integer, got a number (2.5)"),
          Arguments.of(REQUEST.toJson().put("timeout", true),
              "WorkflowRequest.timeout: expected an integer, got a boolean (true)"),
          Arguments.of(REQUEST.toJson().put("parameters", new JsonArray().add(1)),
              "WorkflowRequest.parameters: expected an object, got an array"),
          Arguments.of(REQUEST.toJson().put("workflow_id", 42),
              "WorkflowRequest.workflow_id: expected a string, got an integer (42)"),
          Arguments.of(RESPONSE.toJson().put("result", "ok"),
              "WorkflowResponse.result: expected an object, got a string (\"ok\")"),
          Arguments.of(TASK.toJson().put("dependencies", "task-1"),
              "TaskAssignment.dependencies: expected an array, got a string (\"task-1\")"),
          Arguments.of(TASK.toJson().put("deadline", 1714564800),
              "TaskAssignment.deadline: expected a string, got an integer (1714564800)"),
          Arguments.of(CAPABILITY.toJson().put("load", "0.5"),
              "AgentCapability.load: expected a number, got a string (\"0.5\")"),
          Arguments.of(CAPABILITY.toJson().put("capabilities", new JsonObject()),
              "AgentCapability.capabilities: expected an array, got an object"),
          Arguments.of(METRICS.toJson().put("metrics", new JsonObject().put("cpu", "high")),
              "MetricReport.metrics.cpu: expected a number, got a string (\"high\")"),
          Arguments.of(METRICS.toJson().put("tags", new JsonObject().put("rack", 7)),
              "MetricReport.tags.rack: expected a string, got an integer (7)"),
          Arguments.of(HEARTBEAT.toJson().put("status", true),
              "Heartbeat.status: expected a string, got a boolean (true)"),
          Arguments.of(EVENT.toJson().put("data", new JsonArray()),
              "Event.data: expected an object, got an array"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongTypes")
    void wrongJsonTypeNamesTheFieldAndBothTypes(JsonObject json, String message) {
      String type = message.substring(0, message.indexOf('.'));
      Runnable decode = () -> contracts().filter(c -> c.type().equals(type)).findFirst().orElseThrow()
          .fromJson().apply(json);
      MessageFormatException e = failure(decode);
      assertThat(e).hasMessage(message);
      assertThat(e.type()).isEqualTo(type);
      assertThat(e.field()).isEqualTo(message.substring(type.length() + 1, message.indexOf(':')));
    }

    @Test
    void elementErrorsNameTheIndex() {
      MessageFormatException e = failure(() -> Heartbeat.fromJson(
          HEARTBEAT.toJson().put("capabilities", new JsonArray().add("vm.create").add(2))));
      assertThat(e.field()).isEqualTo("capabilities[1]");
      assertThat(e).hasMessage("Heartbeat.capabilities[1]: expected a string, got an integer (2)");

      e = failure(() -> TaskAssignment.fromJson(TASK.toJson().put("dependencies", new JsonArray().add("a").add(" "))));
      assertThat(e).hasMessage("TaskAssignment.dependencies[1]: must not be blank");
    }

    @Test
    void blankRequiredStringIsRejected() {
      MessageFormatException e = failure(() -> WorkflowRequest.fromJson(REQUEST.toJson().put("workflow_type", "  ")));
      assertThat(e.field()).isEqualTo("workflow_type");
      assertThat(e).hasMessage("WorkflowRequest.workflow_type: must not be blank");
    }

    @Test
    void integralNumbersAreAcceptedAsIntegers() {
      assertThat(WorkflowRequest.fromJson(REQUEST.toJson().put("priority", 7.0)).priority()).isEqualTo(7);
      assertThat(WorkflowRequest.decode("""
          {"workflow_id":"w","workflow_type":"t","parameters":{},"requester_id":"r","timeout":1e3}"""
          .getBytes(StandardCharsets.UTF_8)).timeout()).isEqualTo(1000);
      assertThat(failure(() -> WorkflowRequest.fromJson(REQUEST.toJson().put("timeout", 99_999_999_999L))))
          .hasMessage("WorkflowRequest.timeout: must be between -2147483648 and 2147483647, got 99999999999");
    }

    @Test
    void longValuesAreShortenedInMessages() {
      String longValue = "x".repeat(500);
      MessageFormatException e = failure(() -> WorkflowRequest.fromJson(REQUEST.toJson().put("priority", longValue)));
      assertThat(e).hasMessage("WorkflowRequest.priority: expected an integer, got a string (\"" + "x".repeat(40) + "...\")");
    }

    @Test
    void controlCharactersInValuesAreEscaped() {
      MessageFormatException e = failure(() -> Heartbeat.fromJson(HEARTBEAT.toJson().put("status", "a\"b\nc")));
      assertThat(e.getMessage()).endsWith("got \"a\\\"b\\nc\"").doesNotContain("\n");
    }
  }

  @Nested
  class Ranges {

    @ParameterizedTest
    @ValueSource(ints = {0, 11, -3})
    void priorityOutsideOneToTen(int priority) {
      MessageFormatException e = failure(() -> WorkflowRequest.fromJson(REQUEST.toJson().put("priority", priority)));
      assertThat(e.field()).isEqualTo("priority");
      assertThat(e).hasMessage("WorkflowRequest.priority: must be between 1 (highest) and 10 (lowest), got " + priority);
    }

    @Test
    void priorityBoundsAreAllowed() {
      assertThat(WorkflowRequest.fromJson(REQUEST.toJson().put("priority", 1)).priority()).isEqualTo(1);
      assertThat(WorkflowRequest.fromJson(REQUEST.toJson().put("priority", 10)).priority()).isEqualTo(10);
    }

    @Test
    void timeoutMustBePositive() {
      assertThat(failure(() -> WorkflowRequest.fromJson(REQUEST.toJson().put("timeout", 0))))
          .hasMessage("WorkflowRequest.timeout: must be a positive number of seconds, got 0");
    }

    @Test
    void loadOutsideZeroToOne() {
      assertThat(failure(() -> Heartbeat.fromJson(HEARTBEAT.toJson().put("load", 1.7))))
          .hasMessage("Heartbeat.load: must be between 0.0 and 1.0, got 1.7");
      assertThat(failure(() -> AgentCapability.fromJson(CAPABILITY.toJson().put("load", -0.1))))
          .hasMessage("AgentCapability.load: must be between 0.0 and 1.0, got -0.1");
      assertThat(failure(() -> new Heartbeat("a", "t", List.of(), Double.NaN, AgentStatus.BUSY, T)))
          .hasMessage("Heartbeat.load: must be between 0.0 and 1.0, got NaN");
      assertThat(Heartbeat.fromJson(HEARTBEAT.toJson().put("load", 1)).load()).isEqualTo(1.0);
      assertThat(Heartbeat.fromJson(HEARTBEAT.toJson().put("load", 0)).load()).isEqualTo(0.0);
    }

    @Test
    void metricsMustBeFinite() {
      MessageFormatException e = failure(() -> new MetricReport("m", T, Map.of("cpu", Double.NaN), null));
      assertThat(e.field()).isEqualTo("metrics.cpu");
      assertThat(e).hasMessage("MetricReport.metrics.cpu: must be a finite number, got NaN");
      assertThat(failure(() -> MetricReport.decode("""
          {"agent_id":"m","timestamp":"2024-05-01T12:00:00Z","metrics":{"cpu":1e400}}"""
          .getBytes(StandardCharsets.UTF_8))))
          .hasMessage("MetricReport.metrics.cpu: must be a finite number, got Infinity");
    }
  }

  @Nested
  class Enums {

    @Test
    void unknownAgentStatusListsTheAllowedValues() {
      MessageFormatException e = failure(() -> Heartbeat.fromJson(HEARTBEAT.toJson().put("status", "sleeping")));
      assertThat(e.field()).isEqualTo("status");
      assertThat(e).hasMessage("Heartbeat.status: expected one of available, busy, draining, offline, got \"sleeping\"");
    }

    @Test
    void unknownWorkflowStatusListsTheAllowedValues() {
      assertThat(failure(() -> WorkflowResponse.fromJson(RESPONSE.toJson().put("status", "done"))))
          .hasMessage("WorkflowResponse.status: expected one of pending, in_progress, completed, failed, cancelled,"
              + " got \"done\"");
    }

    @Test
    void jsonValuesRoundTrip() {
      for (AgentStatus status : AgentStatus.values()) {
        assertThat(AgentStatus.fromJson(status.json())).isSameAs(status);
      }
      for (WorkflowStatus status : WorkflowStatus.values()) {
        assertThat(WorkflowStatus.fromJson(status.json())).isSameAs(status);
      }
      assertThat(WorkflowStatus.IN_PROGRESS.json()).isEqualTo("in_progress");
      assertThat(AgentStatus.DRAINING.json()).isEqualTo("draining");
    }

    @Test
    void fromJsonOnItsOwnNamesTheEnum() {
      MessageFormatException e = failure(() -> AgentStatus.fromJson("AVAILABLE"));
      assertThat(e.type()).isEqualTo("AgentStatus");
      assertThat(e.field()).isNull();
      assertThat(e).hasMessage("AgentStatus: expected one of available, busy, draining, offline, got \"AVAILABLE\"");
      assertThat(failure(() -> WorkflowStatus.fromJson(null))).hasMessageEndingWith("got null");
    }
  }

  @Nested
  class Timestamps {

    @Test
    void pythonUtcnowIsoformatWithoutZoneIsReadAsUtc() {
      Heartbeat heartbeat = Heartbeat.fromJson(HEARTBEAT.toJson().put("timestamp", "2024-05-01T12:00:00.123456"));
      assertThat(heartbeat.timestamp()).isEqualTo(Instant.parse("2024-05-01T12:00:00.123456Z"));
      assertThat(Heartbeat.fromJson(HEARTBEAT.toJson().put("timestamp", "2024-05-01T12:00:00")).timestamp())
          .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    }

    @Test
    void zAndOffsetsAreAccepted() {
      assertThat(Event.fromJson(EVENT.toJson().put("timestamp", "2024-05-01T14:00:00+02:00")).timestamp())
          .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
      assertThat(Event.fromJson(EVENT.toJson().put("timestamp", "2024-05-01T12:00:00.5+00:00")).timestamp())
          .isEqualTo(Instant.parse("2024-05-01T12:00:00.500Z"));
      assertThat(Event.fromJson(EVENT.toJson().put("timestamp", "2024-05-01T12:00:00Z")).timestamp())
          .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    }

    @Test
    void encodedAsIsoUtc() {
      assertThat(EVENT.toJson().getString("timestamp")).isEqualTo("2024-05-01T12:00:00.123456Z");
    }

    @Test
    void garbageTimestampIsNamed() {
      MessageFormatException e = failure(() -> MetricReport.fromJson(METRICS.toJson().put("timestamp", "yesterday")));
      assertThat(e.field()).isEqualTo("timestamp");
      assertThat(e).hasMessage(
          "MetricReport.timestamp: expected an ISO-8601 timestamp such as 2024-05-01T12:00:00Z, got \"yesterday\"");
    }
  }

  @Nested
  class Bodies {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentnet.bridge.message.MessageContractTest#contracts")
    <T> void malformedJson(Contract<T> c) {
      MessageFormatException e = failure(() -> c.decodeBytes().apply("{\"workflow_id\": ".getBytes(StandardCharsets.UTF_8)));
      assertThat(e.type()).isEqualTo(c.type());
      assertThat(e.field()).isNull();
      assertThat(e.getMessage())
          .startsWith(c.type() + ": body is not valid JSON (")
          .contains("at line 1, column")
          .endsWith(")")
          .doesNotContain("\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentnet.bridge.message.MessageContractTest#contracts")
    <T> void arrayBody(Contract<T> c) {
      MessageFormatException e = failure(() -> c.decodeBuffer().apply(new JsonArray().add(c.sampleJson()).toBuffer()));
      assertThat(e.field()).isNull();
      assertThat(e).hasMessage(c.type() + ": body must be a JSON object, got an array");
    }

    @Test
    void emptyAndScalarBodies() {
      assertThat(failure(() -> Heartbeat.decode(new byte[0]))).hasMessage("Heartbeat: body is empty");
      assertThat(failure(() -> Heartbeat.decode(Buffer.buffer(" \n")))).hasMessage("Heartbeat: body is empty");
      assertThat(failure(() -> Heartbeat.decode((byte[]) null))).hasMessage("Heartbeat: body is empty");
      assertThat(failure(() -> Event.decode(Buffer.buffer("null")))).hasMessage("Event: body must be a JSON object, got null");
      assertThat(failure(() -> Event.decode(Buffer.buffer("\"hi\""))))
          .hasMessage("Event: body must be a JSON object, got a string (\"hi\")");
      assertThat(failure(() -> Event.fromJson(null))).hasMessage("Event: expected an object, got null");
    }

    @Test
    void singleQuotedJsonNamesWhereTheParserStopped() {
      assertThat(failure(() -> WorkflowRequest.decode("{'priority': 1}".getBytes(StandardCharsets.UTF_8))))
          .hasMessageStartingWith("WorkflowRequest: body is not valid JSON (Unexpected character")
          .hasMessageEndingWith("at line 1, column 2)");
    }
  }

  @Nested
  class Immutability {

    @Test
    void collectionsAreCopiedAndUnmodifiable() {
      List<String> capabilities = new ArrayList<>(List.of("vm.create"));
      Heartbeat heartbeat = new Heartbeat("a", "t", capabilities, 0.1, AgentStatus.AVAILABLE, T);
      capabilities.add("vm.delete");
      assertThat(heartbeat.capabilities()).containsExactly("vm.create");
      assertThatThrownBy(() -> heartbeat.capabilities().add("x")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> METRICS.metrics().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> METRICS.tags().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void jsonObjectsAreCopiedInAndOut() {
      JsonObject parameters = new JsonObject().put("vm_name", "web-1");
      WorkflowRequest request = WorkflowRequest.create("vm_deployment", parameters, "r");
      parameters.put("vm_name", "changed");
      request.parameters().put("vm_name", "changed too");
      request.toJson().getJsonObject("parameters").put("vm_name", "changed as well");
      assertThat(request.parameters().getString("vm_name")).isEqualTo("web-1");
      TASK.toJson().getJsonArray("dependencies").add("task-9");
      assertThat(TASK.dependencies()).containsExactly("task-1");
    }

    @Test
    void constructorsRejectMissingValuesWithTheJsonFieldName() {
      MessageFormatException e = failure(() -> new TaskAssignment("t", "type", "a", new JsonObject(), null, null));
      assertThat(e).hasMessage("TaskAssignment.deadline: required field is missing");
      assertThat(failure(() -> new AgentCapability("a", null, 0.1, AgentStatus.BUSY)))
          .hasMessage("AgentCapability.capabilities: required field is missing");
      assertThat(failure(() -> new AgentCapability("a", java.util.Arrays.asList("x", null), 0.1, AgentStatus.BUSY)))
          .hasMessage("AgentCapability.capabilities[1]: required field is missing");
      assertThat(failure(() -> new MetricReport("m", T, Map.of(" ", 1.0), null)))
          .hasMessage("MetricReport.metrics: keys must not be blank");
    }
  }
}
