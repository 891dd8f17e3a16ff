import { DurableObject } from "cloudflare:workers";

/** Placeholder; the full ExecutionRun follows. */
export class ExecutionRun extends DurableObject<Env> {}
