/**
 * Builds an AI SDK language model for a resolved model id. Credentials are passed in (the service
 * layer resolved and, where stored, decrypted them); nothing here reads secrets on its own.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createWorkersAI } from "workers-ai-provider";
import type { ProviderName } from "./providers.ts";
import { createScriptedModel } from "./scripted.ts";

/** Everything needed to call one model. */
export interface ModelTarget {
  provider: ProviderName;
  model: string;
  apiKey?: string;
  baseUrl?: string;
}

/**
 * The language model for `target`. OpenAI models use the Chat Completions API.
 * @throws Error when a `workers-ai` model is asked for without an `AI` binding, or the script is unknown.
 */
export function createLanguageModel(target: ModelTarget, ai?: Ai): LanguageModelV4 {
  switch (target.provider) {
    case "scripted":
      return createScriptedModel(target.model);
    case "anthropic":
      return createAnthropic({ apiKey: target.apiKey, ...(target.baseUrl ? { baseURL: target.baseUrl } : {}) })(
        target.model,
      ) as LanguageModelV4;
    case "openai":
      return createOpenAI({ apiKey: target.apiKey, ...(target.baseUrl ? { baseURL: target.baseUrl } : {}) }).chat(
        target.model,
      ) as LanguageModelV4;
    case "openai-compatible":
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL: target.baseUrl ?? "",
        ...(target.apiKey ? { apiKey: target.apiKey } : {}),
        includeUsage: true,
      }).chatModel(target.model) as LanguageModelV4;
    case "workers-ai":
      if (!ai) throw new Error("workers-ai models need an AI binding");
      return createWorkersAI({ binding: ai })(
        target.model as Parameters<ReturnType<typeof createWorkersAI>>[0],
      ) as unknown as LanguageModelV4;
  }
}
