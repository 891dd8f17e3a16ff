/**
 * The `memory` tool source (capability ref `memory`): Letta-style core and archival memory for runs of
 * an agent. Its `prompt` renders the agent's memory blocks into the system prompt before every model
 * step, so an edit made by a tool is what the model reads next; its tools edit a block and insert into /
 * search the archive. Everything goes through the {@link MemoryPort} the services hand in (the same
 * limits as the API: a block's character limit, read-only blocks, the archive's size).
 *
 * Memory belongs to an agent: a run without one (no `agent_id`) gets neither tools nor a prompt section.
 */
import { z } from "zod";
import { ToolError, type Tool, type ToolScope, type ToolSource } from "../contract.ts";
import { defineTool } from "../define.ts";
import { toolAccessFilter } from "../toolset.ts";
import type { MemoryBlockItem, AgentRef, MemoryPort } from "../ports.ts";

/** The capability ref that enables agent memory. */
export const MEMORY_REF = "memory";
/** Longest text a memory tool accepts in one call, in characters (the longest block or entry). */
export const MAX_MEMORY_TOOL_TEXT_CHARS = 100_000;
/** Most hits `memory_archive_search` returns. */
export const MAX_ARCHIVE_SEARCH_RESULTS = 20;

/** The tool names, for the catalog and the prompt. */
export const MEMORY_TOOL_NAMES = ["memory_block_append", "memory_block_replace", "memory_archive_insert", "memory_archive_search"] as const;

const label = z.string().min(1).max(100).describe("The block's label, as shown in <memory_blocks>.");

function blockResult(block: MemoryBlockItem): Record<string, unknown> {
  return { label: block.label, chars: block.chars, limit: block.limit, value: block.value };
}

/** The memory tools of one agent (`owner`). */
export function memoryTools(port: MemoryPort, owner: AgentRef): Tool[] {
  const source = { kind: "memory" as const, id: MEMORY_REF };
  return [
    defineTool({
      name: "memory_block_append",
      source,
      description:
        "Append text on a new line to one of your memory blocks (shown in <memory_blocks>). Use it to remember lasting facts about the person or the work. Fails when the block is read-only or the text would pass its character limit: then replace older text instead.",
      inputSchema: z.object({ label, text: z.string().min(1).max(MAX_MEMORY_TOOL_TEXT_CHARS).describe("What to add.") }),
      execute: async (input) => blockResult(await port.appendToBlock(owner, { label: input.label, text: input.text })),
    }),
    defineTool({
      name: "memory_block_replace",
      source,
      description:
        "Replace text in one of your memory blocks: old_text must occur exactly once in the block (copy it from <memory_blocks>); new_text replaces it (empty deletes it). Fails for read-only blocks or when the result would pass the block's character limit.",
      inputSchema: z.object({
        label,
        old_text: z.string().min(1).max(MAX_MEMORY_TOOL_TEXT_CHARS).describe("The exact text to replace."),
        new_text: z.string().max(MAX_MEMORY_TOOL_TEXT_CHARS).describe("The replacement; empty to delete."),
      }),
      execute: async (input) =>
        blockResult(await port.replaceInBlock(owner, { label: input.label, oldText: input.old_text, newText: input.new_text })),
    }),
    defineTool({
      name: "memory_archive_insert",
      source,
      description:
        "Save a passage to your archival memory: long-term storage outside your prompt, for details you may need later. Find it again with memory_archive_search.",
      inputSchema: z.object({
        content: z.string().min(1).max(MAX_MEMORY_TOOL_TEXT_CHARS).describe("The passage to save, written to be understood on its own."),
        tags: z.array(z.string().min(1).max(64)).max(20).optional().describe("Optional tags (single words) to find it by."),
      }),
      execute: async (input) => ({
        ...(await port.insertArchive(owner, { content: input.content, ...(input.tags ? { tags: input.tags } : {}) })),
      }),
    }),
    defineTool({
      name: "memory_archive_search",
      source,
      description: "Search your archival memory by words (full text, best match first; relevance_score 0–1 relative to the best hit).",
      inputSchema: z.object({
        query: z.string().min(1).max(1000).describe("Words to look for; any may match."),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_ARCHIVE_SEARCH_RESULTS)
          .default(5)
          .describe(`Most results (1–${MAX_ARCHIVE_SEARCH_RESULTS}).`),
      }),
      execute: async (input) => {
        const results = await port.searchArchive(owner, { query: input.query, limit: input.limit });
        return { results, count: results.length };
      },
    }),
  ];
}

/**
 * The `<memory_blocks>` system-prompt section for `blocks`; `editable` false when the run has none of
 * the memory tools (a subagent whose tool subset leaves them out): the blocks are then shown as context.
 */
export function renderMemoryBlocks(blocks: MemoryBlockItem[], editable = true): string {
  const body =
    blocks.length === 0
      ? "(no blocks yet)"
      : blocks
          .map(
            (b) =>
              `<block label="${b.label}" chars="${b.chars}" limit="${b.limit}"${b.read_only ? ' read_only="true"' : ""}>\n${b.value}\n</block>`,
          )
          .join("\n");
  return [
    "## Memory",
    editable
      ? "Your memory blocks below persist across conversations and are shown to you before every step. Keep them current with memory_block_append and memory_block_replace (read-only blocks cannot change; each block holds at most `limit` characters). Save details you may need later to your archive with memory_archive_insert and find them with memory_archive_search."
      : "The agent's memory blocks below persist across conversations; they are context for this task (this run cannot change them).",
    `<memory_blocks>\n${body}\n</memory_blocks>`,
  ].join("\n\n");
}

function ownerOf(scope: ToolScope): AgentRef | undefined {
  if (!scope.agentId || !scope.capabilityRefs.some((r) => r.ref === MEMORY_REF)) return undefined;
  return { harnessId: scope.harnessId, agentId: scope.agentId };
}

/** The memory source over `port`: tools and the prompt section for runs of an agent with the `memory` ref. */
export function memoryToolSource(port: MemoryPort): ToolSource {
  return {
    kind: "memory",
    async tools(scope) {
      const owner = ownerOf(scope);
      return owner ? memoryTools(port, owner) : [];
    },
    async prompt(scope) {
      const owner = ownerOf(scope);
      if (!owner) return undefined;
      const allowed = toolAccessFilter(scope);
      return renderMemoryBlocks(
        await port.blocks(owner),
        MEMORY_TOOL_NAMES.some((name) => allowed(name)),
      );
    },
  };
}

/** A port for listing the tools where no agent's memory is at hand (the capability catalog): every call fails. */
const NO_MEMORY: MemoryPort = {
  blocks: () => Promise.reject(new ToolError("memory_unavailable", "No agent memory here.")),
  appendToBlock: () => Promise.reject(new ToolError("memory_unavailable", "No agent memory here.")),
  replaceInBlock: () => Promise.reject(new ToolError("memory_unavailable", "No agent memory here.")),
  insertArchive: () => Promise.reject(new ToolError("memory_unavailable", "No agent memory here.")),
  searchArchive: () => Promise.reject(new ToolError("memory_unavailable", "No agent memory here.")),
};

/** The memory tools as the capability catalog lists them (names, descriptions, schemas); runs get them from {@link memoryToolSource}. */
export const MEMORY_CATALOG_TOOLS: Tool[] = memoryTools(NO_MEMORY, { harnessId: "", agentId: "" });
