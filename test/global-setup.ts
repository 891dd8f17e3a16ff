import type { TestProject } from "vitest/node";
import { startProviderSimulator } from "./helpers/provider-sim.ts";
import { startWebhookReceiver } from "./helpers/receiver.ts";
import { startMcpServers, startOAuthMcpServer } from "./helpers/mcp-servers.ts";
import { startPageServer } from "./helpers/page-server.ts";

/** Starts the real local servers the Worker talks to during tests and hands their ports over. */
export default async function setup(project: TestProject) {
  const sim = await startProviderSimulator();
  const receiver = await startWebhookReceiver();
  project.provide("providerSimPort", sim.port);
  project.provide("receiverPort", receiver.port);
  const mcp = await startMcpServers();
  const oauthMcp = await startOAuthMcpServer();
  const pages = await startPageServer();
  project.provide("mcpPort", mcp.port);
  project.provide("oauthMcpPort", oauthMcp.port);
  project.provide("pagePort", pages.port);
  return async () => {
    await sim.close();
    await receiver.close();
    await mcp.close();
    await oauthMcp.close();
    await pages.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    providerSimPort: number;
    receiverPort: number;
    mcpPort: number;
    oauthMcpPort: number;
    pagePort: number;
  }
}
