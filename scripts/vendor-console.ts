/**
 * Copies the two small libraries the web console is written with — Preact (with its hooks) and htm
 * (tagged-template JSX, no build step) — from `node_modules/` into `public/assets/console/vendor/`, served
 * by the Worker's static assets (no CDN). The copies are committed, so a fresh clone serves the console
 * without running anything; run `npm run console:vendor` after upgrading either package. `--check`
 * verifies the committed copies match the installed packages (exit 1 when they do not), writing nothing.
 *
 * Changes made while copying: the hooks module's bare `preact` import becomes `./preact.js` (a browser
 * resolves no bare specifiers without an import map, and an inline import map would need an inline
 * script, which the console's CSP forbids), and `sourceMappingURL` comments are removed (the maps are
 * not shipped; browsers would request them).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "public", "assets", "console", "vendor");

/** Source (in node_modules) → file name in the vendor directory. */
const FILES: Record<string, string> = {
  "preact/dist/preact.mjs": "preact.js",
  "preact/hooks/dist/hooks.mjs": "preact-hooks.js",
  "htm/dist/htm.mjs": "htm.js",
  "preact/LICENSE": "preact.LICENSE.txt",
  "htm/LICENSE": "htm.LICENSE.txt",
};

function transform(content: string): string {
  return content.replace(/from\s*"preact"/g, 'from"./preact.js"').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

const check = process.argv.includes("--check");
const versions = await Promise.all(
  ["preact", "htm"].map(async (name) => {
    const { version } = JSON.parse(await readFile(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string };
    return `${name} ${version}`;
  }),
);
let stale = 0;
await mkdir(target, { recursive: true });
for (const [from, to] of Object.entries(FILES)) {
  const wanted = transform(await readFile(join(root, "node_modules", from), "utf8"));
  const destination = join(target, to);
  if (check) {
    if ((await readFile(destination, "utf8").catch(() => undefined)) !== wanted) {
      stale++;
      console.error(`stale: public/assets/console/vendor/${to} differs from node_modules/${from}`);
    }
  } else {
    await writeFile(destination, wanted);
    console.log(`public/assets/console/vendor/${to}  ${(Buffer.byteLength(wanted) / 1024).toFixed(1)} KiB`);
  }
}
if (check) {
  if (stale > 0) {
    console.error(`${stale} file(s) stale: run npm run console:vendor`);
    process.exit(1);
  }
  console.log(`public/assets/console/vendor matches ${versions.join(", ")}`);
} else {
  console.log(`Copied ${versions.join(", ")} into public/assets/console/vendor/.`);
}
