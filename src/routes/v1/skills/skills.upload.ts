/**
 * Reading a skill upload off the request, whichever of its three forms it takes (spec §1.8, §9.1 #5):
 * multipart `files` parts + `metadata`, a raw `application/zip` (metadata in the query), or the
 * reference client's JSON `{source, config?}`.
 */
import type { Context } from "hono";
import type { z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors/api-error.ts";
import type { SkillCategory } from "../../../services/skills/common.ts";
import type { SkillUpload } from "../../../services/skills/upload.ts";
import { SkillMetadata, type SkillFilesForm, type SkillSourceBody, type SkillUploadQuery } from "./skills.schemas.ts";

/** The upload and the metadata that came with it. */
export interface RequestUpload {
  upload: SkillUpload;
  display_title?: string;
  category?: SkillCategory;
  changelog?: string;
  config?: Record<string, unknown>;
}

function fieldError(field: string, detail: string, hint: string): ApiError {
  return new ApiError("validation_error", `${field}: ${detail}`, { details: { field }, actions: [{ rel: "fix-input", hint }] });
}

const HINT =
  'Send multipart/form-data with one `files` part per file (file name = relative path, e.g. my-skill/SKILL.md), a zip as application/zip, or JSON {"source": {"type": "inline", "content": "---\\nname: …"}}.';

async function fromForm(form: z.infer<typeof SkillFilesForm>): Promise<RequestUpload> {
  const parts = [form.files, form["files[]"]].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  if (parts.length === 0) throw fieldError("form.files", "at least one file part is required", HINT);
  const files = await Promise.all(parts.map(async (f) => ({ path: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  const out: RequestUpload = { upload: { kind: "files", files } };
  if (form.changelog !== undefined) out.changelog = form.changelog;
  if (form.metadata === undefined) return out;
  const text = typeof form.metadata === "string" ? form.metadata : await form.metadata.text();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw fieldError(
      "form.metadata",
      "must be a JSON object",
      'Send metadata as JSON, e.g. {"display_title": "My skill", "category": "user"}.',
    );
  }
  const parsed = SkillMetadata.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.code === "unrecognized_keys" ? issue.keys[0] : issue.path.join(".");
    throw fieldError(
      `form.metadata${key ? `.${key}` : ""}`,
      issue.message,
      "metadata takes display_title (1–100), category (user, plugin, builtin, organization) and changelog.",
    );
  }
  const meta = parsed.data;
  const title = meta.display_title ?? meta.name;
  return {
    ...out,
    ...(title ? { display_title: title } : {}),
    ...(meta.category ? { category: meta.category } : {}),
    ...(meta.changelog && out.changelog === undefined ? { changelog: meta.changelog } : {}),
  };
}

/**
 * The upload of a register / upgrade / validate request.
 * @throws ApiError `validation_error` for a missing body, no file parts or bad metadata.
 */
export async function requestUpload(c: Context<AppEnv>, query: z.infer<typeof SkillUploadQuery> | undefined): Promise<RequestUpload> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const valid = c.req.valid.bind(c.req) as unknown as (target: "form" | "json") => unknown;
  if (type === "multipart/form-data") return fromForm(valid("form") as z.infer<typeof SkillFilesForm>);
  const meta = {
    ...(query?.display_title ? { display_title: query.display_title } : {}),
    ...(query?.category ? { category: query.category } : {}),
    ...(query?.changelog ? { changelog: query.changelog } : {}),
  };
  if (type === "application/zip") {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) throw fieldError("body", "the zip is empty", HINT);
    return { upload: { kind: "zip", bytes }, ...meta };
  }
  if (type === "application/json" || type.endsWith("+json")) {
    const body = valid("json") as z.infer<typeof SkillSourceBody>;
    const upload: SkillUpload =
      body.source.type === "inline"
        ? { kind: "inline", content: body.source.content }
        : body.source.type === "file"
          ? { kind: "workspace", path: body.source.path }
          : { kind: "url", url: body.source.url };
    return {
      upload,
      ...meta,
      ...(body.display_title ? { display_title: body.display_title } : {}),
      ...(body.category ? { category: body.category } : {}),
      ...(body.changelog ? { changelog: body.changelog } : {}),
      ...(body.config ? { config: body.config } : {}),
    };
  }
  throw fieldError("body", "a skill upload is required", HINT);
}
