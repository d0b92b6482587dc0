package io.agentnet.runtime.mcp.transport;

import io.agentnet.runtime.mcp.JsonRpc;
import io.agentnet.runtime.mcp.McpServer;
import io.agentnet.runtime.mcp.McpSession;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * MCP over stdio: one JSON-RPC message per line on stdin, one per line on stdout, nothing else on
 * stdout (logs go to stderr). Reading and writing block, so each has its own thread; messages are
 * handled on the server's event loop. Ends when stdin closes.
 */
public final class McpStdioTransport {

  private static final Logger LOG = LoggerFactory.getLogger(McpStdioTransport.class);

  private final McpServer server;
  private final InputStream in;
  private final OutputStream out;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "mcp-stdio-writer");
    t.setDaemon(true);
    return t;
  });
  private final McpSession session = McpSession.create();

  public McpStdioTransport(McpServer server, InputStream in, OutputStream out) {
    this.server = server;
    this.in = in;
    this.out = out;
    session.notificationChannel(this::write);
  }

  /** Serves until stdin ends; call from a verticle (its context runs the handlers). */
  public Future<Void> serve(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> ended = Promise.promise();
    Thread reader = new Thread(() -> readLoop(context, ended), "mcp-stdio-reader");
    reader.setDaemon(true);
    reader.start();
    return ended.future().onComplete(ar -> writer.shutdown());
  }

  private void readLoop(Context context, Promise<Void> ended) {
    int max = server.options().getMaxRequestBytes();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        Buffer message = Buffer.buffer(line);
        if (message.length() > max) {
          write(JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "request is " + message.length()
              + " bytes; this server takes at most " + max));
          continue;
        }
        context.runOnContext(v -> server.handle(message, session, this::write).onComplete(ar -> {
          if (ar.failed()) {
            write(JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "Internal error: " + ar.cause().getMessage()));
          } else if (ar.result() != null) {
            write(ar.result());
          }
        }));
      }
      LOG.info("MCP {}: stdin closed, stopping", server.name());
    } catch (IOException e) {
      LOG.warn("MCP {}: reading stdin failed: {}", server.name(), e.toString());
    }
    ended.tryComplete();
  }

  private void write(Object message) {
    String text = message instanceof JsonObject o ? o.encode() : message instanceof JsonArray a ? a.encode()
        : String.valueOf(message);
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    writer.execute(() -> {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("writing to stdout failed", e);
      }
    });
  }
}
