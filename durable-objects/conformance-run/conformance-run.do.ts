/**
 * `ConformanceRun` — one Durable Object per conformance run (named by the run id): it runs the checklist
 * against a harness with the conformance runner (`src/conformance/`), so the run outlives the request
 * that started it, and streams its events resumably.
 *
 * Storage layout (SQLite, see `conformance-run.sql.ts`): `run` (spec, status, the minted key's id),
 * `events` (the shared event log), `schedules` (timers).
 * Instance fields: none but the event log's live subscribers.
 *
 * Lifecycle (timers: `run` start, `lease` watchdog, `purge` retention):
 *   start   stores the spec and sets `run` for now.
 *   run     the alarm mints a short-lived API key of the organization (self runs: the runner calls this
 *           deployment's API through the Worker's `SELF_API` service binding, as any client would), runs
 *           every applicable check, appending each event, writes the report to the D1 `conformance_runs`
 *           row, and revokes the key. `lease` (set before the run) marks a run cut short by an eviction
 *           as failed and revokes its key.
 *   purge   `CONFORMANCE_STREAM_RETENTION_MS` after the end the event log is deleted; the D1 row stays.
 */
import { DurableObject } from "cloudflare:workers";
import { and, eq, isNull } from "drizzle-orm";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { forgetLiveCredentials } from "../../src/auth/revocation.ts";
import { getConfig } from "../../src/config.ts";
import { ConformanceClient } from "../../src/conformance/client.ts";
import { runConformance, type RunReport } from "../../src/conformance/runner.ts";
import { createDb } from "../../src/db/index.ts";
import { apiKeys, conformanceRuns } from "../../src/db/schema.ts";
import { importAesKey, openString } from "../../src/lib/crypto.ts";
import { createLogger } from "../../src/lib/log.ts";
import { parseLastEventId } from "../../src/lib/sse.ts";
import { nowIso } from "../../src/lib/time.ts";
import { EventLog } from "../lib/event-log.ts";
import { Schedules } from "../lib/schedules.ts";
import type { ConformanceRunApi, ConformanceRunSpec, ConformanceStreamEvent } from "./conformance-run.protocol.ts";
import { CONFORMANCE_RUN_SCHEMA } from "./conformance-run.sql.ts";

/** How long a finished run's event stream stays replayable, in milliseconds. */
export const CONFORMANCE_STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Longest a run may take before the watchdog calls it interrupted, in milliseconds (an alarm runs ≤ 15 min). */
export const CONFORMANCE_RUN_LEASE_MS = 16 * 60 * 1000;
/** Host the self client addresses (any host reaches the Worker through its service binding). */
const SELF_BASE_URL = "https://self.internal/v1";

type Timer = "run" | "lease" | "purge";

interface RunRow {
  spec: string;
  status: "pending" | "running" | "finished";
  minted_key_id: string | null;
}

const isTerminal = (e: ConformanceStreamEvent) => e.type === "done" || e.type === "error";

