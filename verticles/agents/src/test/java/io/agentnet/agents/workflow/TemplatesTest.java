package io.agentnet.agents.workflow;

import io.agentnet.agents.workflow.Templates.Reference;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplatesTest {

  private static final JsonObject PARAMETERS = new JsonObject().put("name", "web-1").put("cores", 4)
      .put("ratio", 0.75).put("tidy", true).put("whole", 2.0)
      .put("alert", new JsonObject().put("rule", "node_memory_high").put("value", 93.5));
  private static final Map<String, JsonObject> RESULTS = Map.of(
      "create", new JsonObject().put("node", "pve1").put("vmid", 101).put("upid", "UPID:pve1:1"),
      "plan", new JsonObject()
          .put("migrations", new JsonArray()
              .add(new JsonObject().put("vmid", 200).put("to", "pve2"))
              .add(new JsonObject().put("vmid", 201).put("to", "pve3")))
          .put("before", new JsonObject().put("spread_pct", 40)));
  private static final JsonObject WORKFLOW = new JsonObject().put("workflow_id", "wf-7").put("priority", 3);

  private static JsonObject resolve(JsonObject templates) {
    return Templates.resolve(templates, PARAMETERS, RESULTS, WORKFLOW);
  }

  @Test
  void aWholeStringReferenceKeepsItsJsonType() {
    JsonObject out = resolve(new JsonObject()
        .put("cores", "${parameters.cores}")
        .put("ratio", "${parameters.ratio}")
        .put("tidy", "${parameters.tidy}")
        .put("alert", "${parameters.alert}")
        .put("vmid", "${steps.create.vmid}")
        .put("priority", "${workflow.priority}")
        .put("migrations", "${steps.plan.migrations}"));
    assertThat(out.getValue("cores")).isEqualTo(4);
    assertThat(out.getValue("ratio")).isEqualTo(0.75);
    assertThat(out.getValue("tidy")).isEqualTo(true);
    assertThat(out.getJsonObject("alert")).isEqualTo(PARAMETERS.getJsonObject("alert"));
    assertThat(out.getValue("vmid")).isEqualTo(101);
    assertThat(out.getValue("priority")).isEqualTo(3);
    assertThat(out.getJsonArray("migrations")).hasSize(2);
  }

  @Test
  void insideALongerStringItInterpolatesText() {
    JsonObject out = resolve(new JsonObject()
        .put("label", "vm ${parameters.name} (${steps.create.vmid}) on ${steps.create.node}")
        .put("whole", "x${parameters.whole}")
        .put("json", "alert=${parameters.alert}")
        .put("plain", "no templates here")
        .put("id", "${workflow.workflow_id}.${steps.create.vmid}"));
    assertThat(out.getString("label")).isEqualTo("vm web-1 (101) on pve1");
    assertThat(out.getString("whole")).isEqualTo("x2");
    assertThat(out.getString("json")).isEqualTo("alert={\"rule\":\"node_memory_high\",\"value\":93.5}");
    assertThat(out.getString("plain")).isEqualTo("no templates here");
    assertThat(out.getString("id")).isEqualTo("wf-7.101");
  }

  @Test
  void whatResolvesToNothingIsLeftOut() {
    JsonObject out = resolve(new JsonObject()
        .put("node", "${parameters.node}")
        .put("missing_path", "${steps.create.nothing.deeper}")
        .put("not_run", "${steps.verify.status}")
        .put("text", "on ${parameters.node}")
        .put("list", new JsonArray().add("${parameters.node}").add("${parameters.name}"))
        .put("kept_null", null)
        .put("cores", "${parameters.cores}"));
    assertThat(out.fieldNames()).containsExactlyInAnyOrder("list", "kept_null", "cores");
    assertThat(out.getJsonArray("list")).containsExactly("web-1");
    assertThat(out.containsKey("kept_null")).isTrue();
  }

  @Test
  void nestedObjectsAndArraysAreResolved() {
    JsonObject out = resolve(new JsonObject().put("outer", new JsonObject()
        .put("inner", new JsonObject().put("vmid", "${steps.create.vmid}").put("node", "${parameters.node}"))
        .put("pairs", new JsonArray().add(new JsonArray().add("${parameters.cores}").add(7)))
        .put("literal", 5)));
    assertThat(out).isEqualTo(new JsonObject().put("outer", new JsonObject()
        .put("inner", new JsonObject().put("vmid", 101))
        .put("pairs", new JsonArray().add(new JsonArray().add(4).add(7)))
        .put("literal", 5)));
  }

  @Test
  void numericSegmentsIndexArrays() {
    JsonObject out = resolve(new JsonObject()
        .put("first", "${steps.plan.migrations.0.vmid}")
        .put("second_to", "${steps.plan.migrations.1.to}")
        .put("out_of_range", "${steps.plan.migrations.5.vmid}")
        .put("not_an_index", "${steps.plan.migrations.first}")
        .put("before", "${steps.plan.before}")
        .put("all", "${steps.create}"));
    assertThat(out.getValue("first")).isEqualTo(200);
    assertThat(out.getString("second_to")).isEqualTo("pve3");
    assertThat(out.containsKey("out_of_range")).isFalse();
    assertThat(out.containsKey("not_an_index")).isFalse();
    assertThat(out.getJsonObject("before")).isEqualTo(new JsonObject().put("spread_pct", 40));
    assertThat(out.getJsonObject("all")).isEqualTo(RESULTS.get("create"));
  }

  @Test
  void resolvedValuesAreCopies() {
    JsonObject out = resolve(new JsonObject().put("before", "${steps.plan.before}"));
    out.getJsonObject("before").put("spread_pct", 0);
    assertThat(RESULTS.get("plan").getJsonObject("before").getInteger("spread_pct")).isEqualTo(40);
  }

  @Test
  void referencesAreListedInOrder() {
    List<Reference> refs = Templates.references(new JsonObject()
        .put("a", "${parameters.name}-${steps.create.vmid}")
        .put("b", new JsonArray().add(new JsonObject().put("c", "${workflow.priority}")))
        .put("d", 3));
    assertThat(refs).extracting(Reference::text)
        .containsExactly("${parameters.name}", "${steps.create.vmid}", "${workflow.priority}");
    assertThat(refs.get(1).root()).isEqualTo("steps");
    assertThat(refs.get(1).name()).isEqualTo("create");
    assertThat(refs.get(1).path()).containsExactly("vmid");
    assertThat(Templates.references("plain")).isEmpty();
  }

  @Test
  void malformedTemplatesAreNamed() {
    assertThatThrownBy(() -> Templates.references("x ${steps.a"))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessage("unterminated ${ in \"x ${steps.a\" (a reference ends with })");
    assertThatThrownBy(() -> Templates.references("${steps..a}"))
        .hasMessage("malformed reference ${steps..a} (expected parameters.<name>, steps.<step_id>.<path> or "
            + "workflow.<field>)");
  }
}
