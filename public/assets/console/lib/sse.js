// Server-sent events over fetch: EventSource cannot send an Authorization header, so the console reads
// text/event-stream itself (WHATWG HTML §9.2 parsing: `id`, `event`, `data` fields, blank line ends an
// event, `:` comments ignored) and reconnects on its own with Last-Event-ID.

import { ApiProblem } from "./api.js";

/** Yields `{ id, event, data }` for each event of a streaming Response body. */
export async function* readEvents(response, signal) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const abort = () => reader.cancel().catch(() => {});
  signal?.addEventListener("abort", abort, { once: true });
  let buffer = "";
  let event = { id: undefined, event: "message", data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") {
          if (event.data.length > 0) yield { id: event.id, event: event.event, data: event.data.join("\n") };
          event = { id: undefined, event: "message", data: [] };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") event.data.push(fieldValue);
        else if (field === "event") event.event = fieldValue;
        else if (field === "id") event.id = fieldValue;
      }
    }
  } finally {
    signal?.removeEventListener("abort", abort);
  }
}

/** Delays between reconnect attempts, ms (then the last one, repeated). */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];

/**
 * Follows an execution's event stream to its end: `open(lastEventId)` returns the Response of
 * execution.attachStream (with Last-Event-ID after a drop). Events are handed to `onEvent` once each, in
 * `seq` order (an id at or below the last one seen is skipped); a dropped connection is reopened after
 * the last seq, with backoff, until a terminal event (`done`, or an `error` that is not recoverable).
 * `onState` hears `live`, `reconnecting`, `ended`, `expired` (410) or `failed` (with the error).
 * Returns a function that stops following.
 */
export function followExecution({ open, onEvent, onState }) {
  const controller = new AbortController();
  let lastSeq = 0;
  let attempt = 0;
  (async () => {
    while (!controller.signal.aborted) {
      let finished = false;
      try {
        const response = await open(lastSeq > 0 ? String(lastSeq) : undefined, controller.signal);
        if (response.status === 410) {
          await response.body?.cancel();
          onState("expired");
          return;
        }
        if (!response.ok) throw new ApiProblem(response.status, await response.json().catch(() => undefined));
        onState("live");
        for await (const message of readEvents(response, controller.signal)) {
          attempt = 0;
          const seq = Number(message.id);
          if (Number.isFinite(seq) && seq <= lastSeq) continue;
          if (Number.isFinite(seq)) lastSeq = seq;
          let data;
          try {
            data = JSON.parse(message.data);
          } catch {
            continue;
          }
          onEvent({ seq, type: data.type ?? message.event, data });
          if (data.type === "done" || (data.type === "error" && !data.recoverable)) finished = true;
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error?.status && error.status < 500 && error.status !== 408 && error.status !== 429) {
          onState("failed", error);
          return;
        }
      }
      if (finished) {
        onState("ended");
        return;
      }
      if (controller.signal.aborted) return;
      onState("reconnecting");
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)];
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, delay);
        const now = () => {
          clearTimeout(timer);
          resolve();
        };
        window.addEventListener("online", now, { once: true });
        controller.signal.addEventListener("abort", now, { once: true });
      });
    }
  })();
  return () => controller.abort();
}
