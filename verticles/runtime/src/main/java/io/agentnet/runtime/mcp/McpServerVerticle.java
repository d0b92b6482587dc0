package io.agentnet.runtime.mcp;

import io.agentnet.bridge.PayloadFormat;
import io.agentnet.bridge.config.ServiceMapping;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.heartbeat.HeartbeatPublisher;
import io.agentnet.runtime.heartbeat.LoadReporter;
import io.agentnet.runtime.mcp.transport.McpBusTransport;
import io.agentnet.runtime.messaging.Messenger;
import io.agentnet.runtime.store.Buckets;
import io.agentnet.runtime.store.KeyValueStores;
import io.agentnet.runtime.mcp.transport.McpHttpTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One MCP server on the network: the protocol over a provider's tools, served on the event bus
 * ({@code ai.mcp.<server>}, and so on NATS through the bridge), over Streamable HTTP when a port is
 * set, and announced by heartbeats whose capabilities list its tools.
 */
public final class McpServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(McpServerVerticle.class);

  private final ToolProvider provider;
  private final McpServerOptions options;
  private final String agentId;
  private final Duration heartbeatInterval;
  private McpServer server;
  private MessageConsumer<Object> consumer;
  private McpHttpTransport http;

  public McpServerVerticle(ToolProvider provider, McpServerOptions options, String agentId, Duration heartbeatInterval) {
    this.provider = provider;
    this.options = options;
    this.agentId = agentId;
    this.heartbeatInterval = heartbeatInterval;
  }

  /** The capabilities an MCP server announces: mcp:&lt;server&gt; and mcp:&lt;server&gt;/&lt;tool&gt; per tool. */
  public static List<String> capabilities(String server, List<Tool> tools) {
    List<String> caps = new ArrayList<>();
    caps.add("mcp:" + server);
    tools.forEach(t -> caps.add("mcp:" + server + "/" + t.name()));
    return caps;
  }

  /**
   * The bridge mapping that makes a server a NATS micro service {@code mcp-<server>} on
   * {@code ai.mcp.<server>}, load-balanced over replicas by a queue group; payloads pass as bytes,
   * so the server itself answers malformed JSON with a JSON-RPC parse error.
   */
  public static ServiceMapping serviceMapping(String server, Duration toolTimeout) {
    String address = McpBusTransport.address(server);
    return new ServiceMapping("mcp-" + server, "1.0.0", "MCP server " + server + " (JSON-RPC 2.0 requests)",
        List.of(new ServiceMapping.Endpoint("rpc", address, address, "mcp-" + server, PayloadFormat.BINARY,
            toolTimeout.plusSeconds(5))));
  }

  @Override
  public Future<?> start() {
    server = McpServer.create(vertx, provider, options);
    consumer = McpBusTransport.register(vertx, server);
    AgentIdentity identity = new AgentIdentity(agentId, "mcp-server", capabilities(server.name(), server.tools()));
    if (options.getHttpPort() >= 0) {
      http = new McpHttpTransport(vertx, server);
    }
    Future<Integer> httpStarted = http == null ? Future.succeededFuture(-1) : http.listen();
    return consumer.completion()
        .compose(v -> httpStarted)
        .compose(port -> vertx.deployVerticle(new HeartbeatPublisher(identity, heartbeatInterval, LoadReporter.idle(),
            KeyValueStores.open(vertx, Buckets.REGISTRY))))
        .onSuccess(v -> LOG.info("MCP server {} ready: {} tools on bus address {}{}", server.name(), server.tools().size(),
            McpBusTransport.address(server.name()), http == null ? "" : " and http port " + http.port()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> httpClosed = http == null ? Future.succeededFuture() : http.close();
    Messenger.withdraw(vertx, consumer.address());
    return Future.join(consumer.unregister(), httpClosed).onComplete(ar -> server.close());
  }

  /** The HTTP port actually bound (after start), or -1 without HTTP. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public McpServer server() {
    return server;
  }
}
