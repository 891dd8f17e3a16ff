/**
 * What a conformance check is: one observable behaviour of `spec/conformance-checklist.md`, run over
 * HTTP against one harness, passing, failing (with the reason and the exchange that showed it) or
 * skipped (with why). Checks fail by throwing {@link CheckFailure} through {@link expect}.
 */
import type { ConformanceClient, Exchange } from "./client.ts";

/** The checklist's 13 categories (§0.1) and the cross-cutting checks. */
export const CATEGORIES = [
  "execution",
  "streaming",
  "tool_events",
  "sessions",
  "agents",
  "memory",
  "subagents",
  "mcp",
  "files",
  "planning",
  "hooks",
  "skills",
  "tools",
  "cross_cutting",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The target's capability manifest as `harnesses.capabilities` answers it. */
export type Manifest = Record<string, { supported: boolean; operations: string[] }>;

/** What every check gets: the client, the harness under test, its manifest, and per-run scratch state. */
export interface CheckContext {
  client: ConformanceClient;
  harness: string;
  manifest: Manifest;
  /** Ids made by earlier checks of the run (an agent, an execution) that later checks may reuse. */
  scratch: Record<string, string>;
  /** A unique suffix for names this run creates. */
  suffix: string;
  /** Results several checks share, computed once per run (see {@link once}). */
  shared: Map<string, Promise<unknown>>;
}

/** `compute()` once per run under `key`; later checks get the same promise. */
export function once<T>(ctx: CheckContext, key: string, compute: () => Promise<T>): Promise<T> {
  let value = ctx.shared.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    ctx.shared.set(key, value);
  }
  return value;
}

/** How a check ended. */
export type CheckOutcome =
  { status: "passed" } | { status: "failed"; error: string; exchange?: Exchange } | { status: "skipped"; reason: string };

/** One behaviour of the checklist. */
export interface Check {
  /** The checklist id, e.g. `EXE-01`. */
  id: string;
  category: Category;
  name: string;
  /** Soft: the checklist only asserts "no crash"; a failure is reported but does not fail certification. */
  soft?: boolean;
  run(ctx: CheckContext): Promise<void | { skipped: string }>;
}

/** A failed expectation. */
export class CheckFailure extends Error {
  override readonly name = "CheckFailure";
}

/**
 * Fails the check with `message` unless `condition` holds.
 * @throws CheckFailure
 */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

/** Fails unless `status` is `wanted` (one of them), naming what came back. */
export function expectStatus(reply: { status: number; text?: string }, wanted: number | number[], what: string): void {
  const list = Array.isArray(wanted) ? wanted : [wanted];
  expect(
    list.includes(reply.status),
    `${what}: expected HTTP ${list.join(" or ")}, got ${reply.status}${reply.text ? ` (${reply.text.slice(0, 200)})` : ""}`,
  );
}

/** The list of a list operation's body: the spec envelope's `data`, or a named array. */
export function listOf(body: any, key?: string): any[] {
  if (Array.isArray(body)) return body;
  if (Array.isArray(body?.data)) return body.data;
  if (key && Array.isArray(body?.[key])) return body[key];
  return [];
}
