package io.agentnet.runtime.mcp;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol layer on its own: every request form, every error form. */
class McpServerProtocolTest {

  private static Vertx vertx;
  private static McpServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = McpServer.create(vertx, new TestTools(vertx), new McpServerOptions().setToolsPageSize(4)
        .setValidateOutput(true).setMaxRequestBytes(2048));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static Object send(String raw, McpSession session) throws Exception {
    return server.handle(Buffer.buffer(raw), session, null).await(5, TimeUnit.SECONDS);
  }

  private static JsonObject call(String raw) throws Exception {
    return (JsonObject) send(raw, McpSession.stateless());
  }

  private static JsonObject callTool(String tool, JsonObject args, McpSession session) throws Exception {
    return (JsonObject) send(JsonRpc.request(7, "tools/call", new JsonObject().put("name", tool).put("arguments", args))
        .encode(), session);
  }

  private static JsonObject error(JsonObject response) {
    assertThat(response.getJsonObject("error")).as("expected an error in %s", response).isNotNull();
    return response.getJsonObject("error");
  }

  @Test
  void initializeNegotiatesTheVersionAndAnnouncesCapabilities() throws Exception {
    McpSession session = McpSession.create();
    JsonObject reply = (JsonObject) send(JsonRpc.request(1, "initialize", new JsonObject()
        .put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
        .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))).encode(), session);
    JsonObject result = reply.getJsonObject("result");
    assertThat(reply.getValue("id")).isEqualTo(1);
    assertThat(result.getString("protocolVersion")).isEqualTo("2025-06-18");
    assertThat(result.getJsonObject("capabilities").getJsonObject("tools")).isNotNull();
    assertThat(result.getJsonObject("capabilities").getJsonObject("logging")).isNotNull();
    assertThat(result.getJsonObject("serverInfo").getString("name")).isEqualTo("agentnet-mcp-test");
    assertThat(result.getString("instructions")).contains("testing");
    assertThat(session.initialized()).isTrue();
    assertThat(session.clientInfo().getString("name")).isEqualTo("t");

    JsonObject future = (JsonObject) send(JsonRpc.request(2, "initialize", new JsonObject()
        .put("protocolVersion", "2099-01-01")).encode(), McpSession.create());
    assertThat(future.getJsonObject("result").getString("protocolVersion")).isEqualTo(McpProtocol.LATEST);

    JsonObject missing = call(JsonRpc.request(3, "initialize", new JsonObject()).encode());
    assertThat(error(missing).getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(error(missing).getString("message")).contains("protocolVersion");
  }

  @Test
  void pingAnswersAnEmptyResult() throws Exception {
    JsonObject reply = call("{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"ping\"}");
    assertThat(reply.getString("id")).isEqualTo("p1");
    assertThat(reply.getJsonObject("result")).isEqualTo(new JsonObject());
  }

  @Test
  void toolsListPagesWithACursorAndRefusesAForgedOne() throws Exception {
    List<String> names = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
      JsonObject result = call(JsonRpc.request(pages, "tools/list", params).encode()).getJsonObject("result");
      result.getJsonArray("tools").forEach(t -> names.add(((JsonObject) t).getString("name")));
      cursor = result.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(2);
    assertThat(names).containsExactly("add", "echo", "refuse", "crash", "countdown", "bad_output");

    JsonObject first = call(JsonRpc.request(9, "tools/list", null).encode()).getJsonObject("result");
    JsonObject add = first.getJsonArray("tools").getJsonObject(0);
    assertThat(add.getJsonObject("inputSchema").getJsonArray("required")).containsExactly("a", "b");
    assertThat(add.getJsonObject("outputSchema")).isNotNull();
    assertThat(add.getJsonObject("annotations").getBoolean("readOnlyHint")).isTrue();
    assertThat(add.getString("title")).isEqualTo("Add");

    JsonObject forged = call(JsonRpc.request(10, "tools/list", new JsonObject().put("cursor", "b2Zmc2V0Ojk5")).encode());
    assertThat(error(forged).getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(error(forged).getString("message")).contains("cursor");
  }

  @Test
  void toolCallReturnsStructuredContentAndText() throws Exception {
    JsonObject result = callTool("add", new JsonObject().put("a", 2).put("b", 40), McpSession.stateless())
        .getJsonObject("result");
    assertThat(result.getJsonObject("structuredContent").getLong("sum")).isEqualTo(42L);
    assertThat(result.getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("{\"sum\":42}");
    assertThat(result.containsKey("isError")).isFalse();
  }

  @Test
  void blockingToolsRunOnTheServersOwnWorkerPool() throws Exception {
    JsonObject result = callTool("echo", new JsonObject().put("text", "hi"), McpSession.stateless())
        .getJsonObject("result");
    // not Vert.x's shared pool (vert.x-worker-thread-N), which the bridge's JetStream calls need
    assertThat(result.getJsonArray("content").getJsonObject(0).getString("text"))
        .startsWith("hi from agentnet-mcp-test-");
  }

  @Test
  void argumentsThatBreakTheSchemaAreToolErrorsFrom20251125AndInvalidParamsBefore() throws Exception {
    JsonObject latest = callTool("add", new JsonObject().put("a", "two").put("b", 2), McpSession.stateless())
        .getJsonObject("result");
    assertThat(latest.getBoolean("isError")).isTrue();
    assertThat(latest.getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("Invalid arguments for tool add: argument 'a': expected integer, got string");

    McpSession older = McpSession.create();
    older.protocolVersion("2025-06-18");
    JsonObject reply = callTool("add", new JsonObject().put("a", 1), older);
    assertThat(error(reply).getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(error(reply).getString("message")).isEqualTo("Invalid arguments for tool add: missing required argument 'b'");

    JsonObject extra = callTool("add", new JsonObject().put("a", 1).put("b", 2).put("c", 3), McpSession.stateless())
        .getJsonObject("result");
    assertThat(extra.getBoolean("isError")).isTrue();
    assertThat(extra.getJsonArray("content").getJsonObject(0).getString("text"))
        .contains("unknown argument 'c'");
  }

  @Test
  void unknownToolAndMalformedCallParamsAreInvalidParams() throws Exception {
    JsonObject unknown = callTool("teleport", new JsonObject(), McpSession.stateless());
    assertThat(error(unknown).getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(error(unknown).getString("message")).contains("Unknown tool: teleport").contains("add");

    JsonObject noName = call(JsonRpc.request(1, "tools/call", new JsonObject()).encode());
    assertThat(error(noName).getString("message")).contains("params.name");

    JsonObject argsNotObject = call(JsonRpc.request(1, "tools/call", new JsonObject().put("name", "add")
        .put("arguments", new JsonArray().add(1))).encode());
    assertThat(error(argsNotObject).getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(error(argsNotObject).getString("message")).contains("arguments").contains("an array");
  }

  @Test
  void toolFailuresAreResultsWithIsError() throws Exception {
    JsonObject refused = callTool("refuse", new JsonObject(), McpSession.stateless()).getJsonObject("result");
    assertThat(refused.getBoolean("isError")).isTrue();
    assertThat(refused.getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("bucket photos is not empty: delete its 3 objects first");

    JsonObject crashed = callTool("crash", new JsonObject(), McpSession.stateless()).getJsonObject("result");
    assertThat(crashed.getBoolean("isError")).isTrue();
    assertThat(crashed.getJsonArray("content").getJsonObject(0).getString("text")).contains("wires crossed");
  }

  @Test
  void aStructuredResultThatBreaksItsOutputSchemaIsAnInternalErrorWhenChecked() throws Exception {
    JsonObject reply = callTool("bad_output", new JsonObject(), McpSession.stateless());
    assertThat(error(reply).getInteger("code")).isEqualTo(JsonRpc.INTERNAL_ERROR);
    assertThat(error(reply).getString("message")).contains("outputSchema");
  }

  @Test
  void progressIsReportedWhenAskedFor() throws Exception {
    List<JsonObject> notes = new CopyOnWriteArrayList<>();
    JsonObject request = JsonRpc.request(5, "tools/call", new JsonObject().put("name", "countdown")
        .put("arguments", new JsonObject().put("steps", 3)).put("_meta", new JsonObject().put("progressToken", "tok")));
    JsonObject reply = (JsonObject) server.handle(Buffer.buffer(request.encode()), McpSession.stateless(), notes::add)
        .await(5, TimeUnit.SECONDS);
    assertThat(reply.getJsonObject("result").getJsonObject("structuredContent").getInteger("counted")).isEqualTo(3);
    assertThat(notes).hasSize(3);
    assertThat(notes.get(2).getString("method")).isEqualTo("notifications/progress");
    assertThat(notes.get(2).getJsonObject("params").getString("progressToken")).isEqualTo("tok");
    assertThat(notes.get(2).getJsonObject("params").getDouble("progress")).isEqualTo(3.0);
    assertThat(notes.get(2).getJsonObject("params").getDouble("total")).isEqualTo(3.0);
  }

  @Test
  void malformedMessagesGetTheRightJsonRpcErrors() throws Exception {
    assertThat(error(call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":")).getInteger("code")).isEqualTo(JsonRpc.PARSE_ERROR);
    assertThat(error(call("not json at all")).getInteger("code")).isEqualTo(JsonRpc.PARSE_ERROR);
    assertThat(error(call("42")).getInteger("code")).isEqualTo(JsonRpc.INVALID_REQUEST);
    assertThat(error(call("[]")).getInteger("code")).isEqualTo(JsonRpc.INVALID_REQUEST);
    JsonObject noVersion = call("{\"id\":1,\"method\":\"ping\"}");
    assertThat(error(noVersion).getInteger("code")).isEqualTo(JsonRpc.INVALID_REQUEST);
    assertThat(noVersion.getValue("id")).isEqualTo(1);
    assertThat(error(call("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"ping\"}")).getString("message"))
        .contains("id must be a string or a number");
    assertThat(error(call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}")).getString("message")).contains("method");
    assertThat(error(call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":[1]}")).getInteger("code"))
        .isEqualTo(JsonRpc.INVALID_PARAMS);
    JsonObject unknownMethod = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/list\"}");
    assertThat(error(unknownMethod).getInteger("code")).isEqualTo(JsonRpc.METHOD_NOT_FOUND);
    assertThat(error(unknownMethod).getString("message")).contains("resources/list");
    JsonObject badLevel = call(JsonRpc.request(1, "logging/setLevel", new JsonObject().put("level", "loud")).encode());
    assertThat(error(badLevel).getString("message")).contains("loud").contains("warning");

    String big = JsonRpc.request(1, "tools/call", new JsonObject().put("name", "echo")
        .put("arguments", new JsonObject().put("text", "x".repeat(4000)))).encode();
    JsonObject oversized = call(big);
    assertThat(error(oversized).getInteger("code")).isEqualTo(JsonRpc.INVALID_REQUEST);
    assertThat(error(oversized).getString("message")).contains("2048");
    // ...and the server keeps serving
    assertThat(call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").getJsonObject("result")).isNotNull();
  }

  @Test
  void notificationsAndResponsesGetNoAnswer() throws Exception {
    assertThat(send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", McpSession.create())).isNull();
    assertThat(send("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}", McpSession.create())).isNull();
  }

  @Test
  void aBatchOfGoodAndBadRequestsIsAnsweredEntryByEntry() throws Exception {
    String batch = "[" + JsonRpc.request(1, "ping", null).encode() + ","
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
        + "17,"
        + JsonRpc.request(2, "tools/call", new JsonObject().put("name", "nope")).encode() + ","
        + JsonRpc.request(3, "tools/call", new JsonObject().put("name", "add")
            .put("arguments", new JsonObject().put("a", 1).put("b", 2))).encode() + "]";
    JsonArray replies = (JsonArray) send(batch, McpSession.stateless());
    assertThat(replies).hasSize(4);
    assertThat(replies.getJsonObject(0).getValue("id")).isEqualTo(1);
    assertThat(replies.getJsonObject(1).getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.INVALID_REQUEST);
    assertThat(replies.getJsonObject(2).getJsonObject("error").getString("message")).contains("Unknown tool: nope");
    assertThat(replies.getJsonObject(3).getJsonObject("result").getJsonObject("structuredContent").getInteger("sum"))
        .isEqualTo(3);
  }
}
