/**
 * Size limits of request fields shared by several surfaces, named with their units. Limits that belong
 * to one module (workspace reads, zip entries, stream retention) live beside it.
 */

/** Characters of a task or chat message (Open Harness `ExecuteRequest.message`: 1–100000). */
export const MAX_MESSAGE_CHARS = 100_000;
/** Characters of a system prompt a harness, session or request adds. */
export const MAX_SYSTEM_PROMPT_CHARS = 100_000;
/** Characters of an answer to a waiting question (`execution.sendInput`, WebSocket `stdin`). */
export const MAX_INPUT_CHARS = 100_000;
/** Characters of a reference to a resource in a request: an id, a slug or a typed id. */
export const MAX_REF_CHARS = 200;
/** Characters of a model id (`provider/model`). */
export const MAX_MODEL_ID_CHARS = 200;
