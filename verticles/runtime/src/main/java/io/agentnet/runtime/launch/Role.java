package io.agentnet.runtime.launch;

import io.agentnet.bridge.config.ServiceMapping;
import io.vertx.core.Deployable;

import java.util.List;
import java.util.function.Supplier;

/**
 * One part a process can run (an MCP server, an agent): the verticle that does it, and the NATS
 * micro services the bridge must offer for it, so a process only answers for what it runs.
 */
public record Role(String name, Supplier<? extends Deployable> verticle, List<ServiceMapping> services) {

  public Role {
    services = List.copyOf(services);
  }

  public static Role of(String name, Supplier<? extends Deployable> verticle, ServiceMapping... services) {
    return new Role(name, verticle, List.of(services));
  }
}
