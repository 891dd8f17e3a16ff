/**
 * JSON Schema validation that runs on Workers: `@cfworker/json-schema` interprets schemas without
 * generating code (`wrangler dev` and production refuse `eval`/`new Function`, which Ajv needs — see
 * TOOLCHAIN.md). Used for tool inputs whose schema is only known as JSON Schema (MCP and custom tools).
 */
import { Validator } from "@cfworker/json-schema";

/** A JSON Schema document describing an object (tool inputs are always objects). */
export type JsonSchemaObject = Record<string, unknown> & { type?: unknown; properties?: unknown; required?: unknown };

/** Result of validating a value: `issues` are readable lines (`/path: message`). */
export type SchemaCheck = { ok: true } | { ok: false; issues: string[] };

const validators = new WeakMap<object, Validator>();

/** Most issues reported for one value. */
const MAX_ISSUES = 10;

/**
 * Validates `value` against `schema` (draft 2020-12). The validator is built once per schema object.
 * A schema the library cannot read fails closed (an issue naming the schema error).
 */
export function validateJsonSchema(schema: JsonSchemaObject, value: unknown): SchemaCheck {
  let validator = validators.get(schema);
  try {
    if (!validator) {
      validator = new Validator(schema as never, "2020-12", false);
      validators.set(schema, validator);
    }
    const result = validator.validate(value);
    if (result.valid) return { ok: true };
    // The library reports every failing keyword up the tree; the deepest ones say what to fix.
    const leaves = result.errors.filter(
      (e) => !result.errors.some((o) => o !== e && o.instanceLocation.startsWith(`${e.instanceLocation}/`)),
    );
    const lines = [...new Set(leaves.map((e) => `${e.instanceLocation.replace(/^#/, "") || "/"}: ${e.error}`))];
    return { ok: false, issues: lines.slice(0, MAX_ISSUES) };
  } catch (error) {
    return { ok: false, issues: [`the tool's input schema cannot be used: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
