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

/** Keywords reported only because a keyword inside them failed (or a `false` schema, said better by its parent). */
const CONTAINER_KEYWORDS = new Set(["properties", "patternProperties", "items", "prefixItems", "allOf", "$ref", "$dynamicRef", "false"]);

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
    // The library also reports the keywords that only contain the failing ones; they say nothing new.
    const useful = result.errors.filter((e) => !CONTAINER_KEYWORDS.has(e.keyword));
    const lines = [
      ...new Set((useful.length ? useful : result.errors).map((e) => `${e.instanceLocation.replace(/^#/, "") || "/"}: ${e.error}`)),
    ];
    return { ok: false, issues: lines.slice(0, MAX_ISSUES) };
  } catch (error) {
    return { ok: false, issues: [`the tool's input schema cannot be used: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
