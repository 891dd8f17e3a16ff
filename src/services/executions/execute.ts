import type { AuthedContext, VerbArgs } from "../context.ts";
import { startSessionTurn } from "../sessions/turns.ts";
import { startExecution, type ExecuteInput, type StartedExecution } from "./start.ts";

/**
 * execution.run / execution.stream: a one-shot run, or — with `session_id` — the next turn of that
 * session (queued behind a turn in progress, with the session's history as context). Returns once the
 * run has started.
 * @throws ApiError `session_not_found` (404) for an unknown session, `session_paused`/`session_ended` (409),
 *   and everything {@link startExecution} raises.
 */
export async function execute({
  ctx,
  input,
}: VerbArgs<
  AuthedContext,
  { ref: string; operationId: "execution.run" | "execution.stream"; body: ExecuteInput }
>): Promise<StartedExecution> {
  const { body } = input;
  if (!body.session_id) return startExecution({ ctx, input });
  const { found, executionId } = await startSessionTurn({
    ctx,
    input: {
      ref: input.ref,
      sessionId: body.session_id,
      content: body.message,
      ...(body.agent_id ? { agentId: body.agent_id } : {}),
      overrides: {
        ...(body.model ? { model: body.model } : {}),
        ...(body.max_tokens !== undefined ? { max_tokens: body.max_tokens } : {}),
        ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
        ...(body.system_prompt ? { system_prompt: body.system_prompt } : {}),
      },
    },
  });
  return { executionId, harness: found.harness, status: "pending" };
}
