/** One parsed SSE frame. */
export interface SseFrame {
  id: string | undefined;
  event: string | undefined;
  data: any;
}

/**
 * Reads SSE frames from `response` until a terminal event (`done` / non-recoverable `error`), or until
 * `max` frames were read — then cancels the body, like a client that disconnects.
 */
export async function readSse(response: Response, options: { max?: number } = {}): Promise<SseFrame[]> {
  if (!response.body) throw new Error("no body");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const frames: SseFrame[] = [];
  let buffer = "";
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += chunk.value;
      let split: number;
      while ((split = buffer.indexOf("\n\n")) >= 0) {
        const raw = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        if (raw.startsWith(":")) continue;
        const frame: SseFrame = { id: undefined, event: undefined, data: undefined };
        for (const line of raw.split("\n")) {
          const colon = line.indexOf(":");
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") frame.id = value;
          else if (field === "event") frame.event = value;
          else if (field === "data") frame.data = JSON.parse(value);
        }
        frames.push(frame);
        if (options.max !== undefined && frames.length >= options.max) return frames;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return frames;
}
