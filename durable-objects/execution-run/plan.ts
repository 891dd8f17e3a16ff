/**
 * An execution's plan (Open Harness domain 12): its todo list, kept by the run's `ExecutionRun` so it
 * survives eviction and resume, and streamed as it changes. The object holds one `PlanStore` and calls
 * it from its RPC methods (planning.*), from the planning tool (through the {@link PlanPort} it hands to
 * the tools) and when the run finishes (close the streams) or its retention passes (purge the events).
 *
 * Storage layout (the run's SQLite):
 *   plan_tasks   id TEXT PRIMARY KEY, ord (1-based position), content, status, created_at, updated_at
 *   plan_meta    one row (id = 1): updated_at of the plan (absent until the first change)
 *   plan_events  the plan's event log (`durable-objects/lib/event-log.ts`): `task.added`, `task.updated`,
 *                `task.removed`, `plan.reordered` (spec §6.4), `seq` = SSE id, resumable with Last-Event-ID
 *
 * Every change is one transaction that rewrites the list and appends the events of its diff: removed
 * tasks first, then added and updated ones in list order, then `plan.reordered` (the full new order)
 * when any task that stayed changed position — so a client applying the events in order holds the same
 * list as `planning.get`.
 */
import { newId } from "../../src/lib/ids.ts";
import type { PlanPort, PlanTaskItem, PlanTodo } from "../../src/runtime/tools/ports.ts";
import { ToolError } from "../../src/runtime/tools/contract.ts";
import { EventLog } from "../lib/event-log.ts";

/** Most tasks one plan holds. */
export const MAX_PLAN_TASKS = 100;
/** Longest task content, in characters. */
export const MAX_PLAN_TASK_CHARS = 2_000;
/** Most plan events kept (older ones are trimmed; the plan itself is always whole). */
export const MAX_PLAN_EVENTS = 5_000;
/** Client-chosen task ids: what a path segment can carry safely. */
export const PLAN_TASK_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Open Harness `PlanTask` status. */
export type PlanTaskStatus = "pending" | "in_progress" | "completed";

/** Open Harness `PlanTask`; `order` is the 1-based position in the plan. */
export type PlanTask = PlanTaskItem;

/** Open Harness `Plan`. */
export interface Plan {
  execution_id: string;
  tasks: PlanTask[];
  /** ISO 8601; the run's start time until the plan first changes. */
  updated_at: string;
}

/** Open Harness `PlanEvent` (spec §6.4): `type` inside the data and as the SSE event name. */
export type PlanEvent =
  | { type: "task.added"; task: PlanTask }
  | { type: "task.updated"; task: PlanTask }
  | { type: "task.removed"; task_id: string }
  | { type: "plan.reordered"; task_ids: string[] };

/** A task as a client sends it in planning.update's `tasks` (ids and order optional). */
export interface PlanTaskInput {
  id?: string;
  content: string;
  status?: PlanTaskStatus;
  order?: number;
}

/**
 * A change to the plan: `tasks` replaces the whole list (spec planning.update: tasks with a known id are
 * kept and updated, new ones added, missing ones removed, the list order is the new order); or the
 * incremental form — `remove` these ids, put the remaining tasks in `order` (all their ids), then `add`
 * tasks (each at the end, or after task `after`).
 */
export type PlanChange = { tasks: PlanTaskInput[] } | { remove?: string[]; order?: string[]; add?: (PlanTaskInput & { after?: string })[] };

/** A change to one task (planning.updateTask). */
export interface PlanTaskPatch {
  content?: string;
  status?: PlanTaskStatus;
}

/** How a plan change came out: done, or refused with a code the service maps to a problem. */
export type PlanOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; code: "validation_error" | "plan_task_not_found"; message: string; field?: string; taskId?: string };

