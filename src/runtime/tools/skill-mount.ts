/**
 * The read-only `/skills/{name}/` folders of a run's enabled skills, laid over its R2 workspace for the
 * workspace file tools: a bucket view whose `get`, `head` and `list` answer keys under
 * `<workspace>skills/<enabled name>/` from the skill's files (through the {@link SkillPort}) and pass
 * everything else to R2; `put` and `delete` there are refused with a `read_only` ToolError. Workspace
 * files under `skills/` whose folder is not an enabled skill's stay visible and writable.
 */
import { ToolError, type WorkspaceScope } from "./contract.ts";
import type { EnabledSkill, SkillPort } from "./ports.ts";

/** What the workspace tools read of an R2 object (and of the objects this view makes up). */
type ObjectLike = Pick<R2Object, "key" | "size" | "etag" | "httpEtag" | "uploaded" | "httpMetadata" | "customMetadata" | "version">;

const MOUNTED_AT = new Date(0);

function virtualObject(key: string, size: number, version: string): ObjectLike {
  return {
    key,
    size,
    etag: `skill-${version}`,
    httpEtag: `"skill-${version}"`,
    uploaded: MOUNTED_AT,
    httpMetadata: {},
    customMetadata: {},
    version,
  };
}

function withBody(object: ObjectLike, bytes: Uint8Array): R2ObjectBody {
  return {
    ...object,
    body: new Blob([bytes]).stream(),
    bodyUsed: false,
    arrayBuffer: async () => bytes.slice().buffer,
    bytes: async () => bytes.slice(),
    text: async () => new TextDecoder().decode(bytes),
    json: async () => JSON.parse(new TextDecoder().decode(bytes)),
    blob: async () => new Blob([bytes]),
  } as unknown as R2ObjectBody;
}

/** `workspace` with the enabled skills' folders mounted read-only at `skills/<name>/`. */
export function mountSkills(workspace: WorkspaceScope, port: SkillPort): WorkspaceScope {
  const root = `${workspace.prefix}skills/`;
  const real = workspace.bucket;
  /** The mounted skill a key lies in (its folder or below), if any. */
  const owner = async (key: string): Promise<{ skill: EnabledSkill; rel: string } | undefined> => {
    if (!key.startsWith(root)) return undefined;
    const rest = key.slice(root.length);
    const name = rest.split("/")[0]!;
    const skill = (await port.enabled()).find((s) => s.name === name);
    return skill ? { skill, rel: rest.slice(name.length + 1) } : undefined;
  };
  const virtualKeys = async () =>
    (await port.enabled()).flatMap((s) => s.files.map((f) => virtualObject(`${root}${s.name}/${f.path}`, f.size_bytes, s.version)));
  const readOnly = (key: string, name: string) =>
    new ToolError(
      "read_only",
      `/skills/${name}/ holds the skill ${name}, which is read-only; write ${key.slice(workspace.prefix.length).replace(/^skills\//, "")} elsewhere in the workspace.`,
    );

  const view = {
    async head(key: string) {
      const hit = await owner(key);
      if (!hit) return real.head(key);
      const file = hit.skill.files.find((f) => f.path === hit.rel);
      return file ? (virtualObject(key, file.size_bytes, hit.skill.version) as R2Object) : null;
    },
    async get(key: string) {
      const hit = await owner(key);
      if (!hit) return real.get(key);
      const bytes = await port.read(hit.skill.name, hit.rel);
      return bytes ? withBody(virtualObject(key, bytes.byteLength, hit.skill.version), bytes) : null;
    },
    async list(options: R2ListOptions = {}) {
      const prefix = options.prefix ?? "";
      const enabled = await port.enabled();
      const shadowed = (key: string) => enabled.some((s) => key.startsWith(`${root}${s.name}/`));
      const page = await real.list(options);
      const objects = page.objects.filter((o) => !shadowed(o.key)) as R2Object[];
      const prefixes = new Set(page.delimitedPrefixes.filter((p) => !shadowed(p)));
      if (!page.truncated) {
        for (const object of await virtualKeys()) {
          if (!object.key.startsWith(prefix)) continue;
          const rest = object.key.slice(prefix.length);
          const cut = options.delimiter ? rest.indexOf(options.delimiter) : -1;
          if (cut >= 0) prefixes.add(prefix + rest.slice(0, cut + options.delimiter!.length));
          else objects.push(object as R2Object);
        }
      }
      return { ...page, objects, delimitedPrefixes: [...prefixes] } as R2Objects;
    },
    async put(key: string, value: unknown, options?: R2PutOptions) {
      const hit = await owner(key);
      if (hit || (await port.enabled()).some((s) => key === `${root}${s.name}`))
        throw readOnly(key, hit?.skill.name ?? key.slice(root.length));
      return real.put(key, value as ReadableStream, options);
    },
    async delete(keys: string | string[]) {
      for (const key of Array.isArray(keys) ? keys : [keys]) {
        const hit = await owner(key);
        if (hit) throw readOnly(key, hit.skill.name);
      }
      return real.delete(keys);
    },
  };
  return { bucket: view as unknown as R2Bucket, prefix: workspace.prefix };
}