export class ConformanceRun extends DurableObject<Env> implements ConformanceRunApi {
  private readonly sql: SqlStorage;
  private readonly log: EventLog<ConformanceStreamEvent>;
  private readonly schedules: Schedules<Timer>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(CONFORMANCE_RUN_SCHEMA);
    this.log = new EventLog<ConformanceStreamEvent>(this.sql, "events");
    this.schedules = new Schedules<Timer>(ctx.storage);
  }

  /** Starts the run described by `spec`. Idempotent. */
  async start(spec: ConformanceRunSpec): Promise<void> {
    if (this.row()) return;
    this.sql.exec("INSERT INTO run (id, spec, status) VALUES (1, ?, 'pending')", JSON.stringify(spec));
    await this.schedules.set("run", Date.now());
  }

  /** `GET /stream`: the run's events strictly after `Last-Event-ID` (or `?after=`), then live until `done`. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/stream" || !this.row()) return new Response("not found", { status: 404 });
    const after = parseLastEventId(request.headers.get("last-event-id") ?? url.searchParams.get("after"));
    if (this.row()!.status === "finished" && this.log.lastSeq() === 0) return new Response("stream expired", { status: 410 });
    return this.log.openSse(after, request.signal, { isTerminal, finished: () => this.row()?.status === "finished" });
  }

  override async alarm(): Promise<void> {
    const due = await this.schedules.takeDue();
    const row = this.row();
    if (!row) return;
    if (due.includes("purge")) this.log.purge();
    if (due.includes("lease") && row.status === "running") await this.interrupted(row);
    if (due.includes("run") && row.status === "pending") await this.execute(JSON.parse(row.spec) as ConformanceRunSpec);
  }

  private async execute(spec: ConformanceRunSpec): Promise<void> {
    this.sql.exec("UPDATE run SET status = 'running' WHERE id = 1");
    await this.schedules.set("lease", Date.now() + CONFORMANCE_RUN_LEASE_MS);
    try {
      const client = await this.client(spec);
      const report = await runConformance(client, spec.harnessRef, spec.options, (event) => void this.log.append(event));
      await this.record(spec, report);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      createLogger({ run_id: spec.runId }).warn("conformance run could not run", { error });
      this.log.append({ type: "error", code: "conformance_run_failed", message });
      await this.recordFailure(spec, message);
    } finally {
      await this.finish();
    }
  }

  /** The runner's client for the run's target. Self runs mint an API key of the organization, revoked at the end. */
  private async client(spec: ConformanceRunSpec): Promise<ConformanceClient> {
    if (spec.target.kind === "self") {
      const minted = await mintApiKey(createDb(this.env.DB), spec.orgId, `conformance run ${spec.runId}`, ["*"]);
      this.sql.exec("UPDATE run SET minted_key_id = ? WHERE id = 1", minted.id);
      const self = (this.env as unknown as { SELF_API: Fetcher }).SELF_API;
      return new ConformanceClient({ baseUrl: SELF_BASE_URL, token: minted.token, fetch: (request) => self.fetch(request) });
    }
    const key = getConfig(this.env).credentialsEncryptionKey;
    if (!key) throw new Error("the deployment has no CREDENTIALS_ENCRYPTION_KEY to open the remote harness's key");
    const token = await openString(await importAesKey(key), spec.target.sealedToken, spec.target.tokenAad);
    return new ConformanceClient({ baseUrl: spec.target.baseUrl, token });
  }

  private async record(spec: ConformanceRunSpec, report: RunReport): Promise<void> {
    await createDb(this.env.DB)
      .update(conformanceRuns)
      .set({
        status: "completed",
        result: report.result,
        passed: report.passed,
        failed: report.failed,
        softFailed: report.soft_failed,
        skipped: report.skipped,
        applicable: report.applicable,
        total: report.total,
        passRate: report.pass_rate,
        goldenRuleViolations: report.golden_rule_violations,
        tests: report.tests,
        completedAt: nowIso(),
      })
      .where(eq(conformanceRuns.id, spec.runId));
  }

  private async recordFailure(spec: ConformanceRunSpec, message: string): Promise<void> {
    await createDb(this.env.DB)
      .update(conformanceRuns)
      .set({ status: "failed", error: message, completedAt: nowIso() })
      .where(eq(conformanceRuns.id, spec.runId));
  }

  /** The watchdog: a run still `running` at its lease was cut short (the object went away mid-run). */
  private async interrupted(row: RunRow): Promise<void> {
    const spec = JSON.parse(row.spec) as ConformanceRunSpec;
    this.log.append({ type: "error", code: "conformance_run_interrupted", message: "The run was interrupted; start a new one." });
    await this.recordFailure(spec, "The run was interrupted before it finished.");
    await this.finish();
  }

  /** Marks the run finished, revokes its minted key and arms the retention purge. */
  private async finish(): Promise<void> {
    const keyId = this.row()?.minted_key_id;
    if (keyId) {
      await createDb(this.env.DB)
        .update(apiKeys)
        .set({ revokedAt: nowIso() })
        .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
      forgetLiveCredentials();
    }
    this.sql.exec("UPDATE run SET status = 'finished', minted_key_id = NULL WHERE id = 1");
    await this.schedules.clear("lease");
    await this.schedules.set("purge", Date.now() + CONFORMANCE_STREAM_RETENTION_MS);
  }

  private row(): RunRow | undefined {
    return this.sql.exec<Record<string, SqlStorageValue>>("SELECT spec, status, minted_key_id FROM run WHERE id = 1").toArray()[0] as
      RunRow | undefined;
  }
}
