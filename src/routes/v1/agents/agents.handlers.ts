import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { ApiError } from "../../../errors/api-error.ts";
import { cloneAgent } from "../../../services/agents/clone.ts";
import { createAgent, type CreateAgentInput } from "../../../services/agents/create.ts";
import { deleteAgent } from "../../../services/agents/delete.ts";
import { exportAgent as exportAgentVerb } from "../../../services/agents/export.ts";
import { getAgent } from "../../../services/agents/get.ts";
import { updateAgent } from "../../../services/agents/update.ts";
import { importAgents as importAgentsVerb } from "../../../services/agents/import.ts";
import { listAgents } from "../../../services/agents/list.ts";
import { findHarness } from "../../../services/harnesses/find.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./agents.routes.ts";
import type { z } from "@hono/zod-openapi";
import { CreateAgentMetadata, toAgentView, type CreateAgentForm, type CreateAgentJson } from "./agents.schemas.ts";

export const importAgents: AppRouteHandler<typeof routes.importAgents> = async (c) => {
  const ctx = authed(c);
  const { harnessId } = c.req.valid("param");
  const form = c.req.valid("form");
  const result = await importAgentsVerb({
    ctx,
    input: {
      ref: harnessId,
      bundle: new Uint8Array(await form.bundle.arrayBuffer()),
      filename: form.bundle.name,
      merge_strategy: form.merge_strategy,
      ...(form.rename_to ? { rename_to: form.rename_to } : {}),
    },
  });
  const harness = await findHarness({ ctx, input: { ref: harnessId } });
  const views = result.agents.map((a) => toAgentView(a, harness));
  c.header("location", `/v1/harnesses/${harness.slug}/agents/${views[0]!.id}`);
  return c.json({ agent: views[0]!, agents: views, warnings: result.warnings }, 201);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harness, page } = await listAgents({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...c.req.valid("query") } });
  return c.json(
    toEnvelope(page, (row) => toAgentView(row, harness)),
    200,
  );
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const { harness, agent } = await getAgent({ ctx: authed(c), input: { ref: harnessId, agentId } });
  return c.json({ agent: toAgentView(agent, harness) }, 200);
};

function fieldError(field: string, detail: string, hint: string): ApiError {
  return new ApiError("validation_error", `${field}: ${detail}`, { details: { field }, actions: [{ rel: "fix-input", hint }] });
}

/** The multipart form of agents.create as service input. */
async function createInput(ref: string, form: z.infer<typeof CreateAgentForm>): Promise<CreateAgentInput> {
  const parts = [form.files, form["files[]"]].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  if (parts.length === 0)
    throw fieldError(
      "form.files",
      "AGENTS.md and the other files are required as `files` parts",
      "Send one `files` part per file; its file name is the relative path (AGENTS.md, skills/x/SKILL.md).",
    );
  const files = await Promise.all(parts.map(async (f) => ({ path: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  let metadata = {};
  if (form.metadata !== undefined) {
    const text = typeof form.metadata === "string" ? form.metadata : await form.metadata.text();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw fieldError("form.metadata", "must be a JSON object", 'Send metadata as JSON, e.g. {"name": "Helper", "description": "…"}.');
    }
    const parsed = CreateAgentMetadata.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.code === "unrecognized_keys" ? issue.keys[0] : issue.path.join(".");
      throw fieldError(`form.metadata${key ? `.${key}` : ""}`, issue.message, "metadata takes name (1–100) and description.");
    }
    metadata = parsed.data;
  }
  return { ref, kind: "files", files, metadata };
}

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const ctx = authed(c);
  const { harnessId } = c.req.valid("param");
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const valid = c.req.valid.bind(c.req) as unknown as (target: "form" | "json") => unknown;
  let input: CreateAgentInput;
  if (type === "multipart/form-data") input = await createInput(harnessId, valid("form") as z.infer<typeof CreateAgentForm>);
  else if (type === "application/json" || type.endsWith("+json"))
    input = { ref: harnessId, kind: "json", body: valid("json") as z.infer<typeof CreateAgentJson> };
  else throw fieldError("body", "an agent is required", "Send multipart/form-data (files + metadata) or the JSON CreateAgentRequest.");
  const created = await createAgent({ ctx, input });
  c.header("location", `/v1/harnesses/${created.harness.slug}/agents/${created.agent.id}`);
  return c.json({ agent: toAgentView(created.agent, created.harness), warnings: created.warnings }, 201);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const { model, system_prompt, config, skills, mcp_servers, ...rest } = c.req.valid("json");
  const mergedConfig = { ...config, ...(model !== undefined ? { model } : {}), ...(system_prompt !== undefined ? { system_prompt } : {}) };
  const { harness, agent } = await updateAgent({
    ctx: authed(c),
    input: {
      ref: harnessId,
      agentId,
      ...rest,
      ...(config !== undefined || model !== undefined || system_prompt !== undefined ? { config: mergedConfig } : {}),
      ...(skills !== undefined ? { skills: skills.map((s) => (typeof s === "string" ? { skill_id: s } : s)) } : {}),
      ...(mcp_servers !== undefined
        ? { mcp_servers: mcp_servers.map((m) => ({ ...m, name: m.name ?? m.server_id, required: m.required ?? true })) }
        : {}),
    },
  });
  return c.json({ agent: toAgentView(agent, harness) }, 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  await deleteAgent({ ctx: authed(c), input: { ref: harnessId, agentId } });
  return c.body(null, 204);
};

export const clone: AppRouteHandler<typeof routes.clone> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const body = c.req.valid("json");
  const { harness, agent } = await cloneAgent({
    ctx: authed(c),
    input: { ref: harnessId, agentId, new_name: body.new_name, include_memory: body.include_memory ?? false },
  });
  c.header("location", `/v1/harnesses/${harness.slug}/agents/${agent.id}`);
  return c.json({ agent: toAgentView(agent, harness) }, 201);
};

export const exportAgent: AppRouteHandler<typeof routes.exportAgent> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const query = c.req.valid("query");
  const exported = await exportAgentVerb({
    ctx: authed(c),
    input: {
      ref: harnessId,
      agentId,
      include_memory: query.include_memory ?? false,
      include_versions: query.include_versions ?? false,
      contents_mode: query.contents_mode ?? "bundled",
    },
  });
  return new Response(exported.bytes, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-length": String(exported.bytes.byteLength),
      "content-disposition": `attachment; filename="${exported.filename}"`,
    },
  }) as never;
};
