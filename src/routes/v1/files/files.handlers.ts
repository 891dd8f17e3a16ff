import type { Context } from "hono";
import type { AppEnv, AppRouteHandler } from "../../../context.ts";
import { ApiError } from "../../../errors/api-error.ts";
import { fromBase64 } from "../../../lib/crypto.ts";
import type { WorkspaceBody } from "../../../runtime/tools/ports.ts";
import { guessMimeType } from "../../../runtime/tools/workspace-paths.ts";
import { deleteFile } from "../../../services/files/delete.ts";
import { downloadBatch as downloadBatchVerb } from "../../../services/files/download-batch.ts";
import { downloadFile } from "../../../services/files/download.ts";
import { listFiles } from "../../../services/files/list.ts";
import { makeDirectory } from "../../../services/files/mkdir.ts";
import { readFile, type ReadFileResult } from "../../../services/files/read.ts";
import { searchFiles } from "../../../services/files/search.ts";
import { uploadBatch as uploadBatchVerb, type UploadedPart } from "../../../services/files/upload-batch.ts";
import { uploadFile } from "../../../services/files/upload.ts";
import { writeFile } from "../../../services/files/write.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./files.routes.ts";
import { toFileInfo } from "./files.schemas.ts";

/** `text/*` and JSON-like types are sent with their charset. */
function contentType(mime: string | null): string {
  const type = mime ?? "application/octet-stream";
  return /^text\/|^application\/(json|jsonl|yaml|toml|xml|sql)$/.test(type) ? `${type}; charset=utf-8` : type;
}

/** `attachment` with an ASCII fallback name and the RFC 8187 UTF-8 name (unicode and spaces survive). */
function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function fileResponse(c: Context<AppEnv>, read: ReadFileResult, extra: Record<string, string> = {}): Response {
  const { file, partial } = read;
  const headers: Record<string, string> = {
    "content-type": contentType(file.entry.mime_type),
    "content-length": String(file.size),
    "accept-ranges": "bytes",
    etag: `"${file.etag}"`,
    "last-modified": new Date(file.entry.modified_at).toUTCString(),
    "x-request-id": c.get("requestId"),
    ...extra,
  };
  if (partial) headers["content-range"] = `bytes ${partial.offset}-${partial.offset + partial.length - 1}/${partial.size}`;
  return new Response(file.body, { status: partial ? 206 : 200, headers });
}

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const query = c.req.valid("query");
  const listed = await listFiles({
    ctx: authed(c),
    input: {
      ref: harnessId,
      ...(query.session_id ? { sessionId: query.session_id } : {}),
      ...(query.path !== undefined ? { path: query.path } : {}),
      recursive: query.recursive ?? false,
    },
  });
  return c.json({ files: listed.entries.map(toFileInfo), path: `/${listed.dir}`, truncated: listed.truncated }, 200);
};

export const read: AppRouteHandler<typeof routes.read> = async (c) => {
  const { harnessId, path } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const range = c.req.valid("header").range;
  const result = await readFile({
    ctx: authed(c),
    input: { ref: harnessId, path, ...(session_id ? { sessionId: session_id } : {}), ...(range ? { range } : {}) },
  });
  return fileResponse(c, result) as never;
};

export const download: AppRouteHandler<typeof routes.download> = async (c) => {
  const { harnessId, path } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const result = await downloadFile({ ctx: authed(c), input: { ref: harnessId, path, ...(session_id ? { sessionId: session_id } : {}) } });
  return fileResponse(c, result, result.asFile ? {} : { "content-disposition": attachment(result.file.entry.name) }) as never;
};

/** A JSON body shaped exactly `{content, encoding?}` (the reference client's files.write, spec §9.3 R2). */
function clientShape(value: unknown): { content: string; encoding?: "text" | "base64" } | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.content !== "string") return undefined;
  if (!Object.keys(record).every((k) => k === "content" || k === "encoding")) return undefined;
  if (record.encoding !== undefined && record.encoding !== "text" && record.encoding !== "base64") return undefined;
  return record as { content: string; encoding?: "text" | "base64" };
}

