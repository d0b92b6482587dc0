package io.agentnet.agents.orchestrator;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The orchestrator's settings: config section {@code agents.orchestrator}, overridden by
 * LEADER_ELECTION and LEADER_LEASE_SECONDS.
 */
public final class OrchestratorOptions {

  private boolean leaderElection;
  private Duration leaseTtl = Duration.ofSeconds(10);
  private Duration tick = Duration.ofMillis(200);
  private Duration scanInterval = Duration.ofSeconds(10);
  private Duration handOutTimeout = Duration.ofSeconds(5);
  private int breakerMaxFailures = 3;
  private Duration breakerReset = Duration.ofSeconds(10);
  private int listLimit = 100;

  public static OrchestratorOptions fromConfig(JsonObject section, Environment env) {
    JsonObject s = section == null ? new JsonObject() : section;
    OrchestratorOptions o = new OrchestratorOptions();
    o.leaderElection = Boolean.parseBoolean(env.get("LEADER_ELECTION", String.valueOf(s.getBoolean("leaderElection", false))));
    int lease = env.integer("LEADER_LEASE_SECONDS", s.getInteger("leaseSeconds", 10));
    if (lease < 2) {
      throw new ConfigException("LEADER_LEASE_SECONDS: must be at least 2 seconds, got " + lease);
    }
    o.leaseTtl = Duration.ofSeconds(lease);
    o.tick = Duration.ofMillis(s.getInteger("tickMs", 200));
    o.scanInterval = Duration.ofSeconds(s.getInteger("scanSeconds", 10));
    o.handOutTimeout = Duration.ofMillis(s.getInteger("handOutTimeoutMs", 5000));
    o.breakerMaxFailures = s.getInteger("breakerMaxFailures", 3);
    o.breakerReset = Duration.ofMillis(s.getInteger("breakerResetMs", 10000));
    return o;
  }

  public boolean leaderElection() { return leaderElection; }
  public OrchestratorOptions leaderElection(boolean b) { leaderElection = b; return this; }
  public Duration leaseTtl() { return leaseTtl; }
  public OrchestratorOptions leaseTtl(Duration d) { leaseTtl = d; return this; }
  public Duration tick() { return tick; }
  public Duration scanInterval() { return scanInterval; }
  public Duration handOutTimeout() { return handOutTimeout; }
  public int breakerMaxFailures() { return breakerMaxFailures; }
  public Duration breakerReset() { return breakerReset; }
  public OrchestratorOptions breakerReset(Duration d) { breakerReset = d; return this; }
  public int listLimit() { return listLimit; }
}
