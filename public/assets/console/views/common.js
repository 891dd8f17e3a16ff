// Building blocks shared by the views: data loading, problem bodies, capability gates, form fields.
import { ApiProblem } from "../lib/api.js";
import { html, useCallback, useEffect, useRef, useState } from "../lib/html.js";

/** Retries of a load that failed on the network (not an API answer), and the pause before each, ms. */
const NETWORK_RETRIES = 3;
const NETWORK_RETRY_MS = 1000;

/**
 * Runs `load(signal)` when `deps` change: `{ data, error, loading, reload, setData }`. A load that fails
 * on the network (a dropped connection) is retried a few times before the error shows; a failed reload
 * keeps the data it had. A 501 from the API is an error like any other; views show it with
 * {@link ProblemNotice}, which says "not supported".
 */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const data = await load(controller.signal);
          if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
          return;
        } catch (error) {
          if (controller.signal.aborted) return;
          if (!(error instanceof ApiProblem) && error?.name !== "SignedOut" && attempt < NETWORK_RETRIES) {
            await new Promise((resolve) => setTimeout(resolve, NETWORK_RETRY_MS));
            continue;
          }
          setState((s) => ({ data: s.data, error, loading: false }));
          return;
        }
      }
    })();
    return () => controller.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((update) => setState((s) => ({ ...s, data: typeof update === "function" ? update(s.data) : update })), []);
  return { ...state, reload, setData };
}

/** Sets the document title while mounted. */
export function useTitle(title) {
  useEffect(() => {
    document.title = `${title} · EdgeHarness console`;
  }, [title]);
}

/** Says `message` to screen readers (the shared polite live region). */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  setTimeout(() => (region.textContent = message), 50);
}

export function Loading({ what = "Loading" }) {
  return html`<p class="muted" role="status">${what}…</p>`;
}

/** What a capability gate decided: `{ ok, reason }` for `domain.op` of a manifest (`op` optional: the domain). */
export function capability(manifest, domain, op) {
  const cap = manifest?.[domain];
  if (!manifest) return { ok: true };
  if (!cap?.supported) return { ok: false, reason: cap?.limitations?.[0] ?? `This harness does not support ${domain}.` };
  if (op && !cap.operations.includes(op))
    return { ok: false, reason: cap.limitations?.find((l) => l.includes(op)) ?? `This harness does not support ${domain} ${op}.` };
  return { ok: true };
}

/** The note shown where an operation is not served: the manifest or a 501 said so. */
export function Unsupported({ what, reason, operation }) {
  return html`<div class="notice unsupported" role="note">
    <strong>${what} is not available for this harness.</strong>
    <p>${reason ?? "The harness answered 501 capability_not_supported."}${operation ? html` <code>${operation}</code>` : null}</p>
    <p class="muted">The harness's capability manifest lists what it serves; this view lights up when it does.</p>
  </div>`;
}

/** A problem body, readable: detail, code, request id and the next steps the API offered. */
export function ProblemNotice({ error, what }) {
  if (!error) return null;
  if (error instanceof ApiProblem && error.unsupported)
    return html`<${Unsupported} what=${what ?? "This"} reason=${error.body?.detail} operation=${error.body?.error?.operation} />`;
  const actions = error instanceof ApiProblem ? (error.body.allowed_actions ?? []) : [];
  return html`<div class="notice error" role="alert">
    <strong>${error instanceof ApiProblem ? (error.body.title ?? "Request failed") : "Something went wrong"}</strong>
    <p>${error.message}</p>
    ${
      actions.length > 0
        ? html`<ul class="actions-list">
            ${actions.map((a) => html`<li>${a.href && a.href.startsWith("/console") ? html`<a href=${a.href}>${a.hint ?? a.rel}</a>` : (a.hint ?? a.rel)}</li>`)}
          </ul>`
        : null
    }
    ${
      error instanceof ApiProblem
        ? html`<p class="muted small">${error.code}${error.body.request_id ? ` · ${error.body.request_id}` : ""}</p>`
        : null
    }
  </div>`;
}

/** A local date and time, with the ISO value for machines. */
export function Time({ iso }) {
  if (!iso) return html`<span class="muted">—</span>`;
  const date = new Date(iso);
  return html`<time datetime=${iso} title=${iso}>${date.toLocaleString()}</time>`;
}

export function Json({ value, label }) {
  return html`<pre class="json" aria-label=${label}>${JSON.stringify(value, null, 2)}</pre>`;
}

