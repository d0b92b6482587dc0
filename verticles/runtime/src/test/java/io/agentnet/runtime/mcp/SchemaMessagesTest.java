package io.agentnet.runtime.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema messages tools and workflows share: each names the field and says what is expected. */
class SchemaMessagesTest {

  private static final JsonObject SCHEMA = Schemas.object()
      .required("name", Schemas.string("name").put("pattern", "^[a-z]+$").put("maxLength", 5))
      .optional("cores", Schemas.integer("cores", 1, 64))
      .optional("ratio", Schemas.number("ratio").put("exclusiveMinimum", 0))
      .optional("mode", Schemas.enumOf("mode", "fast", "safe"))
      .optional("tags", Schemas.stringArray("tags").put("maxItems", 1))
      .build();

  @Test
  void validValueHasNoProblems() {
    assertThat(SchemaMessages.of(SCHEMA).problems(new JsonObject().put("name", "abc").put("cores", 4))).isEmpty();
  }

  @Test
  void typeRequiredAndUnknownKeepTheToolWording() {
    assertThat(SchemaMessages.of(SCHEMA).problems(new JsonObject().put("cores", "x").put("color", 1)))
        .containsExactlyInAnyOrder("missing required argument 'name'", "argument 'cores': expected integer, got string",
            "unknown argument 'color' (not in the tool's input schema)");
  }

  @Test
  void rulesAreRestatedAsWhatIsExpected() {
    JsonObject value = new JsonObject().put("name", "Abcdefg").put("cores", 0).put("ratio", 0).put("mode", "slow")
        .put("tags", new JsonArray().add("a").add("b"));
    assertThat(SchemaMessages.of(SCHEMA, "parameter", "").problems(value)).containsExactlyInAnyOrder(
        "parameter 'name': must match the pattern ^[a-z]+$",
        "parameter 'name': must be at most 5 characters long",
        "parameter 'cores': must be >= 1",
        "parameter 'ratio': must be > 0",
        "parameter 'mode': must be one of 'fast', 'safe'",
        "parameter 'tags': must have at most 1 items");
    assertThat(SchemaMessages.of(SCHEMA, "parameter", "").problems(new JsonObject().put("name", "a").put("cores", 65)))
        .containsExactly("parameter 'cores': must be <= 64");
  }

  @Test
  void nestedPathsAndTheCallersUnknownHint() {
    JsonObject schema = Schemas.object()
        .optional("alert", Schemas.object().required("rule", Schemas.string("rule")).build()).build();
    assertThat(SchemaMessages.of(schema, "parameter", " (takes: alert)")
        .problems(new JsonObject().put("alert", new JsonObject().put("x", 1)).put("y", 2)))
        .containsExactlyInAnyOrder("missing required parameter 'alert.rule'", "unknown parameter 'alert.x' (takes: alert)",
            "unknown parameter 'y' (takes: alert)");
  }
}
