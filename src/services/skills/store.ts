/**
 * Writing skill versions: the bundle goes to R2 under its content hash (written once, whatever the
 * number of versions that share it), the version row to D1. Shared by skills.register, skills.upgrade,
 * the agent-package importer and agents.clone.
 */
import semver from "semver";
import type { SkillFileJson, SkillIssueJson, SkillSourceJson } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext } from "../context.ts";
import { skillBlobKey } from "../storage/keys.ts";
import type { SkillRow, SkillVersionRow } from "./find.ts";
import { canonicalSkillZip, type ReadUpload } from "./upload.ts";
import type { SkillBundle } from "./skill-bundle.ts";

/** Most versions one skill keeps (skills.upgrade refuses more; uninstall and re-register to start over). */
export const MAX_SKILL_VERSIONS = 100;
/** The version of a first upload whose SKILL.md states none (open-agent-format.md §4.3). */
export const DEFAULT_SKILL_VERSION = "0.1.0";

/** Lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A blob written (or found already written) for a version. */
export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
  blobKey: string;
  /** True when this call wrote the object (undo it if the D1 write then fails). */
  created: boolean;
}

/** Writes `bytes` under their content hash unless an object is already there. */
export async function putSkillBlob(ctx: AuthedContext, harnessId: string, skillId: string, bytes: Uint8Array): Promise<StoredBlob> {
  const sha256 = await sha256Hex(bytes);
  const blobKey = skillBlobKey(ctx.principal.orgId, harnessId, skillId, sha256);
  const existing = await ctx.env.BUCKET.head(blobKey);
  if (!existing) {
    await ctx.env.BUCKET.put(blobKey, bytes, {
      httpMetadata: { contentType: "application/zip" },
      sha256,
    });
  }
  return { sha256, sizeBytes: bytes.byteLength, blobKey, created: !existing };
}

/** Deletes blobs a failed write created. */
export async function undoBlobs(ctx: AuthedContext, blobs: StoredBlob[]): Promise<void> {
  const created = blobs.filter((b) => b.created).map((b) => b.blobKey);
  if (created.length > 0) await ctx.env.BUCKET.delete(created);
}

/** The bytes a version stores: the zip as uploaded, else the canonical zip of the skill folder. */
export function bundleBytes(upload: Pick<ReadUpload, "stored">, bundle: SkillBundle): Uint8Array {
  return upload.stored ?? canonicalSkillZip(bundle.name, bundle.files);
}

/** The root recorded for a version: the folder inside the stored bytes that holds SKILL.md. */
export function storedRoot(upload: Pick<ReadUpload, "stored">, bundle: SkillBundle): string {
  return upload.stored ? bundle.root : bundle.name;
}

/** The file list of a bundle, for version rows. */
export function fileList(bundle: SkillBundle): SkillFileJson[] {
  return [...bundle.files.entries()].map(([path, bytes]) => ({ path, size_bytes: bytes.byteLength }));
}

/** A version row ready to insert. */
export function versionValues(
  ctx: AuthedContext,
  input: {
    skillId: string;
    version: string;
    blob: StoredBlob;
    root: string;
    bundle: SkillBundle;
    changelog?: string | null;
    warnings?: SkillIssueJson[];
  },
): SkillVersionRow {
  return {
    id: newId("skillVersion"),
    orgId: ctx.principal.orgId,
    skillId: input.skillId,
    version: input.version,
    sha256: input.blob.sha256,
    sizeBytes: input.blob.sizeBytes,
    blobKey: input.blob.blobKey,
    root: input.root,
    description: input.bundle.description,
    files: fileList(input.bundle),
    warnings: input.warnings ?? input.bundle.warnings,
    changelog: input.changelog ?? null,
    uploadedBy: ctx.principal.subject,
    createdAt: nowIso(),
  };
}

/** A new skill row (its first version's id in `currentVersionId`). */
export function skillValues(
  ctx: AuthedContext,
  input: {
    id: string;
    harnessId: string;
    agentId: string | null;
    bundle: SkillBundle;
    displayTitle?: string;
    category: string;
    source: SkillSourceJson;
    config?: Record<string, unknown> | null;
    currentVersionId: string;
  },
): SkillRow {
  const now = nowIso();
  return {
    id: input.id,
    orgId: ctx.principal.orgId,
    harnessId: input.harnessId,
    agentId: input.agentId,
    name: input.bundle.name,
    displayTitle: input.displayTitle ?? input.bundle.name,
    description: input.bundle.description,
    category: input.category,
    vendor: input.bundle.author ?? "",
    currentVersionId: input.currentVersionId,
    source: input.source,
    config: input.config ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The highest of `labels` by semantic-version precedence (non-semver labels ignored). */
export function highestVersion(labels: string[]): string | undefined {
  const valid = labels.filter((l) => semver.valid(l) !== null);
  return valid.length === 0 ? undefined : valid.sort(semver.rcompare)[0];
}

/** The next patch version above every label in `labels` (e.g. 1.2.3 → 1.2.4; none → the default). */
export function nextPatch(labels: string[]): string {
  const top = highestVersion(labels);
  return top === undefined ? DEFAULT_SKILL_VERSION : (semver.inc(top, "patch") ?? DEFAULT_SKILL_VERSION);
}
