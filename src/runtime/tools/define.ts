/**
 * Building {@link Tool}s: `defineTool` from a zod input schema (the built-ins — converted to JSON
 * Schema once, when the module loads, and parsed with zod so defaults apply), `jsonSchemaTool` from a
 * JSON Schema only known at run time (MCP and custom tools — validated with a Workers-safe validator).
 */
import { z } from "zod";
import { validateJsonSchema, type JsonSchemaObject } from "../../lib/json-schema.ts";
import type { ParsedInput, Tool, ToolContext, ToolSourceKind } from "./contract.ts";

/** A built-in tool written against a zod schema; `execute` receives the parsed input (defaults applied). */
export interface ZodToolSpec<S extends z.ZodType> {
  name: string;
  description: string;
  inputSchema: S;
  source?: { kind: ToolSourceKind; id?: string };
  execute(input: z.output<S>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** The issues of a failed zod parse as readable lines (`path: message`). */
export function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
}

/** A {@link Tool} from a zod-typed spec (source `builtin` unless given). */
export function defineTool<S extends z.ZodType>(spec: ZodToolSpec<S>): Tool {
  const inputSchema = z.toJSONSchema(spec.inputSchema, { io: "input" }) as JsonSchemaObject;
  delete inputSchema.$schema;
  return {
    name: spec.name,
    description: spec.description,
    inputSchema,
    source: spec.source ?? { kind: "builtin" },
    parse(input): ParsedInput {
      const parsed = spec.inputSchema.safeParse(input);
      return parsed.success ? { ok: true, input: parsed.data as Record<string, unknown> } : { ok: false, issues: zodIssues(parsed.error) };
    },
    execute: (input, ctx) => spec.execute(input as z.output<S>, ctx),
  };
}

/** A {@link Tool} whose input is described by JSON Schema only (validated as is; no defaults are applied). */
export function jsonSchemaTool(spec: {
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  source: { kind: ToolSourceKind; id?: string };
  execute(input: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, unknown>>;
}): Tool {
  return {
    ...spec,
    parse(input): ParsedInput {
      const check = validateJsonSchema(spec.inputSchema, input);
      return check.ok ? { ok: true, input: input as Record<string, unknown> } : { ok: false, issues: check.issues };
    },
  };
}
