/** Waiting for executions through the HTTP surface, as a polling client would. */
import { expect } from "vitest";
import type { TestOrg } from "./api.ts";

/** How long {@link waitForResult} waits between two polls, in ms. */
const POLL_INTERVAL_MS = 25;

/**
 * Polls execution.getResult (`GET /v1/harnesses/{harness}/executions/{id}/result`) every 25 ms until
 * it answers 200, and returns its `result`.
 * @param options.attempts polls before giving up (default 400, i.e. about 10 s).
 * @param options.assertPending assert that every answer before the result is 409 (not finished yet).
 * @throws Error "execution did not finish" after `attempts` polls.
 */
export async function waitForResult(
  org: TestOrg,
  harness: string,
  executionId: string,
  options: { attempts?: number; assertPending?: boolean } = {},
): Promise<any> {
  for (let i = 0; i < (options.attempts ?? 400); i++) {
    const res = await org.json("GET", `/v1/harnesses/${harness}/executions/${executionId}/result`);
    if (res.status === 200) return res.body.result;
    if (options.assertPending) expect(res.status).toBe(409);
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
  throw new Error("execution did not finish");
}
