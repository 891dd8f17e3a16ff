import type { SessionApi } from "./session.protocol.ts";

/** The `Session` owning `sessionId` (one object per session, named by its id). */
export function sessionStub(env: Env, sessionId: string): SessionApi {
  const ns = env.SESSION as unknown as DurableObjectNamespace;
  return ns.get(ns.idFromName(sessionId)) as unknown as SessionApi;
}
