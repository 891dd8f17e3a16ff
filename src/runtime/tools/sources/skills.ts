/**
 * The `skill` tool source: Agent Skills in the loop, progressively disclosed (the way Claude's skills and
 * Everruns' `skills` capability work).
 *
 * 1. Every model step's system prompt lists only the enabled skills' names and descriptions ({@link skillsPrompt}).
 * 2. `load_skill {name}` returns a skill's instructions (SKILL.md after its front matter) and the list of
 *    its other files; `load_skill {name, path}` returns one of those files.
 * 3. The workspace read tools (read_file, list_files, glob, grep) see the same files under
 *    `/skills/{name}/`, read-only (`skill-mount.ts`).
 *
 * Nothing is offered when no skill is enabled. The source reads skills through a {@link SkillPort} bound
 * to the run's scope; it never imports services.
 */
import { z } from "zod";
import { readText, splitFrontMatter } from "../../../lib/front-matter.ts";
import { ToolError, type Tool, type ToolScope, type ToolSource } from "../contract.ts";
import { defineTool } from "../define.ts";
import type { EnabledSkill, SkillPort } from "../ports.ts";

/** The name of the skill tool. */
export const LOAD_SKILL_TOOL = "load_skill";
/** Where skill folders appear to the workspace tools. */
export const SKILLS_MOUNT = "/skills";
/** Most characters of one file load_skill returns (longer files are cut, and say so). */
export const MAX_SKILL_FILE_CHARS = 200_000;

/** The system-prompt section listing the enabled skills (names and descriptions only). */
export function skillsPrompt(skills: EnabledSkill[]): string | undefined {
  if (skills.length === 0) return undefined;
  return [
    "## Skills",
    `You have these skills: folders of instructions and files for particular tasks. When a task matches a skill's description, call ${LOAD_SKILL_TOOL} with its name before acting and follow its instructions. A skill's other files are under ${SKILLS_MOUNT}/<name>/: read them with ${LOAD_SKILL_TOOL} and a path (or with read_file when you have it).`,
    "",
    ...skills.map((s) => `- ${s.name}: ${s.description.replace(/\s+/g, " ").trim()}`),
  ].join("\n");
}

function decode(name: string, path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ToolError("binary_file", `${SKILLS_MOUNT}/${name}/${path} is not a text file.`);
  }
}

/** `load_skill` over `port`. */
function loadSkillTool(port: SkillPort): Tool {
  return defineTool({
    name: LOAD_SKILL_TOOL,
    description:
      "Load one of your skills (listed under Skills in your instructions): without path it returns the skill's instructions and the list of its files; with path (relative to the skill folder, e.g. resources/notes.md) it returns that file.",
    source: { kind: "skill" },
    inputSchema: z.object({
      name: z.string().min(1).max(64).describe("The skill's name, as listed."),
      path: z.string().min(1).max(1024).optional().describe("A file of the skill, relative to its folder."),
    }),
    async execute(input) {
      const skills = await port.enabled();
      const skill = skills.find((s) => s.name === input.name);
      if (!skill) {
        throw new ToolError("not_found", `No skill named ${input.name}. Your skills: ${skills.map((s) => s.name).join(", ") || "none"}.`);
      }
      const path = (input.path ?? "SKILL.md").replace(/^\/+/, "").replace(new RegExp(`^skills/${skill.name}/`), "");
      const bytes = await port.read(skill.name, path);
      if (!bytes) {
        throw new ToolError(
          "not_found",
          `Skill ${skill.name} has no file ${path}. Its files: ${skill.files.map((f) => f.path).join(", ")}.`,
        );
      }
      const text = decode(skill.name, path, bytes);
      const truncated = text.length > MAX_SKILL_FILE_CHARS;
      const content = truncated ? text.slice(0, MAX_SKILL_FILE_CHARS) : text;
      if (input.path !== undefined)
        return { name: skill.name, version: skill.version, path: `${SKILLS_MOUNT}/${skill.name}/${path}`, content, truncated };
      return {
        name: skill.name,
        version: skill.version,
        description: skill.description,
        instructions: splitFrontMatter(readText(new TextEncoder().encode(content))).body.replace(/^(?:[ \t]*\n)+/, ""),
        files: skill.files.filter((f) => f.path !== "SKILL.md").map((f) => `${SKILLS_MOUNT}/${skill.name}/${f.path}`),
        truncated,
      };
    },
  });
}

/**
 * The skill source: `bind` gives the port for a scope (one per run). Offers `load_skill` and the prompt
 * section when at least one skill is enabled.
 */
export function skillToolSource(bind: (scope: ToolScope) => SkillPort): ToolSource {
  const ports = new WeakMap<ToolScope, SkillPort>();
  const portFor = (scope: ToolScope) => {
    let port = ports.get(scope);
    if (!port) {
      port = bind(scope);
      ports.set(scope, port);
    }
    return port;
  };
  return {
    kind: "skill",
    async tools(scope) {
      const port = portFor(scope);
      return (await port.enabled()).length > 0 ? [loadSkillTool(port)] : [];
    },
    async prompt(scope) {
      return skillsPrompt(await portFor(scope).enabled());
    },
  };
}
