// The console's API client. The page holds a short-lived access token for one organization, minted by
// POST /console/token with the sign-in cookie and the page's CSRF token, kept in memory only (never in
// storage), renewed a minute before it expires and once more when an API answers 401.

/** A problem body (RFC 9457) an API answered with, as an Error. */
export class ApiProblem extends Error {
  constructor(status, body) {
    super(body?.detail ?? body?.title ?? `HTTP ${status}`);
    this.status = status;
    this.body = body ?? {};
    this.code = body?.code ?? body?.error?.code ?? `http_${status}`;
  }
  /** Field errors of a validation problem: `{ "body.name": "must be …" }`. */
  get fieldErrors() {
    const issues = this.body?.error?.details?.issues ?? this.body?.details?.issues ?? [];
    return Object.fromEntries(issues.map((i) => [i.field, i.message]));
  }
  /** True when the harness does not serve the operation (501 capability_not_supported). */
  get unsupported() {
    return this.status === 501 || this.code === "capability_not_supported";
  }
}

/** Signed out (the token endpoint answered 401): the app shows a sign-in link. */
export class SignedOut extends Error {
  name = "SignedOut";
}

/** Renew the token this long before it expires, ms. */
const RENEW_BEFORE_MS = 60_000;

async function parse(response) {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 300) };
  }
}

/**
 * A client acting in `orgId`. `request(method, path, {body, form, headers, signal, raw})` answers the
 * parsed JSON (or the Response with `raw`), throwing ApiProblem for an error status.
 */
export function createClient({ orgId, csrf }) {
  let token;
  let expiresAt = 0;
  let minting;
  let organization;

  async function mint() {
    const response = await fetch("/console/token", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({ org_id: orgId }),
    });
    const body = await parse(response);
    if (response.status === 401) throw new SignedOut(body?.detail ?? "Signed out");
    if (!response.ok) throw new ApiProblem(response.status, body);
    token = body.access_token;
    expiresAt = Date.now() + body.expires_in * 1000;
    organization = body.organization;
    return body;
  }

  async function accessToken(force = false) {
    if (!force && token && Date.now() < expiresAt - RENEW_BEFORE_MS) return token;
    minting ??= mint().finally(() => (minting = undefined));
    await minting;
    return token;
  }

  async function fetchWithToken(path, init = {}) {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${await accessToken(attempt > 0)}`);
      const response = await fetch(path, { ...init, headers });
      if (response.status !== 401 || attempt > 0) return response;
      await response.body?.cancel();
    }
  }

  async function request(method, path, options = {}) {
    const headers = new Headers(options.headers);
    let body;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(options.body);
    }
    const response = await fetchWithToken(path, { method, headers, body, signal: options.signal });
    if (options.raw) {
      if (!response.ok) throw new ApiProblem(response.status, await parse(response));
      return response;
    }
    const parsed = await parse(response);
    if (!response.ok) throw new ApiProblem(response.status, parsed);
    return parsed;
  }

  return {
    orgId,
    get organization() {
      return organization;
    },
    accessToken,
    fetch: fetchWithToken,
    request,
    get: (path, options) => request("GET", path, options),
    post: (path, body, options = {}) => request("POST", path, { ...options, body }),
    patch: (path, body, options = {}) => request("PATCH", path, { ...options, body }),
    put: (path, body, options = {}) => request("PUT", path, { ...options, body }),
    del: (path, options) => request("DELETE", path, options),
    /** Downloads a response body as a file (artifacts, exports): the API needs the bearer header, so no plain link. */
    async download(path, fallbackName, init = {}) {
      const response = await request(init.method ?? "GET", path, { raw: true, body: init.body });
      const disposition = response.headers.get("content-disposition") ?? "";
      const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name ? decodeURIComponent(name) : fallbackName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return { name: a.download, size: blob.size };
    },
  };
}

/** `?a=1&b=2` from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
