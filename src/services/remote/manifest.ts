/**
 * Reading a remote harness's capability manifest from its server (`GET …/harnesses/{id}/capabilities`,
 * spec §8.4) and keeping the last one read on the harness row, so lists and the 501 gate do not call
 * the remote on every request.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { harnesses, type RemoteManifestJson } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import type { ServiceContext } from "../context.ts";
import { forgetHarnesses, type HarnessRow } from "../harnesses/find.ts";
import { remoteFetch, remoteUrl } from "./connection.ts";

/** Longest wait for a remote server's answer to a manifest or key check, in milliseconds. */
export const REMOTE_PROBE_TIMEOUT_MS = 10_000;

/**
 * One domain of a remote's manifest as we keep it: what a server omits or sends malformed reads as
 * "not served" (`supported: false`, no operations) rather than failing every later read of the harness.
 */
const remoteDomain = z
  .object({
    supported: z.boolean().catch(false),
    operations: z.array(z.string().max(100)).max(200).catch([]),
    limitations: z.array(z.string().max(1000)).max(50).optional().catch(undefined),
  })
  .transform(({ limitations, ...rest }) => ({ ...rest, ...(limitations ? { limitations } : {}) }));

/** A remote's `capabilities` object: domains it declares, each normalised; anything that is not an object is left out. */
const remoteCapabilities = z.record(z.string().max(100), z.unknown()).transform((domains) => {
  const kept: RemoteManifestJson["capabilities"] = {};
  for (const [name, value] of Object.entries(domains)) {
    const parsed = remoteDomain.safeParse(value);
    if (parsed.success && typeof value === "object" && value !== null) kept[name] = parsed.data;
  }
  return kept;
});

/** What reading the remote manifest came to: the manifest, or why not (the key was refused, the server is down). */
export type RemoteManifestRead = { ok: true; manifest: RemoteManifestJson } | { ok: false; status: number | null; error: string };

/**
 * Reads the remote's manifest with `token`. Never throws for the remote's answers.
 * @throws ApiError `network_blocked` when the URL is refused before any request.
 */
export async function readRemoteManifest(
  ctx: Pick<ServiceContext, "config" | "db" | "env" | "origin">,
  harness: HarnessRow,
  token: string,
): Promise<RemoteManifestRead> {
  const url = await remoteUrl(ctx, harness, "/capabilities");
  let response: Response;
  try {
    response = await remoteFetch(ctx, url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(REMOTE_PROBE_TIMEOUT_MS),
    });
  } catch (error) {
    return {
      ok: false,
      status: null,
      error: `the remote server could not be reached (${error instanceof Error ? error.name : "network error"})`,
    };
  }
  const body = (await response.json().catch(() => undefined)) as { capabilities?: unknown } | undefined;
  if (response.status === 401 || response.status === 403)
    return { ok: false, status: response.status, error: `the remote server refused the key (HTTP ${response.status})` };
  const capabilities = remoteCapabilities.safeParse(body?.capabilities);
  if (!response.ok || !capabilities.success) {
    return {
      ok: false,
      status: response.status,
      error: `the remote server answered HTTP ${response.status} without a capability manifest`,
    };
  }
  return { ok: true, manifest: { capabilities: capabilities.data, read_at: nowIso() } };
}

/** Stores `manifest` as the harness's last-read remote manifest. */
export async function saveRemoteManifest(
  ctx: Pick<ServiceContext, "db" | "memo">,
  harness: HarnessRow,
  manifest: RemoteManifestJson,
): Promise<HarnessRow> {
  forgetHarnesses(ctx);
  await ctx.db.update(harnesses).set({ remoteManifest: manifest }).where(eq(harnesses.id, harness.id));
  return { ...harness, remoteManifest: manifest };
}

/**
 * The remote's manifest read now and stored, for `harnesses.capabilities` of a remote harness.
 * @throws ApiError `upstream_unavailable` (503) when the remote cannot answer; `remote_not_connected`.
 */
export async function refreshRemoteManifest(ctx: ServiceContext, harness: HarnessRow, token: string): Promise<HarnessRow> {
  const read = await readRemoteManifest(ctx, harness, token);
  if (!read.ok) {
    throw new ApiError(
      "upstream_unavailable",
      `The capability manifest of remote harness ${harness.slug} could not be read: ${read.error}.`,
      {
        retryAfterSeconds: 5,
        actions: [{ rel: "retry-later", hint: "Retry; if the key was refused, store a new one with harnesses.validateCredentials." }],
      },
    );
  }
  return saveRemoteManifest(ctx, harness, read.manifest);
}
