/**
 * The read-only `/skills/{name}/` folders of a run's enabled skills, laid over its workspace for the
 * workspace file tools: a {@link WorkspacePort} that answers paths under `skills/<enabled name>/` from
 * the skill's files (through the {@link SkillPort}) and passes everything else to the run's workspace;
 * writes, mkdir and deletes there are refused with a `read_only` ToolError. Workspace files under
 * `skills/` whose folder is not an enabled skill's stay visible and writable. `files.*` does not see the
 * mount: it belongs to the run.
 */
import { ToolError } from "./contract.ts";
import type { EnabledSkill, SkillPort, WorkspaceEntry, WorkspacePort, WorkspaceRange, WorkspaceReadResult } from "./ports.ts";

const MOUNT = "skills";
const MOUNTED_AT = new Date(0).toISOString();

function entry(path: string, type: "file" | "directory", size = 0): WorkspaceEntry {
  return {
    path,
    name: path.slice(path.lastIndexOf("/") + 1),
    type,
    size_bytes: size,
    mime_type: null,
    modified_at: MOUNTED_AT,
    readonly: true,
  };
}

/** Every mounted entry (skill folders, their sub-folders and files), by path. */
function mountedEntries(skills: EnabledSkill[]): Map<string, WorkspaceEntry> {
  const out = new Map<string, WorkspaceEntry>();
  if (skills.length > 0) out.set(MOUNT, entry(MOUNT, "directory"));
  for (const skill of skills) {
    const root = `${MOUNT}/${skill.name}`;
    out.set(root, entry(root, "directory"));
    for (const file of skill.files) {
      const parts = file.path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = `${root}/${parts.slice(0, i).join("/")}`;
        if (!out.has(dir)) out.set(dir, entry(dir, "directory"));
      }
      out.set(`${root}/${file.path}`, entry(`${root}/${file.path}`, "file", file.size_bytes));
    }
  }
  return out;
}

function byPath(a: WorkspaceEntry, b: WorkspaceEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The slice of `bytes` a range asks for. */
function slice(bytes: Uint8Array, range: WorkspaceRange | undefined): { bytes: Uint8Array; range?: { offset: number; length: number } } {
  if (!range) return { bytes };
  const offset = "suffix" in range ? Math.max(0, bytes.byteLength - range.suffix) : Math.min(range.offset, bytes.byteLength);
  const length =
    "suffix" in range ? bytes.byteLength - offset : Math.min(range.length ?? bytes.byteLength - offset, bytes.byteLength - offset);
  return { bytes: bytes.subarray(offset, offset + length), range: { offset, length } };
}

/** `workspace` with the enabled skills' folders mounted read-only at `skills/<name>/`. */
export function mountSkills(workspace: WorkspacePort, port: SkillPort): WorkspacePort {
  let cached: Promise<{ skills: EnabledSkill[]; entries: Map<string, WorkspaceEntry> }> | undefined;
  const mounted = () => (cached ??= port.enabled().then((skills) => ({ skills, entries: mountedEntries(skills) })));
  /** The enabled skill whose folder holds `path` (or is it), with the path relative to that folder. */
  const owner = async (path: string) => {
    const { skills } = await mounted();
    const [top, name, ...rest] = path.split("/");
    const skill = top === MOUNT ? skills.find((s) => s.name === name) : undefined;
    return skill ? { skill, rel: rest.join("/") } : undefined;
  };
  const refuse = async (path: string) => {
    const hit = await owner(path);
    if (hit) {
      throw new ToolError(
        "read_only",
        `/${MOUNT}/${hit.skill.name}/ holds the skill ${hit.skill.name}, which is read-only; write elsewhere in the workspace.`,
      );
    }
  };
  const shadowed = (skills: EnabledSkill[], path: string) =>
    skills.some((s) => path === `${MOUNT}/${s.name}` || path.startsWith(`${MOUNT}/${s.name}/`));

  return {
    async stat(path) {
      const { entries } = await mounted();
      if (await owner(path)) return entries.get(path) ?? null;
      if (path === MOUNT && entries.has(MOUNT)) return (await workspace.stat(path)) ?? entries.get(MOUNT)!;
      return workspace.stat(path);
    },
    async read(path, range): Promise<WorkspaceReadResult> {
      const hit = await owner(path);
      if (!hit) return workspace.read(path, range);
      const { entries } = await mounted();
      const found = entries.get(path);
      if (found?.type === "directory") throw new ToolError("is_a_directory", `/${path} is a directory, not a file; use list_files.`);
      const bytes = found ? await port.read(hit.skill.name, hit.rel) : null;
      if (!found || !bytes) throw new ToolError("not_found", `File not found: /${path}`);
      const part = slice(bytes, range);
      return {
        entry: { ...found, size_bytes: bytes.byteLength },
        body: new Blob([part.bytes]).stream(),
        size: part.bytes.byteLength,
        etag: `skill-${hit.skill.id}-${hit.skill.version}`,
        ...(part.range ? { range: part.range } : {}),
      };
    },
    async write(path, body, options) {
      await refuse(path);
      return workspace.write(path, body, options);
    },
    async mkdir(path) {
      await refuse(path);
      return workspace.mkdir(path);
    },
    async remove(path, options) {
      await refuse(path);
      return workspace.remove(path, options);
    },
    async list(dir, options) {
      const { skills, entries } = await mounted();
      const inMount = await owner(dir);
      const prefix = dir === "" ? "" : `${dir}/`;
      const virtual = [...entries.values()].filter(
        (e) => e.path.startsWith(prefix) && e.path !== dir && (options.recursive || !e.path.slice(prefix.length).includes("/")),
      );
      if (inMount) {
        if (!entries.has(dir)) throw new ToolError("not_found", `Directory not found: /${dir}`);
        if (entries.get(dir)!.type === "file") throw new ToolError("not_a_directory", `/${dir} is a file, not a directory.`);
        const sorted = virtual.sort(byPath);
        return { entries: sorted.slice(0, options.limit), truncated: sorted.length > options.limit };
      }
      if (virtual.length === 0) return workspace.list(dir, options);
      const real = await workspace.list(dir, options).catch((error: unknown) => {
        if (error instanceof ToolError && error.code === "not_found") return { entries: [], truncated: false };
        throw error;
      });
      const merged = new Map(real.entries.filter((e) => !shadowed(skills, e.path)).map((e) => [e.path, e] as const));
      for (const e of virtual) if (!merged.has(e.path) || shadowed(skills, e.path)) merged.set(e.path, e);
      const sorted = [...merged.values()].sort(byPath);
      return { entries: sorted.slice(0, options.limit), truncated: real.truncated || sorted.length > options.limit };
    },
    async files(prefix, options) {
      const { skills, entries } = await mounted();
      const virtual = [...entries.values()].filter((e) => e.type === "file" && e.path.startsWith(prefix));
      const real = await workspace.files(prefix, options);
      const merged = [...real.entries.filter((e) => !shadowed(skills, e.path)), ...virtual].sort(byPath);
      return { entries: merged.slice(0, options.limit), truncated: real.truncated || merged.length > options.limit };
    },
  };
}
