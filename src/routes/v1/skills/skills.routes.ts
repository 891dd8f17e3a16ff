import { z } from "@hono/zod-openapi";
import { limitRequestBody } from "../../../middleware/body-limit.ts";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { MAX_SKILL_BUNDLE_BYTES } from "../../../services/skills/skill-bundle.ts";
import { operationRoute } from "../../operation-route.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  DiscoverBody,
  DiscoverResponse,
  DownloadQuery,
  ListSkillsQuery,
  RollbackBody,
  SkillEnvelope,
  SkillFilesForm,
  SkillPage,
  SkillParams,
  SkillSourceBody,
  SkillUploadQuery,
  SkillVersionChange,
  SkillVersionsResponse,
  SkillWriteResponse,
  UninstallQuery,
  UpdateSkillBody,
  ValidateResponse,
  ZipBody,
} from "./skills.schemas.ts";

const tags = ["Skills"];

/** Room for multipart framing and the metadata part around a 10 MB skill. */
const SKILL_UPLOAD_LIMIT_BYTES = MAX_SKILL_BUNDLE_BYTES + 1024 * 1024;

/** The three forms a skill upload may take (spec §1.8, §9.1 #5); optional so each validates only its own media type. */
const uploadBody = {
  required: false,
  description:
    "multipart/form-data (`files` parts named by relative path + a `metadata` JSON part), a raw application/zip whose root is the skill folder, or JSON `{source: {type: inline|file|url, …}}`.",
  content: {
    "multipart/form-data": { schema: SkillFilesForm },
    "application/zip": { schema: ZipBody },
    "application/json": { schema: SkillSourceBody },
  },
} as const;

const UPLOAD_ERRORS = [
  "harness_not_found",
  "invalid_skill",
  "payload_too_large",
  "unsupported_media_type",
  "capability_not_supported",
] as const;

export const register = operationRoute("skills.register", {
  tags,
  summary: "Register a skill",
  description:
    "Uploads an Agent Skills folder (SKILL.md at its root, name = folder name). Every rule is checked first (422 lists each problem with file and line; nothing is stored); the bundle is stored under its content hash as version `metadata.version` (else 0.1.0). Limits: 10 MB, 500 files.",
  middleware: limitRequestBody(SKILL_UPLOAD_LIMIT_BYTES),
  request: { params: HarnessIdParam, query: SkillUploadQuery, body: uploadBody },
  responses: {
    201: jsonContent(SkillWriteResponse, "The registered skill and the upload's warnings"),
    ...problemResponses(...AUTH_ERRORS, ...UPLOAD_ERRORS, "skill_exists", "harness_read_only"),
  },
});

export const list = operationRoute("skills.list", {
  tags,
  summary: "List skills",
  request: { params: HarnessIdParam, query: ListSkillsQuery },
  responses: { 200: jsonContent(SkillPage, "A page of skills"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const get = operationRoute("skills.get", {
  tags,
  summary: "Get a skill",
  request: { params: SkillParams },
  responses: { 200: jsonContent(SkillEnvelope, "The skill"), ...problemResponses(...AUTH_ERRORS, "harness_not_found", "skill_not_found") },
});

export const update = operationRoute("skills.update", {
  tags,
  summary: "Update a skill's metadata",
  description: "display_title and category only; never a new version.",
  request: { params: SkillParams, body: { required: true, content: { "application/json": { schema: UpdateSkillBody } } } },
  responses: {
    200: jsonContent(SkillEnvelope, "The skill"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "skill_not_found", "harness_read_only"),
  },
});

export const uninstall = operationRoute("skills.uninstall", {
  tags,
  summary: "Uninstall a skill",
  description:
    "Removes the skill, its versions and bundles. 409 skill_in_use (naming the agents) while agents use it; with force=true it is first removed from them.",
  request: { params: SkillParams, query: UninstallQuery },
  responses: {
    204: { description: "Uninstalled" },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "skill_not_found", "skill_in_use", "harness_read_only"),
  },
});

export const listVersions = operationRoute("skills.listVersions", {
  tags,
  summary: "List a skill's versions",
  request: { params: SkillParams },
  responses: {
    200: jsonContent(SkillVersionsResponse, "Every version, oldest first"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "skill_not_found", "capability_not_supported"),
  },
});

export const rollback = operationRoute("skills.rollback", {
  tags,
  summary: "Roll a skill back to another version",
  description: "Makes the version current again; no bytes are copied.",
  request: { params: SkillParams, body: { required: true, content: { "application/json": { schema: RollbackBody } } } },
  responses: {
    200: jsonContent(SkillVersionChange, "The skill and the version it left"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "skill_not_found",
      "skill_version_not_found",
      "harness_read_only",
      "capability_not_supported",
    ),
  },
});

export const discover = operationRoute("skills.discover", {
  tags,
  summary: "Discover unregistered skill folders",
  description:
    "Skill folders (SKILL.md) in the workspace and in the agents' packages, under the search paths, each flagged already_registered.",
  request: { params: HarnessIdParam, body: { required: false, content: { "application/json": { schema: DiscoverBody } } } },
  responses: {
    200: jsonContent(DiscoverResponse, "What was found"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "capability_not_supported"),
  },
});

export const validate = operationRoute("skills.validate", {
  tags,
  summary: "Validate a skill without installing it",
  description: "Every problem with its file and line, errors apart from warnings, in the 200 body. Installs nothing.",
  middleware: limitRequestBody(SKILL_UPLOAD_LIMIT_BYTES),
  request: { params: HarnessIdParam, body: uploadBody },
  responses: {
    200: jsonContent(ValidateResponse, "The verdict"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "payload_too_large", "unsupported_media_type", "capability_not_supported"),
  },
});

export const download = operationRoute("skills.download", {
  tags,
  summary: "Download a skill version's bundle",
  description: "The exact stored bytes of the current version, or of ?version=.",
  request: { params: SkillParams, query: DownloadQuery },
  responses: {
    200: { description: "The zip", content: { "application/zip": { schema: z.string().openapi({ type: "string", format: "binary" }) } } },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "skill_not_found", "skill_version_not_found", "upstream_unavailable"),
  },
});

export const upgrade = operationRoute("skills.upgrade", {
  tags,
  summary: "Upload a new version of a skill",
  description:
    "Same forms as register; the name must stay. The version (SKILL.md metadata.version) must be greater than the current one; without one the next patch version is assigned. History is kept.",
  middleware: limitRequestBody(SKILL_UPLOAD_LIMIT_BYTES),
  request: { params: SkillParams, query: SkillUploadQuery, body: uploadBody },
  responses: {
    200: jsonContent(SkillVersionChange, "The skill and the version it replaced"),
    ...problemResponses(...AUTH_ERRORS, ...UPLOAD_ERRORS, "skill_not_found", "skill_version_conflict", "harness_read_only"),
  },
});
