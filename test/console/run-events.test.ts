/**
 * The console's reading of an execution's events (public/assets/console/views/runs.js): what a person
 * sees once a `run_resumed` restart's abandoned attempt is dropped, and a plan kept current by PlanEvents.
 * The live page itself is checked in Chromium by `npm run console:check`.
 */
import { describe, expect, it } from "vitest";
// @ts-expect-error — the console's modules are plain ES modules for the browser (no type declarations).
import { applyPlanEvent, project } from "../../public/assets/console/views/runs.js";

const event = (seq: number, data: Record<string, unknown>) => ({ seq, type: data.type as string, data });

describe("the run page's view of the events", () => {
  it("drops the events of an attempt abandoned by run_resumed, keeps finished tool calls once", () => {
    const events = [
      event(1, { type: "tool_call_start", id: "tc_1", name: "write_file", input: { path: "a.txt" } }),
      event(2, { type: "tool_result", id: "tc_1", success: true, output: { ok: true } }),
      event(3, { type: "text", content: "Half an ans" }),
      event(4, { type: "text", content: "wer that was cut" }),
      event(5, { type: "error", code: "run_resumed", message: "resumed", recoverable: true, abandoned_from_seq: 3 }),
      event(6, { type: "text", content: "The whole answer." }),
      event(7, { type: "artifact", id: "art_1", name: "a.txt", mime_type: "text/plain", size_bytes: 2 }),
      event(8, { type: "done", usage: { input_tokens: 5, output_tokens: 7, total_tokens: 12 } }),
    ];
    const view = project(events);
    expect(view.text).toBe("The whole answer.");
    expect(view.tools).toEqual([{ id: "tc_1", name: "write_file", input: { path: "a.txt" }, status: "completed", output: { ok: true } }]);
    expect(view.artifacts).toHaveLength(1);
    expect(view.errors.map((e: { code: string }) => e.code)).toEqual(["run_resumed"]);
    expect(view).toMatchObject({ done: true, usage: { total_tokens: 12 } });
  });

  it("shows a waiting question until the ask_user call has its result", () => {
    const waiting = project([
      event(1, { type: "tool_call_start", id: "tc_1", name: "ask_user", input: { prompt: "Continue?" } }),
      event(2, { type: "progress", percentage: 50, step: "waiting for input: Continue?", step_number: 1, total_steps: 2 }),
    ]);
    expect(waiting.waiting).toBe("Continue?");
    const answered = project([
      event(1, { type: "tool_call_start", id: "tc_1", name: "ask_user", input: { prompt: "Continue?" } }),
      event(2, { type: "progress", percentage: 50, step: "waiting for input: Continue?", step_number: 1, total_steps: 2 }),
      event(3, { type: "tool_result", id: "tc_1", success: true, output: { answer: "yes" } }),
    ]);
    expect(answered.waiting).toBeUndefined();
  });

  it("keeps a plan current from task.added / task.updated / task.removed / plan.reordered", () => {
    let tasks = applyPlanEvent([], { type: "task.added", task: { id: "t1", content: "Plan", status: "pending", order: 0 } });
    tasks = applyPlanEvent(tasks, { type: "task.added", task: { id: "t2", content: "Do", status: "pending", order: 1 } });
    tasks = applyPlanEvent(tasks, { type: "task.updated", task: { id: "t1", content: "Plan", status: "completed", order: 0 } });
    tasks = applyPlanEvent(tasks, { type: "plan.reordered", task_ids: ["t2", "t1"] });
    expect(tasks.map((t: { id: string; order: number; status: string }) => [t.id, t.order, t.status])).toEqual([
      ["t2", 0, "pending"],
      ["t1", 1, "completed"],
    ]);
    expect(applyPlanEvent(tasks, { type: "task.removed", task_id: "t2" }).map((t: { id: string }) => t.id)).toEqual(["t1"]);
  });
});
