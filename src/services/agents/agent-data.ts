/**
 * Hook points for what other domains keep per agent. The memory domain (memory blocks and archive,
 * Open Harness domain 8) arrives in another issue: it plugs in here, and agents.delete, agents.clone
 * (`include_memory`) and agents.export (`include_memory`) call these without knowing how memory is stored.
 */
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext } from "../context.ts";
import type { AgentRow } from "./find.ts";

/**
 * Deletes everything other domains keep for `agent` (today: nothing is stored per agent outside its row,
 * its skills and its package; the memory domain adds its blocks and archive here). Called by
 * agents.delete after the refusal checks and before the agent row goes.
 */
export async function deleteAgentData(_ctx: AuthedContext, _agent: AgentRow): Promise<void> {
  // Memory blocks and archive: none are stored until the memory domain is served.
}

/**
 * The memory snapshot files of `agent` for a package (`memory/blocks.json`, `memory/archive.json`,
 * `memory/metadata.json`, spec §9.4 S9), or copies it to `cloneId` (agents.clone `include_memory`).
 * @throws ApiError `capability_not_supported` (501) until the memory domain is served — asked for
 *   memory, the caller gets a clear refusal rather than a package silently without it.
 */
export async function agentMemory(_ctx: AuthedContext, agent: AgentRow, operation: "agents.export" | "agents.clone"): Promise<never> {
  throw new ApiError("capability_not_supported", `This deployment keeps no agent memory yet, so ${operation} cannot include it.`, {
    domain: "memory",
    operation,
    details: { agent_id: agent.id, field: "include_memory" },
    actions: [{ rel: "fix-input", hint: "Omit include_memory (or send false)." }],
  });
}
