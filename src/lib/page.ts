/** One page of a list: `items` plus what the Open Harness envelope needs (spec §1.7). */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Longest cursor accepted, in characters (an encoded offset is a dozen). */
export const MAX_CURSOR_CHARS = 64;

const CURSOR_PREFIX = "o1:";

/** The opaque cursor of the page starting at `offset`: base64url, no padding. Clients pass it back as `?cursor=`. */
export function encodeCursor(offset: number): string {
  return btoa(`${CURSOR_PREFIX}${offset}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The offset a cursor from {@link encodeCursor} stands for, or undefined when it is not one. */
export function decodeCursor(cursor: string): number | undefined {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return undefined;
  }
  const match = /^o1:(\d{1,15})$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * Open Harness `PaginatedResponse<T>` of `page`, with each item mapped by `view` — plus what the
 * reference TypeScript client reads (spec §9.1 #1): `items`, the same page, and `cursor`, the opaque
 * cursor of the next page when `has_more`.
 */
export function toEnvelope<T, V>(page: Page<T>, view: (item: T) => V) {
  const data = page.items.map(view);
  const next = page.offset + page.items.length;
  const hasMore = next < page.total;
  return {
    data,
    items: data,
    total: page.total,
    limit: page.limit,
    offset: page.offset,
    has_more: hasMore,
    ...(hasMore ? { cursor: encodeCursor(next) } : {}),
  };
}
