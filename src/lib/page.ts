/** One page of a list: `items` plus what the Open Harness envelope needs (spec §1.7). */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Open Harness `PaginatedResponse<T>` of `page`, with each item mapped by `view`. */
export function toEnvelope<T, V>(page: Page<T>, view: (item: T) => V) {
  return {
    data: page.items.map(view),
    total: page.total,
    limit: page.limit,
    offset: page.offset,
    has_more: page.offset + page.items.length < page.total,
  };
}