export const write: AppRouteHandler<typeof routes.write> = async (c) => {
  const { harnessId, path } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const essence = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  let body: WorkspaceBody;
  let mimeType: string | undefined;
  if (essence === "application/json" || essence.endsWith("+json")) {
    const bytes = await c.req.arrayBuffer();
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      parsed = undefined;
    }
    const shape = clientShape(parsed);
    if (shape) {
      if (shape.encoding === "base64") {
        try {
          body = fromBase64(shape.content);
        } catch {
          throw new ApiError("validation_error", "`content` is not valid base64 although `encoding` is base64.", {
            details: { field: "body.content" },
            actions: [{ rel: "fix-input", hint: "Send base64 content, or encoding: text." }],
          });
        }
      } else body = shape.content;
    } else {
      body = bytes;
      mimeType = essence;
    }
  } else {
    const length = c.req.header("content-length");
    const raw = c.req.raw.body;
    body =
      raw && length !== undefined && /^\d+$/.test(length)
        ? raw.pipeThrough(new FixedLengthStream(Number(length)))
        : await c.req.arrayBuffer();
    const declared = essence && essence !== "application/octet-stream" && essence !== "application/x-www-form-urlencoded";
    if (declared && guessMimeType(path) === "application/octet-stream") mimeType = essence;
  }
  const result = await writeFile({
    ctx: authed(c),
    input: { ref: harnessId, path, body, ...(mimeType ? { mimeType } : {}), ...(session_id ? { sessionId: session_id } : {}) },
  });
  return c.json({ file: toFileInfo(result.file), created: result.created }, result.created ? 201 : 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  const { harnessId, path } = c.req.valid("param");
  const { session_id, recursive } = c.req.valid("query");
  await deleteFile({
    ctx: authed(c),
    input: { ref: harnessId, path, recursive: recursive ?? false, ...(session_id ? { sessionId: session_id } : {}) },
  });
  return c.body(null, 204);
};

export const search: AppRouteHandler<typeof routes.search> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const body = c.req.valid("json");
  const found = await searchFiles({ ctx: authed(c), input: { ref: harnessId, ...body, ...(session_id ? { sessionId: session_id } : {}) } });
  return c.json(
    {
      matches: found.matches.map((m) => ({ file: toFileInfo(m.file), ...(m.line_matches ? { line_matches: m.line_matches } : {}) })),
      truncated: found.truncated,
      files_scanned: found.filesScanned,
      files_skipped: found.filesSkipped,
    },
    200,
  );
};

/** The multipart form, parsed once by the runtime (not buffered a second time by the validator). */
async function formOf(c: Context<AppEnv>): Promise<FormData> {
  try {
    return await c.req.raw.formData();
  } catch {
    throw new ApiError("validation_error", "The body is not a readable multipart/form-data form.", {
      actions: [{ rel: "fix-input", hint: "Send multipart/form-data with a boundary." }],
    });
  }
}

function flag(form: FormData, name: string): boolean {
  const value = form.get(name);
  if (value === null || value === "") return false;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new ApiError("validation_error", `The \`${name}\` part must be true or false.`, {
    details: { field: `form.${name}` },
    actions: [{ rel: "fix-input", hint: `Send ${name}=true or ${name}=false.` }],
  });
}

function missingPart(name: string, what: string): ApiError {
  return new ApiError("validation_error", `The \`${name}\` part is required: ${what}.`, {
    details: { field: `form.${name}` },
    actions: [{ rel: "fix-input", hint: `Add the \`${name}\` part.` }],
  });
}

export const upload: AppRouteHandler<typeof routes.upload> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const form = await formOf(c);
  const path = form.get("path");
  const file = form.get("file");
  if (typeof path !== "string" || path === "") throw missingPart("path", "the target path of the file");
  if (!(file instanceof File)) throw missingPart("file", "the file itself");
  const result = await uploadFile({
    ctx: authed(c),
    input: { ref: harnessId, path, file, overwrite: flag(form, "overwrite"), ...(session_id ? { sessionId: session_id } : {}) },
  });
  return c.json({ file: toFileInfo(result.file), created: result.created }, result.created ? 201 : 200);
};

export const uploadBatch: AppRouteHandler<typeof routes.uploadBatch> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const form = await formOf(c);
  const parts: UploadedPart[] = form
    .getAll("files")
    .filter((v): v is File => v instanceof File)
    .map((file) => ({ filename: file.name, file }));
  const basePath = form.get("base_path");
  const result = await uploadBatchVerb({
    ctx: authed(c),
    input: {
      ref: harnessId,
      files: parts,
      overwrite: flag(form, "overwrite"),
      ...(typeof basePath === "string" && basePath !== "" ? { basePath } : {}),
      ...(session_id ? { sessionId: session_id } : {}),
    },
  });
  return c.json({ uploaded: result.uploaded.map(toFileInfo), skipped: result.skipped, errors: result.errors }, 200);
};

export const downloadBatch: AppRouteHandler<typeof routes.downloadBatch> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const result = await downloadBatchVerb({
    ctx: authed(c),
    input: { ref: harnessId, paths: c.req.valid("json").paths, ...(session_id ? { sessionId: session_id } : {}) },
  });
  return new Response(result.zip, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-disposition": attachment(`${result.harnessSlug}-files.zip`),
      "x-file-count": String(result.files.length),
      "x-request-id": c.get("requestId"),
    },
  }) as never;
};

export const mkdir: AppRouteHandler<typeof routes.mkdir> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const { session_id } = c.req.valid("query");
  const result = await makeDirectory({
    ctx: authed(c),
    input: { ref: harnessId, path: c.req.valid("json").path, ...(session_id ? { sessionId: session_id } : {}) },
  });
  return c.json({ file: toFileInfo(result.file), created: result.created }, result.created ? 201 : 200);
};
