package io.agentnet.runtime.mcp;

import io.agentnet.runtime.mcp.transport.McpStdioTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MCP over stdio: newline-delimited JSON-RPC both ways, nothing else on the output. */
class McpStdioTransportTest {

  @Test
  void answersLineByLineAndStopsWhenInputCloses() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PipedOutputStream toServer = new PipedOutputStream();
      PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
      PipedInputStream fromServer = new PipedInputStream(1 << 16);
      PipedOutputStream serverOut = new PipedOutputStream(fromServer);
      McpServer server = McpServer.create(vertx, new TestTools(vertx), new McpServerOptions());
      Future<Void> ended = vertx.<Future<Void>>executeBlocking(() ->
          new McpStdioTransport(server, serverIn, serverOut).serve(vertx)).await(5, TimeUnit.SECONDS);

      PrintStream client = new PrintStream(toServer, true, StandardCharsets.UTF_8);
      BufferedReader replies = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8));
      client.println(JsonRpc.request(1, "initialize", new JsonObject().put("protocolVersion", "2025-11-25")).encode());
      assertThat(new JsonObject(replies.readLine()).getJsonObject("result").getString("protocolVersion"))
          .isEqualTo("2025-11-25");
      client.println(JsonRpc.notification("notifications/initialized", null).encode());
      client.println("this is not json");
      assertThat(new JsonObject(replies.readLine()).getJsonObject("error").getInteger("code"))
          .isEqualTo(JsonRpc.PARSE_ERROR);
      client.println(JsonRpc.request(2, "tools/call", new JsonObject().put("name", "echo")
          .put("arguments", new JsonObject().put("text", "line\nbreak"))).encode());
      JsonObject echo = new JsonObject(replies.readLine());
      assertThat(echo.getValue("id")).isEqualTo(2);
      assertThat(echo.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"))
          .startsWith("line\nbreak from");
      client.close();
      ended.await(5, TimeUnit.SECONDS);
      assertThat(ended.succeeded()).isTrue();
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
