import { and, eq, ne, sql } from "drizzle-orm";
import type { Principal } from "../../auth/principal.ts";
import { harnesses } from "../../db/schema.ts";
import { isId } from "../../lib/ids.ts";
import { resolveModelChain } from "../models/resolve.ts";
import { remoteFetch, remoteTarget, remoteUrl } from "../remote/connection.ts";
import { REMOTE_PROBE_TIMEOUT_MS } from "../remote/manifest.ts";
import type { ServiceContext, VerbArgs } from "../context.ts";
import { harnessNotFound, type HarnessRow } from "./find.ts";

/** Open Harness health object (spec §3 harnesses.health) plus the reference client's `healthy`. */
export interface HarnessHealth {
  status: "healthy" | "degraded" | "unhealthy";
  healthy: boolean;
  latency_ms: number;
  version: string;
  checks: { name: string; status: "pass" | "fail"; message?: string }[];
}

/** Server version reported by health and capabilities. */
export const SERVER_VERSION = "0.1.0";

/**
 * What any caller may know without credentials: the deployment answers. The same body for every
 * `{harnessId}`, existing or not, in any organization — nothing is looked up, so neither the answer
 * nor its timing tells whether a harness exists.
 */
export function deploymentHealth(started: number = Date.now()): HarnessHealth {
  return {
    status: "healthy",
    healthy: true,
    latency_ms: Date.now() - started,
    version: SERVER_VERSION,
    checks: [{ name: "deployment", status: "pass" }],
  };
}

/**
 * harnesses.health — `GET /v1/harnesses/{harnessId}/health`, the one auth-optional operation.
 * Without a principal: {@link deploymentHealth} only, whatever the id. With one: the harness resolves
 * by slug or typed id in the caller's organization (another organization's harness is 404) and its
 * own checks are reported — the registry row, D1, R2 and, for native harnesses, whether its default
 * model is usable.
 * @throws ApiError `harness_not_found` (with a principal only).
 */
export async function harnessHealth({
  ctx,
  input,
}: VerbArgs<ServiceContext, { ref: string; principal: Principal | undefined }>): Promise<HarnessHealth> {
  const started = Date.now();
  const { ref, principal } = input;
  if (!principal) return deploymentHealth(started);
  const row: HarnessRow | undefined = await ctx.db
    .select()
    .from(harnesses)
    .where(
      and(
        eq(harnesses.orgId, principal.orgId),
        ne(harnesses.lifecycle, "deleted"),
        isId("harness", ref) ? eq(harnesses.id, ref) : eq(harnesses.slug, ref),
      ),
    )
    .get();
  if (!row || row.lifecycle === "deleted") throw harnessNotFound(ref);

  const checks: HarnessHealth["checks"] = [{ name: "registry", status: "pass" }];
  try {
    await ctx.db.run(sql`select 1`);
    checks.push({ name: "database", status: "pass" });
  } catch (error) {
    checks.push({ name: "database", status: "fail", message: String(error) });
  }
  try {
    await ctx.env.BUCKET.head("health-probe");
    checks.push({ name: "object_storage", status: "pass" });
  } catch (error) {
    checks.push({ name: "object_storage", status: "fail", message: String(error) });
  }
  if (row.kind === "native") {
    const model = await resolveModelChain(ctx, { orgId: row.orgId, harness: row });
    checks.push(
      model.ok
        ? { name: "model", status: "pass", message: `default model ${model.modelId}` }
        : { name: "model", status: "fail", message: model.detail },
    );
  } else if (row.kind === "remote") {
    checks.push(await remoteCheck(ctx, row));
  } else {
    checks.push({ name: "execution", status: "fail", message: "registry-only harness: executes nothing here" });
  }
  const failed = checks.filter((c) => c.status === "fail").map((c) => c.name);
  const status = failed.includes("database") ? "unhealthy" : failed.length > 0 && row.kind !== "registry" ? "degraded" : "healthy";
  return {
    status,
    healthy: status !== "unhealthy",
    latency_ms: Date.now() - started,
    version: SERVER_VERSION,
    checks,
  };
}

/** A remote harness's server answers its health operation with its stored key (bounded wait). */
async function remoteCheck(ctx: ServiceContext, row: HarnessRow): Promise<HarnessHealth["checks"][number]> {
  try {
    const target = await remoteTarget(ctx, row);
    const response = await remoteFetch(ctx, await remoteUrl(ctx, row, "/health"), {
      headers: { authorization: `Bearer ${target.token}` },
      redirect: "manual",
      signal: AbortSignal.timeout(REMOTE_PROBE_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok
      ? { name: "remote", status: "pass", message: `${target.baseUrl} answered HTTP ${response.status}` }
      : { name: "remote", status: "fail", message: `${target.baseUrl} answered HTTP ${response.status}` };
  } catch (error) {
    return { name: "remote", status: "fail", message: error instanceof Error ? error.message : String(error) };
  }
}
