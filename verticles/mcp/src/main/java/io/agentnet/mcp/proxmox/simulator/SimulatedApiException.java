package io.agentnet.mcp.proxmox.simulator;

import java.util.Map;

/** An error the simulated API answers with: the HTTP status, PVE's message and a 400's errors map. */
public class SimulatedApiException extends RuntimeException {

  private final int status;
  private final Map<String, String> errors;

  public SimulatedApiException(int status, String message) {
    this(status, message, Map.of());
  }

  public SimulatedApiException(int status, String message, Map<String, String> errors) {
    super(message, null, false, false);
    this.status = status;
    this.errors = Map.copyOf(errors);
  }

  /** A 400 "Parameter verification failed." naming what was wrong with one parameter. */
  public static SimulatedApiException badParameter(String name, String problem) {
    return new SimulatedApiException(400, "Parameter verification failed.", Map.of(name, problem));
  }

  public int status() {
    return status;
  }

  public Map<String, String> errors() {
    return errors;
  }
}
