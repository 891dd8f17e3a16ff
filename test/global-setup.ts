import type { TestProject } from "vitest/node";
import { startProviderSimulator } from "./helpers/provider-sim.ts";

/** Starts the real local servers the Worker talks to during tests and hands their ports over. */
export default async function setup(project: TestProject) {
  const sim = await startProviderSimulator();
  project.provide("providerSimPort", sim.port);
  return async () => {
    await sim.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    providerSimPort: number;
  }
}
