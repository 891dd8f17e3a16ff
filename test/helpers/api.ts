import { env, SELF } from "cloudflare:test";
import { createDb } from "../../src/db/index.ts";
import { createOrganization } from "../../src/services/organizations/create.ts";

/** Base URL the tests address (any origin works; the Worker builds absolute URLs from it). */
export const ORIGIN = "https://edgeharness.test";

/** A freshly minted organization with an API key and request helpers bound to it. */
export interface TestOrg {
  orgId: string;
  token: string;
  /** fetch against the Worker with this organization's bearer token. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** JSON request helper: sends `body` as JSON, returns status, headers and the parsed body. */
  json: <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; headers: Headers; body: T }>;
}

/** Raw request to the Worker (no credentials unless given). */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(new Request(`${ORIGIN}${path}`, init));
}

/** Creates a new organization with its own API key. Every test mints its own (storage is per file). */
export async function newOrg(name = "Test Org"): Promise<TestOrg> {
  const created = await createOrganization(createDb(env.DB), name);
  const token = created.apiKey.token;
  const fetchAs = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    return call(path, { ...init, headers });
  };
  return {
    orgId: created.orgId,
    token,
    fetch: fetchAs,
    json: async (method, path, body, headers = {}) => {
      const res = await fetchAs(path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: any = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
  };
}

/** Registers a native harness with sensible defaults; returns its Open Harness view. */
export async function newHarness(org: TestOrg, overrides: Record<string, unknown> = {}): Promise<any> {
  const id = (overrides.id as string) ?? `h-${crypto.randomUUID().slice(0, 8)}`;
  const res = await org.json("POST", "/v1/harnesses", {
    id,
    name: "Test Harness",
    vendor: "EdgeHarness",
    description: "A native harness for tests",
    execution_type: "hosted",
    config: {},
    default_model_id: "scripted/echo",
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`harness register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.harness;
}

/** Asserts the RFC 9457 problem shape and returns the body. */
export async function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  const { expect } = await import("vitest");
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({
    status,
    code,
    title: expect.any(String),
    detail: expect.any(String),
    request_id: expect.stringMatching(/^req_/),
  });
  expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
  expect(Array.isArray(res.body.allowed_actions)).toBe(true);
  return res.body;
}
