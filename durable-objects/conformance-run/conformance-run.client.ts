import type { ConformanceRunApi } from "./conformance-run.protocol.ts";

/** The `ConformanceRun` owning `runId` (one object per run, named by its id). */
export function conformanceRunStub(env: Env, runId: string): ConformanceRunApi {
  const ns = env.CONFORMANCE_RUN as unknown as DurableObjectNamespace;
  return ns.get(ns.idFromName(runId)) as unknown as ConformanceRunApi;
}
