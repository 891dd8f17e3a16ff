/// <reference types="vite/client" />
/**
 * The shared binary fixtures (`../shared/fixtures/**\/*.zip` beside the repository, as in CI) as bytes.
 *
 * Why this way: tests run inside workerd, which cannot read the host filesystem, so the files must reach
 * the test through Vite's module graph. `?raw` decodes as UTF-8 (corrupting binaries) and `?inline` alone
 * fails import analysis for a `.zip` (not a known asset type, and `vitest.config.ts` has no
 * `assetsInclude`). `?url&inline` forces asset handling and inlining, so each file arrives as a
 * `data:application/zip;base64,…` string, decoded here. The glob is resolved at transform time, so the
 * files are read once per test file, with no globalSetup or config change.
 */
const dataUrls = import.meta.glob<string>("../../../shared/fixtures/**/*.zip", {
  query: "?url&inline",
  import: "default",
  eager: true,
});

const PREFIX = "../../../shared/fixtures/";

function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(",");
  if (!url.startsWith("data:") || !url.slice(0, comma).endsWith(";base64")) {
    throw new Error(`fixture was not inlined as a base64 data URL: ${url.slice(0, 60)}`);
  }
  const binary = atob(url.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Names of the available fixtures relative to `shared/fixtures/`, e.g. `oaf-samples/recipe-finder-0.1.0.zip`. */
export function fixtureNames(): string[] {
  return Object.keys(dataUrls)
    .map((key) => key.slice(PREFIX.length))
    .sort();
}

/**
 * The bytes of `shared/fixtures/<name>` (e.g. `oaf-samples/daily-affirmation-0.1.0.zip`). Throws when
 * the fixture is missing — a missing `../shared` checkout must fail tests, not skip them.
 */
export function fixtureBytes(name: string): Uint8Array {
  const url = dataUrls[PREFIX + name];
  if (url === undefined) throw new Error(`fixture shared/fixtures/${name} not found (is ../shared checked out beside the repo?)`);
  return decodeDataUrl(url);
}
