package io.agentnet.runtime.mcp;

import io.agentnet.runtime.mcp.transport.McpHttpTransport;
import io.agentnet.runtime.mcp.transport.McpHttpTransportAccess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Streamable HTTP as spec 2025-11-25 describes it, driven by a plain HTTP client. */
class McpHttpTransportTest {

  private Vertx vertx;
  private McpHttpTransport transport;
  private HttpClient http;
  private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
  private int port;

  record Reply(int status, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    McpServer server = McpServer.create(vertx, new TestTools(vertx), new McpServerOptions().setHttpPort(0)
        .setMaxRequestBytes(4096).setSessionIdleTimeout(Duration.ofMinutes(5)));
    transport = new McpHttpTransport(vertx, server);
    port = transport.listen().await(5, TimeUnit.SECONDS);
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private Reply send(HttpMethod method, String body, Map<String, String> headers) throws Exception {
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + McpHttpTransport.PATH))
        .timeout(Duration.ofSeconds(10))
        .method(method.name(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    java.net.http.HttpResponse<String> response = jdk.send(request.build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    java.util.HashMap<String, String> out = new java.util.HashMap<>();
    response.headers().map().forEach((k, v) -> out.put(k.toLowerCase(), v.get(0)));
    return new Reply(response.statusCode(), out, response.body());
  }

  private static Map<String, String> jsonHeaders(String session) {
    java.util.HashMap<String, String> h = new java.util.HashMap<>();
    h.put("Content-Type", "application/json");
    h.put("Accept", "application/json, text/event-stream");
    if (session != null) {
      h.put(McpHttpTransport.SESSION_HEADER, session);
      h.put(McpHttpTransport.VERSION_HEADER, McpProtocol.LATEST);
    }
    return h;
  }

  private String initialize() throws Exception {
    Reply reply = send(HttpMethod.POST, JsonRpc.request(1, "initialize", new JsonObject()
        .put("protocolVersion", McpProtocol.LATEST).put("capabilities", new JsonObject())
        .put("clientInfo", new JsonObject().put("name", "test").put("version", "1"))).encode(), jsonHeaders(null));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getJsonObject("result").getString("protocolVersion")).isEqualTo(McpProtocol.LATEST);
    String session = reply.headers().get("mcp-session-id");
    assertThat(session).isNotBlank();
    Reply initialized = send(HttpMethod.POST, JsonRpc.notification("notifications/initialized", null).encode(),
        jsonHeaders(session));
    assertThat(initialized.status()).isEqualTo(202);
    assertThat(initialized.body()).isEmpty();
    return session;
  }

  @Test
  void aSessionIsIssuedAtInitializeRequiredAfterwardsAndEndedByDelete() throws Exception {
    String session = initialize();
    Reply call = send(HttpMethod.POST, JsonRpc.request(2, "tools/call", new JsonObject().put("name", "add")
        .put("arguments", new JsonObject().put("a", 20).put("b", 22))).encode(), jsonHeaders(session));
    assertThat(call.status()).isEqualTo(200);
    assertThat(call.headers().get("content-type")).startsWith("application/json");
    assertThat(call.json().getJsonObject("result").getJsonObject("structuredContent").getInteger("sum")).isEqualTo(42);

    Reply without = send(HttpMethod.POST, JsonRpc.request(3, "ping", null).encode(), jsonHeaders(null));
    assertThat(without.status()).isEqualTo(400);
    assertThat(without.json().getJsonObject("error").getString("message")).contains("Mcp-Session-Id");

    Reply unknown = send(HttpMethod.POST, JsonRpc.request(4, "ping", null).encode(), jsonHeaders("no-such-session"));
    assertThat(unknown.status()).isEqualTo(404);

    assertThat(send(HttpMethod.DELETE, null, jsonHeaders(session)).status()).isEqualTo(200);
    assertThat(transport.sessionCount()).isZero();
    assertThat(send(HttpMethod.POST, JsonRpc.request(5, "ping", null).encode(), jsonHeaders(session)).status())
        .isEqualTo(404);
  }

  @Test
  void originsOutsideTheAllowListAreForbidden() throws Exception {
    Map<String, String> evil = jsonHeaders(null);
    evil.put("Origin", "http://evil.example:80");
    Reply refused = send(HttpMethod.POST, JsonRpc.request(1, "ping", null).encode(), evil);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getJsonObject("error").getString("message")).contains("evil.example");

    Map<String, String> rebinding = jsonHeaders(null);
    rebinding.put("Origin", "http://localhost.evil.example:8002");
    assertThat(send(HttpMethod.POST, JsonRpc.request(1, "ping", null).encode(), rebinding).status()).isEqualTo(403);

    Map<String, String> local = jsonHeaders(null);
    local.put("Origin", "http://localhost:6274");
    Reply allowed = send(HttpMethod.POST, JsonRpc.request(1, "initialize", new JsonObject()
        .put("protocolVersion", McpProtocol.LATEST)).encode(), local);
    assertThat(allowed.status()).isEqualTo(200);
  }

