/**
 * The contract between the Worker and a `ConformanceRun` Durable Object: what a run starts with and
 * the events it streams (spec §6.5 `ConformanceEvent`, plus a terminal `error` when the runner could
 * not run — §6.1 lets a conformance stream end on one).
 */
import type { ConformanceEvent, RunOptions } from "../../src/conformance/runner.ts";

/** Where the runner sends its requests. */
export type ConformanceTarget =
  /** This deployment's own API, through the Worker's self service binding, with a key minted for the run. */
  | { kind: "self" }
  /** Another Open Harness server (a remote harness): its API base and the harness id there; the key travels sealed. */
  | { kind: "remote"; baseUrl: string; remoteHarnessId: string; sealedToken: string; tokenAad: string };

/** Everything a run needs, fixed when it starts. */
export interface ConformanceRunSpec {
  runId: string;
  orgId: string;
  harnessId: string;
  /** The harness id the runner addresses on the target (the slug, or the remote's id). */
  harnessRef: string;
  target: ConformanceTarget;
  options: RunOptions;
  startedAt: string;
}

/** What the stream carries. */
export type ConformanceStreamEvent = ConformanceEvent | { type: "error"; code: string; message: string };

/** The RPC surface of a `ConformanceRun`. */
export interface ConformanceRunApi {
  /** Starts the run; idempotent. */
  start(spec: ConformanceRunSpec): Promise<void>;
  /** `GET /stream` (SSE) with `Last-Event-ID` or `?after=`. */
  fetch(request: Request): Promise<Response>;
}
