/** Placeholder; the scripted model follows. */
export const SCRIPT_NAMES = ["echo"];
export function hasScript(name: string): boolean {
  return SCRIPT_NAMES.includes(name);
}
