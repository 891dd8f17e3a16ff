import type { ExecutionRun } from "./execution-run.do.ts";

/** The typed stub of the `ExecutionRun` owning `executionId` (one object per execution, named by its id). */
export function executionRunStub(env: Env, executionId: string): DurableObjectStub<ExecutionRun> {
  const ns = env.EXECUTION_RUN as unknown as DurableObjectNamespace<ExecutionRun>;
  return ns.get(ns.idFromName(executionId));
}
