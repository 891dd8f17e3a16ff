import { z } from "@hono/zod-openapi";
import { limitRequestBody } from "../../../middleware/body-limit.ts";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { MAX_UPLOAD_BATCH_BYTES } from "../../../services/files/upload-batch.ts";
import { MAX_WORKSPACE_FILE_BYTES } from "../../../services/files/write.ts";
import { operationRoute } from "../../operation-route.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  DeleteQuery,
  DownloadBatchRequest,
  FilePathParams,
  FileResult,
  ListQuery,
  ListResponse,
  MkdirRequest,
  SearchRequest,
  SearchResponse,
  UploadBatchForm,
  UploadBatchResponse,
  UploadForm,
  WorkspaceQuery,
} from "./files.schemas.ts";

const tags = ["Files"];
const common = [...AUTH_ERRORS, "harness_not_found", "session_not_found", "invalid_path", "capability_not_supported"] as const;
const bytes = (description: string) => ({
  description,
  content: { "application/octet-stream": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
});
/** Multipart uploads carry a little framing beyond the file bytes. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export const list = operationRoute("files.list", {
  tags,
  summary: "List a workspace directory",
  description: "From the path index (R2 is never scanned). `recursive=true` lists everything below the directory, in path order.",
  request: { params: HarnessIdParam, query: ListQuery },
  responses: {
    200: jsonContent(ListResponse, "The directory's entries"),
    ...problemResponses(...common, "file_not_found", "not_a_directory"),
  },
});

export const download = operationRoute("files.download", {
  tags,
  summary: "Download a file",
  description:
    "The file's bytes with `Content-Disposition: attachment`. With unencoded slashes, `…/files/docs/download` downloads `docs` when it is a file and otherwise reads a file named `docs/download` (spec §9.3 R4); encode the path to avoid the ambiguity.",
  request: { params: FilePathParams, query: WorkspaceQuery },
  responses: { 200: bytes("The file"), ...problemResponses(...common, "file_not_found", "is_a_directory") },
});

export const read = operationRoute("files.read", {
  tags,
  summary: "Read a file",
  description:
    "The file's bytes with its content type (text as text, unknown types as application/octet-stream). One byte range per request (`Range: bytes=0-99`, `bytes=100-`, `bytes=-100`) answers 206 with `Content-Range`.",
  request: {
    params: FilePathParams,
    query: WorkspaceQuery,
    headers: z.object({
      range: z
        .string()
        .max(200)
        .optional()
        .openapi({ param: { name: "range", in: "header" }, example: "bytes=0-1023" }),
    }),
  },
  responses: {
    200: bytes("The file"),
    206: bytes("The requested range"),
    ...problemResponses(...common, "file_not_found", "is_a_directory", "range_not_satisfiable"),
  },
});

export const write = operationRoute("files.write", {
  tags,
  summary: "Write a file",
  description:
    "The raw request body becomes the file (any content type; parents are created; an existing file is replaced). A JSON body that is exactly `{content, encoding?}` (the reference client's shape, spec §9.3 R2) stores `content` (base64-decoded with `encoding: base64`); to store such a JSON document literally, send it as application/octet-stream. 201 when the file is new, 200 when it replaced one.",
  middleware: limitRequestBody(MAX_WORKSPACE_FILE_BYTES),
  request: {
    params: FilePathParams,
    query: WorkspaceQuery,
    body: { content: { "*/*": { schema: { type: "string", format: "binary" } } } },
  },
  responses: {
    200: jsonContent(FileResult, "Replaced"),
    201: jsonContent(FileResult, "Created"),
    ...problemResponses(...common, "is_a_directory", "not_a_directory", "file_read_only", "payload_too_large"),
  },
});

export const remove = operationRoute("files.delete", {
  tags,
  summary: "Delete a file or directory",
  description:
    "A file, or an empty directory; a non-empty directory needs `recursive=true` (else 409). Read-only starter files are refused (409).",
  request: { params: FilePathParams, query: DeleteQuery },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(...common, "file_not_found", "directory_not_empty", "file_read_only"),
  },
});

