/**
 * Writing to a harness's log (diagnostics.logs / streamLogs) the lines that are not harness events —
 * tool calls and webhook delivery attempts. Events log themselves when they are published
 * (`durable-objects/harness-events/log-lines.ts`). Writing is a notification: it never throws.
 */
import { harnessEventsStub } from "../../../durable-objects/harness-events/harness-events.client.ts";
import type { LogInput } from "../../../durable-objects/harness-events/harness-events.protocol.ts";
import type { Logger } from "../../lib/log.ts";

/** Whose log a line goes to. */
export interface HarnessLogTarget {
  orgId: string;
  harnessId: string;
}

/** Appends `entries` (at most 100) to the harness's log; a failure is reported to `log` and swallowed. */
export async function writeHarnessLog(env: Env, target: HarnessLogTarget, entries: LogInput[], log?: Logger): Promise<void> {
  if (entries.length === 0) return;
  try {
    await harnessEventsStub(env, target.harnessId).appendLogs({ orgId: target.orgId, harnessId: target.harnessId, entries });
  } catch (error) {
    log?.warn("writing to the harness log failed", { harness_id: target.harnessId, error });
  }
}