export function Badge({ tone = "neutral", children }) {
  return html`<span class=${`badge ${tone}`}>${children}</span>`;
}

const STATUS_TONES = {
  completed: "ok",
  active: "ok",
  running: "info",
  pending: "info",
  paused: "warn",
  archived: "warn",
  failed: "bad",
  cancelled: "warn",
  ended: "neutral",
  deleted: "bad",
};

export function Status({ value }) {
  return html`<${Badge} tone=${STATUS_TONES[value] ?? "neutral"}>${value}<//>`;
}

let fieldIds = 0;
/** A labelled input with its error message (from a problem's `details.issues`), wired for screen readers. */
export function Field({ label, name, errors, hint, children, render }) {
  const id = useRef(`f${++fieldIds}`).current;
  const error =
    errors?.[`body.${name}`] ??
    Object.entries(errors ?? {}).find(([field]) => field.startsWith(`body.${name}.`) || field.startsWith(`body.${name}[`))?.[1];
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return html`<div class=${`field${error ? " invalid" : ""}`}>
    <label for=${id}>${label}</label>
    ${render({ id, name, "aria-describedby": describedBy, "aria-invalid": error ? "true" : undefined })}
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${error ? html`<p class="field-error" id=${`${id}-error`}>${error}</p>` : null} ${children}
  </div>`;
}

/** A button that asks again inline before it acts (no browser dialog). */
export function ConfirmButton({ label, confirm, onConfirm, tone = "danger", disabled }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) return html`<button type="button" class=${tone} disabled=${disabled} onClick=${() => setAsking(true)}>${label}</button>`;
  return html`<span class="confirm" role="group" aria-label=${confirm}>
    <span>${confirm}</span>
    <button
      type="button"
      class=${tone}
      disabled=${busy}
      onClick=${async () => {
        setBusy(true);
        try {
          await onConfirm();
        } finally {
          setBusy(false);
          setAsking(false);
        }
      }}
    >
      Yes, ${label.toLowerCase()}
    </button>
    <button type="button" onClick=${() => setAsking(false)}>Cancel</button>
  </span>`;
}

/** Bytes as B / KiB / MiB. */
export function bytes(n) {
  if (n === undefined || n === null) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * A table in its scrolling wrapper (`.table-wrap`): `columns` the column headings (text or markup),
 * `children` the body rows; optional `className` for the table and `caption` (visually hidden, for
 * screen readers).
 */
export function Table({ columns, className, caption, children }) {
  return html`<div class="table-wrap">
    <table class=${className}>
      ${
        caption
          ? html`<caption class="visually-hidden">
              ${caption}
            </caption>`
          : null
      }
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col">${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${children}
      </tbody>
    </table>
  </div>`;
}

/** True when a paged list ({@link usePaged}) loaded no item and no error: time for its "none yet" line. */
export function pageEmpty(page) {
  return page.items.length === 0 && !page.loading && !page.error;
}

/**
 * The foot of a paged list ({@link usePaged}): "Loading…" while a page loads, and a "Load more" button
 * while the API has more.
 */
export function PageFoot({ page }) {
  const loading = page.loading ? html`<${Loading} />` : null;
  const more = page.more ? html`<button type="button" onClick=${page.more}>Load more</button>` : null;
  return html`${loading} ${more}`;
}

/** A page of a paginated list with "Load more" (cursor paging of the API); a null `path` loads nothing. */
export function usePaged(client, path, deps) {
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState();
  const [state, setState] = useState({ loading: true, error: undefined, total: undefined });
  const load = useCallback(
    async (after, signal) => {
      setState((s) => ({ ...s, loading: true, error: undefined }));
      try {
        const sep = path.includes("?") ? "&" : "?";
        const page = await client.get(`${path}${after ? `${sep}cursor=${encodeURIComponent(after)}` : ""}`, { signal });
        setItems((prev) => (after ? [...prev, ...page.data] : page.data));
        setCursor(page.has_more ? page.cursor : undefined);
        setState({ loading: false, error: undefined, total: page.total });
      } catch (error) {
        if (!signal?.aborted) setState({ loading: false, error, total: undefined });
      }
    },
    [client, path],
  );
  useEffect(() => {
    const controller = new AbortController();
    setItems([]);
    if (path === null) setState({ loading: false, error: undefined, total: 0 });
    else load(undefined, controller.signal);
    return () => controller.abort();
  }, [path, ...deps]);
  return { items, setItems, ...state, more: cursor ? () => load(cursor) : undefined, reload: () => load(undefined) };
}
