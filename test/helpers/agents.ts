import { zipFiles } from "../../src/lib/zip.ts";
import type { TestOrg } from "./api.ts";

/** An agent as agents.import returns it (the fields the tests read). */
export interface TestAgent {
  id: string;
  slug: string;
  agentKey: string;
  name: string;
}

/**
 * Imports a minimal Open Agent Format package (root AGENTS.md) into `harness` and returns the agent —
 * the real agents.import path, as a client would create an agent.
 */
export async function newAgent(
  org: TestOrg,
  harness: string,
  options: { key?: string; instructions?: string; model?: string } = {},
): Promise<TestAgent> {
  const key = options.key ?? `agent-${crypto.randomUUID().slice(0, 8)}`;
  const frontmatter = {
    name: `Agent ${key}`,
    vendorKey: "acme",
    agentKey: key,
    version: "1.0.0",
    slug: key,
    description: "An agent made by the tests to exercise memory, subagents and plans.",
    author: "Acme",
    license: "MIT",
    tags: "[test]",
    ...(options.model ? { model: options.model } : {}),
  };
  const md = `---\n${Object.entries(frontmatter)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n---\n${options.instructions ?? `# ${key}\n\nYou help with tests.`}\n`;
  const form = new FormData();
  form.append("bundle", new File([zipFiles({ "AGENTS.md": md })], `${key}.zip`, { type: "application/zip" }));
  const res = await org.fetch(`/v1/harnesses/${harness}/agents/import`, { method: "POST", body: form });
  const body = (await res.json()) as { agent: TestAgent };
  if (res.status !== 201) throw new Error(`agent import failed: ${res.status} ${JSON.stringify(body)}`);
  return body.agent;
}