export const search = operationRoute("files.search", {
  tags,
  summary: "Search files by glob and content",
  description:
    "`glob` over the path index (relative to `path`), `grep` (a regular expression) over the contents of the matching text files, at most `max_results` files (≤ 100 matching lines each; grep reads ≤ 500 files, skips files over 1 MiB and binary ones). `truncated` says a limit cut the answer short.",
  request: {
    params: HarnessIdParam,
    query: WorkspaceQuery,
    body: { required: true, content: { "application/json": { schema: SearchRequest } } },
  },
  responses: {
    200: jsonContent(SearchResponse, "Matches"),
    ...problemResponses(...common, "invalid_json", "invalid_pattern", "file_not_found", "not_a_directory"),
  },
});

export const upload = operationRoute("files.upload", {
  tags,
  summary: "Upload a file",
  description: "Multipart parts `path`, `file` and `overwrite` (default false: an existing file is 409). 201 when new, 200 when replaced.",
  middleware: limitRequestBody(MAX_WORKSPACE_FILE_BYTES + MULTIPART_OVERHEAD_BYTES),
  request: {
    params: HarnessIdParam,
    query: WorkspaceQuery,
    body: { required: true, content: { "multipart/form-data": { schema: UploadForm } } },
  },
  responses: {
    200: jsonContent(FileResult, "Replaced"),
    201: jsonContent(FileResult, "Created"),
    ...problemResponses(...common, "file_exists", "is_a_directory", "not_a_directory", "file_read_only", "payload_too_large"),
  },
});

export const uploadBatch = operationRoute("files.uploadBatch", {
  tags,
  summary: "Upload many files at once",
  description:
    "Repeated `files` parts whose filenames are paths relative to `base_path`; at most 500 files and 100 MiB. All or nothing: a faulty file (absolute or `..` filename, a directory or read-only file in the way) refuses the whole batch with 422 listing every fault; existing files are `skipped` unless `overwrite=true`.",
  middleware: limitRequestBody(MAX_UPLOAD_BATCH_BYTES + MULTIPART_OVERHEAD_BYTES),
  request: {
    params: HarnessIdParam,
    query: WorkspaceQuery,
    body: { required: true, content: { "multipart/form-data": { schema: UploadBatchForm } } },
  },
  responses: {
    200: jsonContent(UploadBatchResponse, "Uploaded"),
    ...problemResponses(...common, "upload_rejected", "payload_too_large"),
  },
});

export const downloadBatch = operationRoute("files.downloadBatch", {
  tags,
  summary: "Download many files as a ZIP",
  description:
    "A ZIP of the paths (a directory stands for every file below it; ≤ 1000 files), entries named by workspace path, streamed file by file. Every path must exist (404 lists the missing ones).",
  request: {
    params: HarnessIdParam,
    query: WorkspaceQuery,
    body: { required: true, content: { "application/json": { schema: DownloadBatchRequest } } },
  },
  responses: {
    200: { description: "The ZIP", content: { "application/zip": { schema: z.string().openapi({ type: "string", format: "binary" }) } } },
    ...problemResponses(...common, "invalid_json", "file_not_found", "payload_too_large"),
  },
});

export const mkdir = operationRoute("files.mkdir", {
  tags,
  summary: "Create a directory (mkdir -p)",
  description: "Creates the directory and every missing parent: 201 when created, 200 when it existed.",
  request: {
    params: HarnessIdParam,
    query: WorkspaceQuery,
    body: { required: true, content: { "application/json": { schema: MkdirRequest } } },
  },
  responses: {
    200: jsonContent(FileResult, "Existed"),
    201: jsonContent(FileResult, "Created"),
    ...problemResponses(...common, "invalid_json", "not_a_directory"),
  },
});
