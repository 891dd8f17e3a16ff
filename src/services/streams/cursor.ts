import { CURSOR_BEYOND_END_STATUS } from "../../../durable-objects/lib/event-log.ts";
import { ApiError } from "../../errors/api-error.ts";

/**
 * Turns an event log's answer to a cursor beyond its last `seq` (see `EventLog.openSse`) into a 400
 * problem naming the last `seq`; any other response passes.
 * @throws ApiError `validation_error` with `details.last_seq` (the highest valid cursor)
 */
export async function refuseCursorBeyondEnd(response: Response): Promise<void> {
  if (response.status !== CURSOR_BEYOND_END_STATUS) return;
  const { after, last_seq: lastSeq } = await response.json<{ after: number; last_seq: number }>();
  throw new ApiError("validation_error", `No event ${after} was sent on this stream: its last event is ${lastSeq}.`, {
    details: { field: "last-event-id", last_seq: lastSeq },
    actions: [
      {
        rel: "fix-input",
        hint: `Resume with the id of the last event received (at most ${lastSeq}), or omit it to replay from the start.`,
      },
    ],
  });
}