  @Test
  void anUnsupportedProtocolVersionHeaderIsABadRequest() throws Exception {
    String session = initialize();
    Map<String, String> headers = jsonHeaders(session);
    headers.put(McpHttpTransport.VERSION_HEADER, "2023-01-01");
    Reply reply = send(HttpMethod.POST, JsonRpc.request(2, "ping", null).encode(), headers);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getJsonObject("error").getString("message")).contains("2023-01-01").contains(McpProtocol.LATEST);
  }

  @Test
  void getWithoutSseIs405AndWithSseStreamsLogMessages() throws Exception {
    String session = initialize();
    assertThat(send(HttpMethod.GET, null, Map.of("Accept", "application/json")).status()).isEqualTo(405);

    List<String> events = new CopyOnWriteArrayList<>();
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(McpHttpTransport.PATH).putHeader("Accept", "text/event-stream")
        .putHeader(McpHttpTransport.SESSION_HEADER, session);
    HttpClientResponse stream = http.request(get).compose(req -> req.send()).await(5, TimeUnit.SECONDS);
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.getHeader("Content-Type")).isEqualTo("text/event-stream");
    stream.handler(chunk -> events.add(chunk.toString()));

    send(HttpMethod.POST, JsonRpc.request(2, "logging/setLevel", new JsonObject().put("level", "warning")).encode(),
        jsonHeaders(session));
    send(HttpMethod.POST, JsonRpc.request(3, "tools/call", new JsonObject().put("name", "refuse")).encode(),
        jsonHeaders(session));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (String.join("", events).indexOf("notifications/message") < 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String all = String.join("", events);
    assertThat(all).contains("event: message").contains("notifications/message").contains("\"level\":\"warning\"")
        .contains("refuse");
  }

  @Test
  void progressComesAsAnSseStreamEndingWithTheResponse() throws Exception {
    String session = initialize();
    Reply reply = send(HttpMethod.POST, JsonRpc.request(9, "tools/call", new JsonObject().put("name", "countdown")
        .put("arguments", new JsonObject().put("steps", 3))
        .put("_meta", new JsonObject().put("progressToken", 77))).encode(), jsonHeaders(session));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("content-type")).isEqualTo("text/event-stream");
    List<String> data = reply.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    assertThat(data).hasSize(4);
    assertThat(new JsonObject(data.get(0)).getString("method")).isEqualTo("notifications/progress");
    assertThat(new JsonObject(data.get(3)).getJsonObject("result").getJsonObject("structuredContent")
        .getInteger("counted")).isEqualTo(3);
  }

  @Test
  void badBodiesGetClearErrorsAndTheServerKeepsServing() throws Exception {
    String session = initialize();
    Reply parse = send(HttpMethod.POST, "{\"jsonrpc\":", jsonHeaders(session));
    assertThat(parse.status()).isEqualTo(400);
    assertThat(parse.json().getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.PARSE_ERROR);

    Reply tooBig = send(HttpMethod.POST, JsonRpc.request(2, "tools/call", new JsonObject().put("name", "echo")
        .put("arguments", new JsonObject().put("text", "x".repeat(10_000)))).encode(), jsonHeaders(session));
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.json().getJsonObject("error").getString("message")).contains("4096");

    Map<String, String> text = jsonHeaders(session);
    text.put("Content-Type", "text/plain");
    assertThat(send(HttpMethod.POST, JsonRpc.request(3, "ping", null).encode(), text).status()).isEqualTo(415);

    Reply batch = send(HttpMethod.POST, "[" + JsonRpc.request(4, "ping", null).encode() + ",\"x\"]", jsonHeaders(session));
    assertThat(batch.status()).isEqualTo(200);
    assertThat(new io.vertx.core.json.JsonArray(batch.body())).hasSize(2);

    assertThat(send(HttpMethod.PUT, "{}", jsonHeaders(session)).status()).isEqualTo(405);
    Reply ping = send(HttpMethod.POST, JsonRpc.request(5, "ping", null).encode(), jsonHeaders(session));
    assertThat(ping.status()).isEqualTo(200);
  }

  @Test
  void originPatternsMatchWholeHostsAndNumericPortsOnly() {
    List<String> allowed = McpServerOptions.DEFAULT_ALLOWED_ORIGINS;
    assertThat(McpHttpTransportAccess.allowed("http://localhost:3000", allowed)).isTrue();
    assertThat(McpHttpTransportAccess.allowed("http://localhost", allowed)).isTrue();
    assertThat(McpHttpTransportAccess.allowed("http://127.0.0.1:8080", allowed)).isTrue();
    assertThat(McpHttpTransportAccess.allowed("http://localhost:3000.evil.com", allowed)).isFalse();
    assertThat(McpHttpTransportAccess.allowed("http://localhostevil.com", allowed)).isFalse();
    assertThat(McpHttpTransportAccess.allowed("null", allowed)).isFalse();
  }
}
