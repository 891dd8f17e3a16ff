// A small History-API router: console paths are real URLs (a view_url, a reload or a shared link opens
// the same view); same-origin links under /console are handled here without a page load.
import { useEffect, useState } from "./html.js";

const listeners = new Set();

/** Goes to `path` (a same-origin console path), adding a history entry unless `replace`. */
export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

/** The current location, re-rendering the caller when it changes. */
export function useLocation() {
  const [location, setLocation] = useState(() => ({ path: window.location.pathname, search: window.location.search }));
  useEffect(() => {
    const update = () => setLocation({ path: window.location.pathname, search: window.location.search });
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return location;
}

/** Matches `path` against `pattern` (`/harnesses/:id`), returning the named segments or undefined. */
export function match(pattern, path) {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

/** Intercepts clicks on same-origin console links (plain left clicks only: new-tab clicks keep working). */
export function interceptLinks(root) {
  root.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest?.("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !url.pathname.startsWith("/console/")) return;
    // A link within the page (the skip link): move focus to its target.
    if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) {
      const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (target) {
        event.preventDefault();
        target.focus();
      }
      return;
    }
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
