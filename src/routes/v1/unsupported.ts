/**
 * Every Open Harness operation this deployment does not serve yet (spec §0.4 master route list).
 * Each is a documented route that authenticates, resolves the harness (404 if it is not the caller's)
 * and answers 501 `capability_not_supported` naming the operation — never a bare 404 — so clients can
 * rely on the capability manifest (spec §8.4). A route moves out of this table when it is implemented.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, problemResponses } from "../../openapi/responses.ts";
import { createRouter, type AppRouteHandler } from "../../context.ts";
import { notSupported } from "../../services/harnesses/capabilities.ts";
import { findHarness } from "../../services/harnesses/find.ts";
import { authed } from "../authed.ts";

type Method = "get" | "post" | "patch" | "put" | "delete";

/** [operation id, method, path, domain]. */
export const UNSUPPORTED_OPERATIONS: [string, Method, string, string][] = [
  ["agents.create", "post", "/harnesses/{harnessId}/agents", "agents"],
  ["agents.update", "patch", "/harnesses/{harnessId}/agents/{agentId}", "agents"],
  ["agents.delete", "delete", "/harnesses/{harnessId}/agents/{agentId}", "agents"],
  ["agents.clone", "post", "/harnesses/{harnessId}/agents/{agentId}/clone", "agents"],
  ["agents.export", "get", "/harnesses/{harnessId}/agents/{agentId}/export", "agents"],
  ["skills.list", "get", "/harnesses/{harnessId}/skills", "skills"],
  ["skills.register", "post", "/harnesses/{harnessId}/skills", "skills"],
  ["skills.get", "get", "/harnesses/{harnessId}/skills/{skillId}", "skills"],
  ["skills.update", "patch", "/harnesses/{harnessId}/skills/{skillId}", "skills"],
  ["skills.uninstall", "delete", "/harnesses/{harnessId}/skills/{skillId}", "skills"],
  ["skills.listVersions", "get", "/harnesses/{harnessId}/skills/{skillId}/versions", "skills"],
  ["skills.rollback", "post", "/harnesses/{harnessId}/skills/{skillId}/rollback", "skills"],
  ["skills.discover", "post", "/harnesses/{harnessId}/skills/discover", "skills"],
  ["skills.validate", "post", "/harnesses/{harnessId}/skills/validate", "skills"],
  ["skills.download", "get", "/harnesses/{harnessId}/skills/{skillId}/download", "skills"],
  ["skills.upgrade", "post", "/harnesses/{harnessId}/skills/{skillId}/upgrade", "skills"],
  ["mcp.list", "get", "/harnesses/{harnessId}/mcp-servers", "mcp"],
  ["mcp.connect", "post", "/harnesses/{harnessId}/mcp-servers", "mcp"],
  ["mcp.get", "get", "/harnesses/{harnessId}/mcp-servers/{serverId}", "mcp"],
  ["mcp.update", "patch", "/harnesses/{harnessId}/mcp-servers/{serverId}", "mcp"],
  ["mcp.disconnect", "delete", "/harnesses/{harnessId}/mcp-servers/{serverId}", "mcp"],
  ["mcp.listTools", "get", "/harnesses/{harnessId}/mcp-servers/{serverId}/tools", "mcp"],
  ["mcp.listResources", "get", "/harnesses/{harnessId}/mcp-servers/{serverId}/resources", "mcp"],
  ["mcp.listPrompts", "get", "/harnesses/{harnessId}/mcp-servers/{serverId}/prompts", "mcp"],
  ["mcp.health", "post", "/harnesses/{harnessId}/mcp-servers/{serverId}/health", "mcp"],
  ["tools.list", "get", "/harnesses/{harnessId}/tools", "tools"],
  ["tools.get", "get", "/harnesses/{harnessId}/tools/{toolId}", "tools"],
  ["tools.register", "post", "/harnesses/{harnessId}/tools", "tools"],
  ["tools.unregister", "delete", "/harnesses/{harnessId}/tools/{toolId}", "tools"],
  ["tools.invoke", "post", "/harnesses/{harnessId}/tools/{toolId}/invoke", "tools"],
  ["tools.invokeStream", "post", "/harnesses/{harnessId}/tools/{toolId}/invoke/stream", "tools"],
  ["memory.get", "get", "/harnesses/{harnessId}/agents/{agentId}/memory", "memory"],
  ["memory.listBlocks", "get", "/harnesses/{harnessId}/agents/{agentId}/memory/blocks", "memory"],
  ["memory.getBlock", "get", "/harnesses/{harnessId}/agents/{agentId}/memory/blocks/{label}", "memory"],
  ["memory.updateBlock", "put", "/harnesses/{harnessId}/agents/{agentId}/memory/blocks/{label}", "memory"],
  ["memory.createBlock", "post", "/harnesses/{harnessId}/agents/{agentId}/memory/blocks", "memory"],
  ["memory.deleteBlock", "delete", "/harnesses/{harnessId}/agents/{agentId}/memory/blocks/{label}", "memory"],
  ["memory.search", "post", "/harnesses/{harnessId}/agents/{agentId}/memory/search", "memory"],
  ["memory.getArchive", "get", "/harnesses/{harnessId}/agents/{agentId}/memory/archive", "memory"],
  ["memory.addToArchive", "post", "/harnesses/{harnessId}/agents/{agentId}/memory/archive", "memory"],
  ["memory.export", "post", "/harnesses/{harnessId}/agents/{agentId}/memory/export", "memory"],
  ["memory.import", "post", "/harnesses/{harnessId}/agents/{agentId}/memory/import", "memory"],
  ["subagents.list", "get", "/harnesses/{harnessId}/agents/{agentId}/subagents", "subagents"],
  ["subagents.spawn", "post", "/harnesses/{harnessId}/agents/{agentId}/subagents", "subagents"],
  ["subagents.get", "get", "/harnesses/{harnessId}/agents/{agentId}/subagents/{subagentId}", "subagents"],
  ["subagents.terminate", "delete", "/harnesses/{harnessId}/agents/{agentId}/subagents/{subagentId}", "subagents"],
  ["subagents.delegate", "post", "/harnesses/{harnessId}/agents/{agentId}/subagents/{subagentId}/delegate", "subagents"],
  ["subagents.delegateStream", "post", "/harnesses/{harnessId}/agents/{agentId}/subagents/{subagentId}/delegate/stream", "subagents"],
  ["subagents.result", "get", "/harnesses/{harnessId}/agents/{agentId}/subagents/{subagentId}/result", "subagents"],
  ["subagents.attachStream", "get", "/harnesses/{harnessId}/agents/{agentId}/subagents/{subagentId}/stream", "subagents"],
  ["files.list", "get", "/harnesses/{harnessId}/files", "files"],
  ["files.read", "get", "/harnesses/{harnessId}/files/{path}", "files"],
  ["files.write", "put", "/harnesses/{harnessId}/files/{path}", "files"],
  ["files.delete", "delete", "/harnesses/{harnessId}/files/{path}", "files"],
  ["files.search", "post", "/harnesses/{harnessId}/files/search", "files"],
  ["files.upload", "post", "/harnesses/{harnessId}/files/upload", "files"],
  ["files.uploadBatch", "post", "/harnesses/{harnessId}/files/upload-batch", "files"],
  ["files.download", "get", "/harnesses/{harnessId}/files/{path}/download", "files"],
  ["files.downloadBatch", "post", "/harnesses/{harnessId}/files/download-batch", "files"],
  ["files.mkdir", "post", "/harnesses/{harnessId}/files/mkdir", "files"],
  ["hooks.list", "get", "/harnesses/{harnessId}/hooks", "hooks"],
  ["hooks.register", "post", "/harnesses/{harnessId}/hooks", "hooks"],
  ["hooks.get", "get", "/harnesses/{harnessId}/hooks/{hookId}", "hooks"],
  ["hooks.update", "patch", "/harnesses/{harnessId}/hooks/{hookId}", "hooks"],
  ["hooks.unregister", "delete", "/harnesses/{harnessId}/hooks/{hookId}", "hooks"],
  ["hooks.streamEvents", "get", "/harnesses/{harnessId}/events/stream", "hooks"],
  ["hooks.listEvents", "get", "/harnesses/{harnessId}/events", "hooks"],
  ["webhooks.register", "post", "/harnesses/{harnessId}/webhooks", "hooks"],
  ["webhooks.list", "get", "/harnesses/{harnessId}/webhooks", "hooks"],
  ["webhooks.delete", "delete", "/harnesses/{harnessId}/webhooks/{webhookId}", "hooks"],
  ["planning.get", "get", "/harnesses/{harnessId}/executions/{executionId}/plan", "planning"],
  ["planning.update", "patch", "/harnesses/{harnessId}/executions/{executionId}/plan", "planning"],
  ["planning.listTasks", "get", "/harnesses/{harnessId}/executions/{executionId}/plan/tasks", "planning"],
  ["planning.updateTask", "patch", "/harnesses/{harnessId}/executions/{executionId}/plan/tasks/{taskId}", "planning"],
  ["planning.stream", "get", "/harnesses/{harnessId}/executions/{executionId}/plan/stream", "planning"],
  ["conformance.run", "post", "/harnesses/{harnessId}/conformance/run", "conformance"],
  ["conformance.stream", "get", "/harnesses/{harnessId}/conformance/run/stream", "conformance"],
  ["conformance.results", "get", "/harnesses/{harnessId}/conformance/results", "conformance"],
  ["conformance.status", "get", "/harnesses/{harnessId}/conformance/status", "conformance"],
  ["diagnostics.get", "get", "/harnesses/{harnessId}/diagnostics", "diagnostics"],
  ["diagnostics.logs", "get", "/harnesses/{harnessId}/logs", "diagnostics"],
  ["diagnostics.streamLogs", "get", "/harnesses/{harnessId}/logs/stream", "diagnostics"],
];

function paramsSchema(path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return z.object(Object.fromEntries(names.map((n) => [n, z.string().openapi({ param: { name: n, in: "path" } })])));
}

/** Router with one 501 route per unsupported operation. */
export function unsupportedRouter() {
  const router = createRouter();
  for (const [operationId, method, path, domain] of UNSUPPORTED_OPERATIONS) {
    const route = createRoute({
      operationId,
      method,
      path,
      tags: ["Not served yet"],
      summary: `${operationId} (501 on this deployment)`,
      security: BEARER_SECURITY,
      middleware: requireScope("harnesses:read"),
      request: { params: paramsSchema(path) },
      responses: problemResponses(...AUTH_ERRORS, "harness_not_found", "capability_not_supported"),
    });
    const handler: AppRouteHandler<typeof route> = async (c) => {
      const harness = await findHarness({ ctx: authed(c), input: { ref: c.req.param("harnessId") ?? "" } });
      throw notSupported(harness.slug, domain, operationId);
    };
    router.openapi(route, handler);
  }
  return router;
}
