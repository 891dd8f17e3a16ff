/**
 * R2 key layout. Every key starts with `orgs/{orgId}/` so a key can never be read across tenants by
 * construction, and deleting a harness is one prefix.
 *
 *   orgs/{org}/harnesses/{harness}/bundles/{bundleId}.zip            original agent packages
 *   orgs/{org}/harnesses/{harness}/workspace/{path}                  the harness workspace (files.*, runs without a session)
 *   orgs/{org}/harnesses/{harness}/sessions/{sess}/workspace/{path}  one session's workspace (its turns; files.* ?session_id=)
 *   orgs/{org}/harnesses/{harness}/executions/{exec}/artifacts/{art} artifacts of one execution
 *   orgs/{org}/harnesses/{harness}/skills/{skill}/blobs/{sha256}.zip skill version bundles (content-addressed)
 */

/** Prefix of everything a harness owns. */
export function harnessPrefix(orgId: string, harnessId: string): string {
  return `orgs/${orgId}/harnesses/${harnessId}/`;
}

/** Key of an uploaded agent package. */
export function bundleKey(orgId: string, harnessId: string, bundleId: string): string {
  return `${harnessPrefix(orgId, harnessId)}bundles/${bundleId}.zip`;
}

/** Prefix of a harness workspace; workspace paths are appended without a leading slash. */
export function workspacePrefix(orgId: string, harnessId: string): string {
  return `${harnessPrefix(orgId, harnessId)}workspace/`;
}

/** Prefix of one session's workspace (seeded with the starter files when the session is created). */
export function sessionWorkspacePrefix(orgId: string, harnessId: string, sessionId: string): string {
  return `${harnessPrefix(orgId, harnessId)}sessions/${sessionId}/workspace/`;
}

/** Key of one artifact. */
export function artifactKey(orgId: string, harnessId: string, executionId: string, artifactId: string): string {
  return `${harnessPrefix(orgId, harnessId)}executions/${executionId}/artifacts/${artifactId}`;
}

/** Deletes every object under `prefix`, 1000 keys per round (R2 list limit). */
export async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** Prefix of everything one skill owns (its version bundles). */
export function skillPrefix(orgId: string, harnessId: string, skillId: string): string {
  return `${harnessPrefix(orgId, harnessId)}skills/${skillId}/`;
}

/**
 * Key of a skill version's bundle, content-addressed by the SHA-256 (lowercase hex) of its bytes: two
 * versions with the same bytes share one object, and a rollback points at bytes already stored.
 */
export function skillBlobKey(orgId: string, harnessId: string, skillId: string, sha256: string): string {
  return `${skillPrefix(orgId, harnessId, skillId)}blobs/${sha256}.zip`;
}
