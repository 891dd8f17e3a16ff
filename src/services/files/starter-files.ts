/**
 * Starter files (Everruns `initial_files`): what a workspace starts with. The harness chain's lists merge
 * by path, the child's file winning (DESIGN.md resolution order); a path may carry the `/workspace/`
 * prefix; `content` is text or, with `encoding: "base64"`, bytes; `is_readonly` files refuse every edit
 * and delete afterwards (agent tools and `files.*` alike — the store enforces it).
 *
 * Where they go: a new session's own workspace gets all of them; the harness workspace (runs without a
 * session, and `files.*` without `session_id`) gets the ones it is missing before each such run, so a
 * starter file deleted there comes back and one edited there stays edited.
 */
import type { InitialFile } from "../../db/schema.ts";
import { fromBase64 } from "../../lib/crypto.ts";
import { normalizeWorkspacePath } from "../../runtime/tools/workspace-paths.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { workspaceStore, type SeedFile } from "../workspace/store.ts";

/** Why a starter file cannot be used, or undefined (checked when a harness is written, again when seeding). */
export function starterFileProblem(file: InitialFile): string | undefined {
  try {
    if (normalizeWorkspacePath(file.path) === "") return "path names the workspace root, not a file";
  } catch (error) {
    return (error as Error).message;
  }
  if (file.encoding === "base64") {
    try {
      fromBase64(file.content);
    } catch {
      return "content is not valid base64";
    }
  }
  return undefined;
}

/** The chain's starter files merged by normalised path, parents first and the child winning, decoded. */
export function mergedStarterFiles(harness: HarnessRow, parents: HarnessRow[]): SeedFile[] {
  const byPath = new Map<string, SeedFile>();
  for (const layer of [...parents].reverse().concat(harness)) {
    for (const file of layer.initialFiles ?? []) {
      if (starterFileProblem(file)) continue; // refused at write time; an older row is skipped and logged by the caller
      const path = normalizeWorkspacePath(file.path);
      const bytes = file.encoding === "base64" ? fromBase64(file.content) : new TextEncoder().encode(file.content);
      byPath.set(path, { path, bytes, readonly: file.is_readonly === true });
    }
  }
  return [...byPath.values()];
}

/**
 * Writes the chain's starter files into the workspace at `prefix`: all of them (a new session), or only
 * the missing ones (`onlyMissing`: the harness workspace before a run without a session). A path that a
 * directory (or a file parent) blocks is left out and logged.
 */
export async function seedStarterFiles(
  ctx: AuthedContext,
  input: { harness: HarnessRow; parents: HarnessRow[]; prefix: string; onlyMissing: boolean },
): Promise<{ seeded: string[] }> {
  const files = mergedStarterFiles(input.harness, input.parents);
  if (files.length === 0) return { seeded: [] };
  const store = workspaceStore(ctx.env, ctx.db, { orgId: ctx.principal.orgId, prefix: input.prefix });
  const { seeded, blocked } = await store.seed(files, { onlyMissing: input.onlyMissing });
  if (blocked.length > 0) ctx.log.warn("starter files blocked by existing workspace entries", { harness_id: input.harness.id, blocked });
  return { seeded };
}
