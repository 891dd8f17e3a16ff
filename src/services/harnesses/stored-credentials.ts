/** Keys stored per harness (`harness_credentials`): model-provider keys and remote harnesses' server keys. */

/** AES-GCM associated data binding a stored key to its harness and provider (a key cannot be moved to another row). */
export function credentialAad(harnessId: string, provider: string): string {
  return `${harnessId}:${provider}`;
}
