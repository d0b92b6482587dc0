package io.agentnet.agents;

import io.agentnet.agents.monitor.MonitorOptions;
import io.agentnet.agents.monitor.MonitorVerticle;
import io.agentnet.agents.orchestrator.OrchestratorOptions;
import io.agentnet.agents.orchestrator.OrchestratorVerticle;
import io.agentnet.agents.specialist.Skills;
import io.agentnet.agents.specialist.SpecialistOptions;
import io.agentnet.agents.specialist.SpecialistVerticle;
import io.agentnet.agents.workflow.WorkflowDefinitions;
import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.ServiceMapping;
import io.agentnet.runtime.AgentIdentity;
import io.agentnet.runtime.config.AppConfig;
import io.agentnet.runtime.launch.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent roles a process can run: {@code orchestrator}, {@code specialist} and {@code monitor},
 * configured from {@code agents.<role>} and the environment. AGENT_ID and AGENT_TYPE name the agent
 * when a process runs exactly one; otherwise each gets its role plus a short random suffix.
 */
public final class AgentRoles {

  public static final List<String> NAMES = List.of("orchestrator", "specialist", "monitor");
  /** Skills' default wait for a Proxmox task. */
  private static final Duration TASK_WAIT = Duration.ofMinutes(5);

  private AgentRoles() {
  }

  /** The all-in-one set: specialists of the types in agents.allInOne.specialists, the orchestrator, the monitor. */
  public static List<Role> allInOne(AppConfig config) {
    List<Role> roles = new ArrayList<>();
    JsonArray types = section(config, "allInOne").getJsonArray("specialists",
        new JsonArray().add("general").add("general").add("machine_learning"));
    types.forEach(t -> roles.add(specialist(config, String.valueOf(t), false)));
    roles.add(orchestrator(config, false));
    roles.add(monitor(config, false));
    return roles;
  }

  public static List<Role> roles(List<String> names, AppConfig config) {
    List<Role> roles = new ArrayList<>();
    boolean only = names.size() == 1;
    for (String name : names) {
      roles.add(switch (name) {
        case "orchestrator" -> orchestrator(config, only);
        case "specialist" -> specialist(config, config.env().get("AGENT_TYPE", "general"), only);
        case "monitor" -> monitor(config, only);
        default -> throw new ConfigException("unknown agent role \"" + name + "\": choose from " + String.join(", ", NAMES));
      });
    }
    return roles;
  }

  public static Role orchestrator(AppConfig config, boolean only) {
    AgentIdentity identity = AgentIdentity.forRole(config.env(), "orchestrator", "orchestrator", only, List.of("orchestration"));
    OrchestratorOptions options = OrchestratorOptions.fromConfig(section(config, "orchestrator"), config.env());
    WorkflowDefinitions definitions = WorkflowDefinitions.loadDefault(config.env(), Skills.standard(TASK_WAIT).actions());
    List<ServiceMapping.Endpoint> endpoints = new ArrayList<>();
    for (String verb : OrchestratorVerticle.VERBS) {
      endpoints.add(new ServiceMapping.Endpoint(verb, "ai.orchestrator." + verb, "ai.orchestrator." + verb,
          OrchestratorVerticle.SERVICE, null, Duration.ofSeconds(30)));
    }
    return Role.of("orchestrator", () -> new OrchestratorVerticle(identity, options, definitions,
            config.heartbeatInterval()),
        new ServiceMapping(OrchestratorVerticle.SERVICE, "1.0.0", "agentnet workflows: submit, get, list, cancel, definitions",
            endpoints));
  }

  public static Role specialist(AppConfig config, String type, boolean only) {
    SpecialistOptions options = SpecialistOptions.fromConfig(section(config, "specialist"), config.env(), type,
        config.heartbeatInterval());
    AgentIdentity identity = AgentIdentity.forRole(config.env(), "specialist-" + type.replace('_', '-'), type, only,
        options.capabilities());
    Skills skills = Skills.standard(TASK_WAIT);
    String id = identity.agentId();
    ServiceMapping service = new ServiceMapping(SpecialistVerticle.SERVICE, "1.0.0",
        "agentnet specialist " + id + " (" + type + ")", List.of(
            ServiceMapping.Endpoint.of("task", SpecialistVerticle.taskAddress(id), SpecialistVerticle.taskAddress(id)),
            ServiceMapping.Endpoint.of("cancel", SpecialistVerticle.cancelAddress(id),
                SpecialistVerticle.cancelAddress(id))));
    return Role.of("specialist " + id, () -> new SpecialistVerticle(identity, options, skills), service);
  }

  public static Role monitor(AppConfig config, boolean only) {
    AgentIdentity identity = AgentIdentity.forRole(config.env(), "monitor", "monitor", only, List.of("monitoring"));
    MonitorOptions options = MonitorOptions.fromConfig(section(config, "monitor"), config.env(),
        config.heartbeatInterval());
    return Role.of("monitor", () -> new MonitorVerticle(identity, options));
  }

  public static JsonObject section(AppConfig config, String name) {
    return config.json().getJsonObject("agents", new JsonObject()).getJsonObject(name, new JsonObject());
  }
}
