import type { ExecutionRunApi } from "./execution-run.protocol.ts";

/** The `ExecutionRun` owning `executionId` (one object per execution, named by its id). */
export function executionRunStub(env: Env, executionId: string): ExecutionRunApi {
  const ns = env.EXECUTION_RUN as unknown as DurableObjectNamespace;
  return ns.get(ns.idFromName(executionId)) as unknown as ExecutionRunApi;
}
