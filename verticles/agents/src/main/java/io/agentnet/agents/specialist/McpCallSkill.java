package io.agentnet.agents.specialist;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code mcp_call}: any tool of any MCP server, named {@code "server/tool"}, with the step's
 * {@code arguments}; answers the tool's structuredContent (or {text}). For steps a workflow wants
 * to spell out itself.
 */
final class McpCallSkill extends BaseSkill {

  McpCallSkill() {
    super("mcp_call", "general");
  }

  @Override
  Future<JsonObject> execute(TaskContext task, Inputs in) {
    String name = in.string("tool");
    int slash = name.indexOf('/');
    if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0) {
      throw SkillException.permanent("mcp_call: tool must be \"server/tool\", e.g. \"proxmox/list_nodes\", got \""
          + name + "\"");
    }
    JsonObject arguments = in.has("arguments") ? in.object("arguments") : new JsonObject();
    if (task.cancelled()) {
      throw SkillException.cancelled();
    }
    task.progress("calling " + name);
    return task.callTool(name.substring(0, slash), name.substring(slash + 1), arguments);
  }
}
