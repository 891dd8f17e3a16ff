/**
 * Markdown files with YAML front matter (`AGENTS.md`, `SKILL.md`): decoding, splitting the `---` block
 * from the body, and the first paragraph of a body. Pure; shared by the agent-package and skill-bundle
 * readers so both read a file the same way (open-agent-format.md §3.1, §4.1).
 */

const decoder = new TextDecoder("utf-8");

/** UTF-8 text with the BOM dropped and CRLF / CR normalised to LF (open-agent-format.md §3.1, §11 step 3). */
export function readText(bytes: Uint8Array): string {
  return decoder.decode(bytes).replace(/\r\n?/g, "\n");
}

/** A file split at its front matter. `yamlStartLine` is the 1-based file line of the first YAML line. */
export interface FrontMatterSplit {
  /** The YAML between the `---` lines, or null when the file has none (or it is unclosed). */
  yaml: string | null;
  /** Everything after the closing `---` line (the whole text when there is no front matter). */
  body: string;
  /** True when the first line is `---` but no later line closes the block. */
  unclosed: boolean;
  /** 1-based line of the file where the YAML starts (2 when the file starts with `---`). */
  yamlStartLine: number;
  /** 1-based line of the file where the body starts. */
  bodyStartLine: number;
}

/** Splits `---` front matter from the body; delimiters are whole lines (§3.1), trailing blanks tolerated. `text` has LF endings. */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.split("\n");
  if (lines[0]?.trimEnd() !== "---") return { yaml: null, body: text, unclosed: false, yamlStartLine: 1, bodyStartLine: 1 };
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === "---");
  if (close < 0) return { yaml: null, body: text, unclosed: true, yamlStartLine: 2, bodyStartLine: 1 };
  return {
    yaml: lines.slice(1, close).join("\n"),
    body: lines.slice(close + 1).join("\n"),
    unclosed: false,
    yamlStartLine: 2,
    bodyStartLine: close + 2,
  };
}

/** The first prose paragraph of Markdown, else the first heading's text; `""` when there is neither. */
export function firstParagraph(markdown: string): string {
  const blocks = markdown
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== "");
  const prose = blocks.find((block) => !block.startsWith("#") && !block.startsWith("```") && !block.startsWith("|"));
  if (prose) return prose.replace(/\s*\n\s*/g, " ");
  const heading = blocks.find((block) => block.startsWith("#"));
  return heading ? (heading.split("\n")[0] ?? "").replace(/^#+\s*/, "").trim() : "";
}