/** Completed and total tasks, and the task in progress (its content), for `progress` events. */
export interface PlanProgress {
  completed: number;
  total: number;
  current: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS plan_tasks (
  id TEXT PRIMARY KEY,
  ord INTEGER NOT NULL,
  content TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plan_meta (id INTEGER PRIMARY KEY CHECK (id = 1), updated_at TEXT NOT NULL);
`;

interface TaskRow {
  id: string;
  ord: number;
  content: string;
  status: PlanTaskStatus;
  created_at: string;
  updated_at: string;
}

function refused(code: "validation_error" | "plan_task_not_found", message: string, extra: { field?: string; taskId?: string } = {}) {
  return { ok: false as const, code, message, ...extra };
}

/** The plan of one run, in the run's SQLite. */
export class PlanStore {
  readonly events: EventLog<PlanEvent>;
  /** Open plan streams of this instance, closed when the run finishes. */
  private readonly streams = new Set<AbortController>();

  /**
   * @param sql the run's SQLite
   * @param onChange called after every change that altered the plan (the run reports progress from it)
   */
  constructor(
    private readonly sql: SqlStorage,
    private readonly transaction: <T>(fn: () => T) => T,
    private readonly onChange: (progress: PlanProgress) => void,
  ) {
    sql.exec(SCHEMA);
    this.events = new EventLog<PlanEvent>(sql, "plan_events");
  }

  /** The tasks in order (optionally only those with `status`). */
  tasks(status?: PlanTaskStatus): PlanTask[] {
    return this.rows()
      .filter((r) => !status || r.status === status)
      .map(toTask);
  }

  /** The plan of execution `executionId`; `startedAt` stands for `updated_at` until it first changes. */
  plan(executionId: string, startedAt: string): Plan {
    const meta = this.sql.exec<{ updated_at: string }>("SELECT updated_at FROM plan_meta WHERE id = 1").toArray()[0];
    return { execution_id: executionId, tasks: this.tasks(), updated_at: meta?.updated_at ?? startedAt };
  }

  /** Completed/total and the task in progress, or `null` while the plan is empty. */
  progress(): PlanProgress | null {
    const tasks = this.rows();
    if (tasks.length === 0) return null;
    return {
      completed: tasks.filter((t) => t.status === "completed").length,
      total: tasks.length,
      current: tasks.find((t) => t.status === "in_progress")?.content ?? null,
    };
  }

  /** Applies `change` (see {@link PlanChange}), emitting the events of its diff. */
  apply(change: PlanChange): PlanOutcome<PlanTask[]> {
    const current = this.rows();
    let next: PlanTaskInput[];
    if ("tasks" in change) {
      next = change.tasks
        .map((t, i) => ({ t, key: t.order ?? i + 1, i }))
        .sort((a, b) => a.key - b.key || a.i - b.i)
        .map(({ t }) => t);
    } else {
      const remove = new Set(change.remove ?? []);
      for (const id of remove) {
        if (!current.some((t) => t.id === id))
          return refused("plan_task_not_found", `The plan has no task ${id}.`, { field: "body.remove", taskId: id });
      }
      let kept: PlanTaskInput[] = current.filter((t) => !remove.has(t.id));
      if (change.order) {
        const wanted = new Set(change.order);
        const keptIds = kept.map((t) => t.id!);
        if (wanted.size !== change.order.length || keptIds.length !== wanted.size || keptIds.some((id) => !wanted.has(id))) {
          return refused("validation_error", "body.order: must list every remaining task id exactly once.", { field: "body.order" });
        }
        const byId = new Map(kept.map((t) => [t.id!, t]));
        kept = change.order.map((id) => byId.get(id)!);
      }
      for (const add of change.add ?? []) {
        const { after, ...task } = add;
        if (after === undefined) {
          kept.push(task);
          continue;
        }
        const at = kept.findIndex((t) => t.id === after);
        if (at < 0)
          return refused("plan_task_not_found", `The plan has no task ${after} to add after.`, { field: "body.add.after", taskId: after });
        kept.splice(at + 1, 0, task);
      }
      next = kept;
    }
    return this.replace(next);
  }

  /**
   * Replaces the list with `inputs` in order: a task whose `id` is in the plan is updated (content and
   * status; a missing status keeps its own), any other is added (with its own id when it brings a free
   * one, else a new `task_…` id), tasks left out are removed.
   */
  replace(inputs: PlanTaskInput[]): PlanOutcome<PlanTask[]> {
    if (inputs.length > MAX_PLAN_TASKS)
      return refused("validation_error", `A plan holds at most ${MAX_PLAN_TASKS} tasks.`, { field: "body.tasks" });
    const current = this.rows();
    const byId = new Map(current.map((t) => [t.id, t]));
    const seen = new Set<string>();
    const next: PlanTask[] = [];
    for (const [i, input] of inputs.entries()) {
      if (input.content.length === 0 || input.content.length > MAX_PLAN_TASK_CHARS) {
        return refused("validation_error", `tasks[${i}].content: must be 1–${MAX_PLAN_TASK_CHARS} characters.`, {
          field: `body.tasks[${i}].content`,
        });
      }
      if (input.id !== undefined && !PLAN_TASK_ID_PATTERN.test(input.id)) {
        return refused("validation_error", `tasks[${i}].id: 1–64 letters, digits, _ . : or -.`, { field: `body.tasks[${i}].id` });
      }
      const id = input.id ?? newId("planTask");
      if (seen.has(id)) return refused("validation_error", `tasks[${i}].id: ${id} appears twice.`, { field: `body.tasks[${i}].id` });
      seen.add(id);
      next.push({ id, content: input.content, status: input.status ?? byId.get(id)?.status ?? "pending", order: next.length + 1 });
    }
    this.write(current, next);
    return { ok: true, value: next };
  }

  /** Changes one task's content and/or status (planning.updateTask). */
  updateTask(taskId: string, patch: PlanTaskPatch): PlanOutcome<PlanTask> {
    const current = this.rows();
    const task = current.find((t) => t.id === taskId);
    if (!task) return refused("plan_task_not_found", `The plan has no task ${taskId}.`, { taskId });
    if (patch.content !== undefined && (patch.content.length === 0 || patch.content.length > MAX_PLAN_TASK_CHARS)) {
      return refused("validation_error", `content: must be 1–${MAX_PLAN_TASK_CHARS} characters.`, { field: "body.content" });
    }
    const next = current.map(toTask).map((t) => (t.id === taskId ? { ...t, ...patch } : t));
    this.write(current, next);
    return { ok: true, value: next.find((t) => t.id === taskId)! };
  }

  /**
   * The planning tool's write (`write_todos`): the whole list, as contents and statuses. A todo keeps the
   * id of a task with the same content (the first not yet matched), so a status change reads as
   * `task.updated`, not as a removal and an addition.
   */
  writeTodos(todos: PlanTodo[]): PlanTask[] {
    const free = this.rows();
    const inputs = todos.map((todo) => {
      const match = free.findIndex((t) => t.content === todo.content);
      const id = match >= 0 ? free.splice(match, 1)[0]!.id : undefined;
      return { ...(id ? { id } : {}), content: todo.content, status: todo.status };
    });
    const outcome = this.replace(inputs);
    if (!outcome.ok) throw new ToolError(outcome.code, outcome.message);
    return outcome.value;
  }

  /** The port the planning tool reaches the plan through. */
  port(): PlanPort {
    return {
      read: async () => this.tasks(),
      writeTodos: async (todos) => this.writeTodos(todos),
    };
  }

  /**
   * A live SSE stream of plan events after `after`, closing when the client goes away, when `finished()`
   * says the run is over (after the replay), or when {@link closeStreams} is called as it finishes.
   */
  openStream(after: number, signal: AbortSignal, finished: () => boolean): Response {
    const closer = new AbortController();
    this.streams.add(closer);
    const done = () => this.streams.delete(closer);
    signal.addEventListener("abort", done, { once: true });
    closer.signal.addEventListener("abort", done, { once: true });
    return this.events.openSse(after, AbortSignal.any([signal, closer.signal]), { isTerminal: () => false, finished });
  }

  /** Closes every open plan stream of this instance (the run has finished). */
  closeStreams(): void {
    for (const closer of this.streams) closer.abort();
    this.streams.clear();
  }

  /** Deletes the plan's events (retention); the plan itself stays. */
  purgeEvents(): void {
    this.events.purge();
  }

  private rows(): TaskRow[] {
    return this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM plan_tasks ORDER BY ord").toArray() as unknown as TaskRow[];
  }

  /** Rewrites the list to `next` and appends the events of the diff, in one transaction; calls `onChange` when anything changed. */
  private write(current: TaskRow[], next: PlanTask[]): void {
    const now = new Date().toISOString();
    const before = new Map(current.map((t) => [t.id, t]));
    const after = new Set(next.map((t) => t.id));
    const events: PlanEvent[] = [];
    for (const t of current) if (!after.has(t.id)) events.push({ type: "task.removed", task_id: t.id });
    for (const t of next) {
      const old = before.get(t.id);
      if (!old) events.push({ type: "task.added", task: t });
      else if (old.content !== t.content || old.status !== t.status) events.push({ type: "task.updated", task: t });
    }
    const kept = next.filter((t) => before.has(t.id));
    if (kept.some((t) => before.get(t.id)!.ord !== t.order)) events.push({ type: "plan.reordered", task_ids: next.map((t) => t.id) });
    if (events.length === 0) return;
    this.transaction(() => {
      this.sql.exec("DELETE FROM plan_tasks");
      for (const t of next) {
        const old = before.get(t.id);
        const changed = !old || old.content !== t.content || old.status !== t.status;
        this.sql.exec(
          "INSERT INTO plan_tasks (id, ord, content, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
          t.id,
          t.order,
          t.content,
          t.status,
          old?.created_at ?? now,
          changed ? now : old.updated_at,
        );
      }
      this.sql.exec(
        "INSERT INTO plan_meta (id, updated_at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at",
        now,
      );
      for (const event of events) this.events.append(event);
      this.events.trimTo(MAX_PLAN_EVENTS);
    });
    this.onChange(this.progress() ?? { completed: 0, total: 0, current: null });
  }
}

function toTask(r: TaskRow): PlanTask {
  return { id: r.id, content: r.content, status: r.status, order: r.ord };
}
