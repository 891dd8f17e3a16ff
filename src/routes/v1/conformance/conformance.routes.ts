import { z } from "@hono/zod-openapi";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { LastEventIdHeader } from "../../../openapi/schemas.ts";
import { operationRoute } from "../../operation-route.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  ConformanceRunPage,
  ConformanceStatusSchema,
  ResultsQuery,
  RunConformanceBody,
  RunConformanceResponse,
  StreamQuery,
} from "./conformance.schemas.ts";

const tags = ["Conformance and diagnostics"];

export const run = operationRoute("conformance.run", {
  tags,
  summary: "Run the conformance checklist against this harness",
  description:
    "Starts a run of every applicable checklist behaviour (85 in 13 categories, gated on the harness's capability manifest, plus the cross-cutting checks and the golden rule). The run lives in its own Durable Object and calls this harness over HTTP as any client would, with an API key of the organization minted for the run and revoked after it (its executions count against the organization's limits). Follow it with stream_url.",
  request: { params: HarnessIdParam, body: { required: false, content: { "application/json": { schema: RunConformanceBody } } } },
  responses: {
    202: jsonContent(RunConformanceResponse, "Started"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_archived", "conformance_running"),
  },
});

export const stream = operationRoute("conformance.stream", {
  tags,
  summary: "Stream a conformance run",
  description:
    "SSE of ConformanceEvent (`test.started`, `test.passed`, `test.failed`, `test.skipped`, `progress`, `done`; a final `error` when the run could not run), resumable with Last-Event-ID; retained a day after the run ended. Also served as POST with a JSON body `{run_id}` (the reference client's form, spec §9.1 #3).",
  request: { params: HarnessIdParam, query: StreamQuery, headers: LastEventIdHeader },
  responses: {
    200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "conformance_run_not_found", "stream_expired"),
  },
});

export const results = operationRoute("conformance.results", {
  tags,
  summary: "Past conformance runs, newest first",
  request: { params: HarnessIdParam, query: ResultsQuery },
  responses: { 200: jsonContent(ConformanceRunPage, "A page of runs"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const status = operationRoute("conformance.status", {
  tags,
  summary: "The harness's conformance standing",
  description: "From the latest finished run: certified, partial, failing or not_tested, with the pass rate and golden-rule compliance.",
  request: { params: HarnessIdParam },
  responses: { 200: jsonContent(ConformanceStatusSchema, "The standing"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});
