/**
 * Token estimates without a tokenizer: about four characters a token for English text and JSON, which
 * is what providers document as a rule of thumb. Used for context-window pre-checks and the scripted
 * model's usage figures — never for billing (providers report real usage).
 */

/** Characters per token in the estimate. */
export const CHARS_PER_TOKEN = 4;

/** Approximate token count of `chars` characters: ceil(chars / 4). */
export function approxTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
