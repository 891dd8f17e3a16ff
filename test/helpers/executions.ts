/** Running and waiting for executions through the HTTP surface, as a client would. */
import { expect } from "vitest";
import type { TestOrg } from "./api.ts";
import { readSse, type SseFrame } from "./sse.ts";

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

/**
 * Runs execution.executeStream (`POST /v1/harnesses/{harness}/execute/stream` with JSON `body`),
 * asserts it answered 200 (the failure message is the body otherwise) and reads the whole stream.
 * @returns every SSE frame, in order, up to the terminal event.
 */
export async function streamExecute(org: TestOrg, harness: string, body: Record<string, unknown>): Promise<SseFrame[]> {
  const res = await org.fetch(`/v1/harnesses/${harness}/execute/stream`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  return readSse(res);
}
