import { ERROR_TABLE, type ErrorCode } from "./table.ts";

/**
 * An agent-actionable recovery hint (`allowed_actions[]` of the problem body).
 * `rel` names the relation (retry, get-existing, wait, fix-input …); `operation_id` is the spec id to call.
 */
export interface AllowedAction {
  rel: string;
  hint?: string;
  operation_id?: string;
  href?: string;
}

/** Options carried by an {@link ApiError} into its problem body. */
export interface ApiErrorOptions {
  /** Recovery actions for the caller. */
  actions?: AllowedAction[];
  /** Free-form details echoed in `error.details` (e.g. `{ field: "message" }`). Never secrets. */
  details?: Record<string, unknown>;
  /** Open Harness domain of the failing operation (e.g. `execution`). */
  domain?: string;
  /** Open Harness operation (e.g. `execution.run`). */
  operation?: string;
  /** Seconds until a retry may succeed (429 / 503). Also sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** The underlying cause, logged with the request id and never sent to the client. */
  cause?: unknown;
}

/**
 * A failure with a stable code from the error table. Services throw it; the HTTP layer turns it into
 * an RFC 9457 problem body (see `errors/problem.ts`). Carries no HTTP framework types.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly actions: AllowedAction[];
  readonly details: Record<string, unknown> | undefined;
  readonly domain: string | undefined;
  readonly operation: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, detail: string, options: ApiErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.title = ERROR_TABLE[code].title;
    this.actions = options.actions ?? [];
    this.details = options.details;
    this.domain = options.domain;
    this.operation = options.operation;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
