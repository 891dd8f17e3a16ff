import { ApiError } from "../../errors/api-error.ts";
import { ToolError } from "../../runtime/tools/contract.ts";

/**
 * Runs a service call for a tool, turning its expected failures (ApiError: not found, limits, …) into
 * ToolErrors with the same code and message, which the model sees as a failed tool result.
 */
export async function asTool<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw new ToolError(error.code, error.message);
    throw error;
  }
}
