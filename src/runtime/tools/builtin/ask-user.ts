/**
 * `ask_user`: the model asks the person a question and the run waits for the answer.
 * The loop handles this tool itself (it pauses the run instead of executing anything): the
 * `ExecutionRun` records the pending question, stops its loop, and resumes when input arrives through
 * `execution.sendInput` or a session's WebSocket `stdin`, or when the input timeout passes.
 */
import { z } from "zod";
import { ToolError } from "../contract.ts";
import { defineTool } from "../define.ts";

/** Name of the tool the loop intercepts. */
export const ASK_USER_TOOL = "ask_user";

/** Default time a run waits for an answer, in seconds (capability ref config `timeout_seconds` overrides). */
export const DEFAULT_INPUT_TIMEOUT_SECONDS = 600;
/** Bounds of the configurable input timeout, in seconds. */
export const MIN_INPUT_TIMEOUT_SECONDS = 1;
export const MAX_INPUT_TIMEOUT_SECONDS = 24 * 60 * 60;

/** Input of `ask_user`. */
export const askUserInput = z.object({
  prompt: z.string().min(1).max(2000).describe("The question to show the person, e.g. 'Do you want to continue? [y/n]'."),
});

/** The tool definition the model sees. Executing it directly is a bug: the loop intercepts it. */
export const askUserTool = defineTool({
  name: ASK_USER_TOOL,
  description:
    "Ask the person running this task a question and wait for their answer. Use it when you need a decision or information only they have.",
  inputSchema: askUserInput,
  async execute() {
    throw new ToolError("not_interactive", "ask_user is handled by the run loop.");
  },
});

/** The input timeout from an `ask_user` capability ref's config, clamped to the bounds. */
export function inputTimeoutSeconds(config: Record<string, unknown> | undefined): number {
  const raw = Number(config?.timeout_seconds ?? DEFAULT_INPUT_TIMEOUT_SECONDS);
  if (!Number.isFinite(raw)) return DEFAULT_INPUT_TIMEOUT_SECONDS;
  return Math.min(MAX_INPUT_TIMEOUT_SECONDS, Math.max(MIN_INPUT_TIMEOUT_SECONDS, Math.round(raw)));
}
