/**
 * The cross-cutting behaviours (checklist §0.3, CC-01..06) and the "golden rule" the status reports on:
 * every operation a harness does not serve answers 501 with a JSON error (§0.1, spec §8.4).
 */
import { OPEN_HARNESS_OPERATIONS, type OperationEntry } from "../../operations/table.ts";
import { expect, expectStatus, type Check, type CheckContext, type Manifest } from "../check.ts";

/** The Open Harness operations a manifest says are not served: its domain is unsupported, or its gate string is not listed. */
export function unservedOperations(manifest: Manifest): [string, OperationEntry][] {
  return (Object.entries(OPEN_HARNESS_OPERATIONS) as [string, OperationEntry][]).filter(([, op]) => {
    if (op.outbound) return false;
    const domain = op.capability?.[0] ?? (op.domain in manifest ? op.domain : undefined);
    if (!domain) return false;
    const declared = manifest[domain];
    if (!declared?.supported) return true;
    return op.capability !== undefined && !declared.operations.includes(op.capability[1]);
  });
}

/** A concrete URL path for an operation's path template (`{x}` → a placeholder id). */
function concrete(path: string, harness: string): string {
  return path.replace("{harnessId}", harness).replace(/\{(\w+)\}/g, (_, name: string) => `conformance-${name}`);
}

/**
 * Calls every unserved operation and returns the ones that did not answer 501 with a JSON error:
 * the golden-rule violations.
 */
export async function goldenRuleViolations(ctx: CheckContext): Promise<string[]> {
  const violations: string[] = [];
  for (const [id, op] of unservedOperations(ctx.manifest)) {
    // No body: an unserved operation answers 501 whatever it is sent (and an unread body would only be discarded).
    const reply = await ctx.client.request(op.method.toUpperCase(), concrete(op.path, ctx.harness));
    if (reply.status !== 501 || typeof reply.body !== "object" || !reply.body?.error?.code)
      violations.push(`${id} answered ${reply.status}`);
  }
  return violations;
}

export const CROSS_CUTTING_CHECKS: Check[] = [
  {
    id: "CC-01",
    category: "cross_cutting",
    name: "Every non-2xx response is a JSON error envelope",
    async run(ctx) {
      const probes = [
        await ctx.client.get(`/harnesses/${ctx.harness}/executions/exec_does_not_exist`),
        await ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, { message: 5 }),
        await ctx.client.get(`/harnesses/conformance-no-such-harness-${ctx.suffix}`),
      ];
      for (const reply of probes) {
        expect(reply.status >= 400, `a probe answered ${reply.status}`);
        expect(
          typeof reply.body?.error?.code === "string" && typeof reply.body?.error?.message === "string",
          `HTTP ${reply.status} body is not {error:{code,message}}`,
        );
      }
    },
  },
  {
    id: "CC-02",
    category: "cross_cutting",
    name: "Client mistakes never produce 5xx",
    async run(ctx) {
      const probes = [
        ctx.client.get(`/harnesses/${ctx.harness}/executions/%20`),
        ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, "{not json", { "content-type": "application/json" }),
        ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, { message: "hi", model: "no-such-provider/x" }),
        ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, { message: "hi", session_id: "" }),
        ctx.client.get(`/harnesses/${ctx.harness}/sessions/sess_nope`),
      ];
      for (const reply of await Promise.all(probes)) expect(reply.status < 500, `a client mistake answered HTTP ${reply.status}`);
    },
  },
  {
    id: "CC-03",
    category: "cross_cutting",
    name: "Errors name what is wrong",
    async run(ctx) {
      const missing = await ctx.client.get(`/harnesses/${ctx.harness}/executions/exec_does_not_exist`);
      expect(/not found|invalid|execution/i.test(String(missing.body?.error?.message)), "a missing execution's error does not say so");
      const invalid = await ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, { message: 5 });
      expect(/invalid|message/i.test(JSON.stringify(invalid.body?.error)), "an invalid field's error does not name it");
    },
  },
  {
    id: "CC-04",
    category: "cross_cutting",
    name: "Every stream ends with done or error, then closes",
    async run(ctx) {
      const s = await ctx.client.stream("POST", `/harnesses/${ctx.harness}/execute/stream`, { message: "Say hello" });
      expectStatus(s, 200, "execute/stream");
      const last = s.events.at(-1)?.data?.type;
      expect(last === "done" || last === "error", `the stream ended on ${last}`);
    },
  },
  {
    id: "CC-05",
    category: "cross_cutting",
    name: "State survives across requests",
    async run(ctx) {
      const started = await ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, { message: "Say hello" });
      expectStatus(started, 202, "execute");
      const id = started.body.execution_id;
      const again = await ctx.client.get(`/harnesses/${ctx.harness}/executions/${id}`);
      expectStatus(again, 200, "execution.get in a later request");
    },
  },
  {
    id: "CC-06",
    category: "cross_cutting",
    name: "Results reflect a real model run",
    async run(ctx) {
      const reply = await ctx.client.run(ctx.harness, { message: "What is 7 * 8? Reply with just the number, nothing else." });
      expectStatus(reply, 200, "execute");
      expect(String(reply.body?.result?.output).includes("56"), "the answer is not 56: the model does not really answer");
    },
  },
  {
    id: "CC-07",
    category: "cross_cutting",
    name: "Golden rule: every unserved operation answers 501 with a JSON error",
    async run(ctx) {
      const violations = await goldenRuleViolations(ctx);
      expect(violations.length === 0, `${violations.length} violation(s): ${violations.slice(0, 5).join("; ")}`);
    },
  },
];
