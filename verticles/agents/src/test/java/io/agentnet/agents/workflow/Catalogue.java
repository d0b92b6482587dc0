package io.agentnet.agents.workflow;

import java.util.Set;

/** The specialist skills catalogue's actions (docs/ARCHITECTURE.md), as the orchestrator passes them to the loader. */
final class Catalogue {

  static final Set<String> ACTIONS = Set.of("validate_placement", "create_vm", "wait_task", "start_vm", "verify_vm",
      "remove_vm", "diagnose", "remediate", "verify_health", "collect_metrics", "plan_rebalance", "execute_migrations",
      "report_rebalance", "mcp_call");

  private Catalogue() {
  }
}
