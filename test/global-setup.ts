import type { TestProject } from "vitest/node";
import { startProviderSimulator } from "./helpers/provider-sim.ts";
import { startWebhookReceiver } from "./helpers/receiver.ts";

/** Starts the real local servers the Worker talks to during tests and hands their ports over. */
export default async function setup(project: TestProject) {
  const sim = await startProviderSimulator();
  const receiver = await startWebhookReceiver();
  project.provide("providerSimPort", sim.port);
  project.provide("receiverPort", receiver.port);
  return async () => {
    await sim.close();
    await receiver.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    providerSimPort: number;
    receiverPort: number;
  }
}
