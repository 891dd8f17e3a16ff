/**
 * Copies the Swagger UI files the `/docs` page needs from `node_modules/swagger-ui-dist/` into
 * `public/docs/` (served by the static-assets binding; no CDN). The copies are committed, so this runs
 * only when `swagger-ui-dist` is upgraded: `npm run docs:vendor`. `--check` verifies the committed
 * copies still match the installed package (exit 1 when they do not) without writing anything.
 *
 * The only change made while copying: the CSS's `sourceMappingURL` comment is removed, because the
 * `.map` file is not shipped and browsers would otherwise request it (a 404 in the dev tools).
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "swagger-ui-dist");
const target = join(root, "public", "docs");

/** File in swagger-ui-dist → file name in public/docs. */
const FILES: Record<string, string> = {
  "swagger-ui.css": "swagger-ui.css",
  "swagger-ui-bundle.js": "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js": "swagger-ui-standalone-preset.js",
  "swagger-ui-bundle.js.LICENSE.txt": "swagger-ui-bundle.js.LICENSE.txt",
  "swagger-ui-standalone-preset.js.LICENSE.txt": "swagger-ui-standalone-preset.js.LICENSE.txt",
  LICENSE: "LICENSE",
  NOTICE: "NOTICE",
};

/** The bytes to ship for `name`: the package file, with a CSS source-map comment removed. */
function transform(name: string, content: Buffer): Buffer {
  if (!name.endsWith(".css")) return content;
  return Buffer.from(content.toString("utf8").replace(/\n*\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "\n"), "utf8");
}

const check = process.argv.includes("--check");
const { version } = JSON.parse(await readFile(join(source, "package.json"), "utf8")) as { version: string };
let stale = 0;
await mkdir(target, { recursive: true });
for (const [from, to] of Object.entries(FILES)) {
  const wanted = transform(from, await readFile(join(source, from)));
  const destination = join(target, to);
  if (check) {
    const current = await readFile(destination).catch(() => undefined);
    if (!current || !current.equals(wanted)) {
      stale++;
      console.error(`stale: public/docs/${to} differs from swagger-ui-dist ${version}`);
    }
  } else {
    await writeFile(destination, wanted);
    console.log(`public/docs/${to}  ${(wanted.byteLength / 1024).toFixed(0)} KiB`);
  }
}
if (check) {
  if (stale > 0) {
    console.error(`${stale} file(s) stale: run npm run docs:vendor`);
    process.exit(1);
  }
  console.log(`public/docs matches swagger-ui-dist ${version}`);
} else {
  console.log(`Copied swagger-ui-dist ${version} into public/docs/.`);
}
