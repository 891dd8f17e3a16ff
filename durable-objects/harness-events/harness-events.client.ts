import type { HarnessEventsApi } from "./harness-events.protocol.ts";

/** The `HarnessEvents` object of `harnessId` (the typed `harness_…` id: one object per harness). */
export function harnessEventsStub(env: Env, harnessId: string): HarnessEventsApi {
  const ns = env.HARNESS_EVENTS as unknown as DurableObjectNamespace;
  return ns.get(ns.idFromName(harnessId)) as unknown as HarnessEventsApi;
}
