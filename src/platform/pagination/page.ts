/** Paging fields of a list response's `meta`; the offset-only ones are absent in cursor mode. */
export interface PageMeta {
  page?: number;
  per_page: number;
  total?: number;
  total_pages?: number;
  has_next: boolean;
  has_previous: boolean;
  next_cursor: string | null;
  has_more: boolean;
}

/** A page of a list; the response envelope spreads `meta` into the response's `meta`. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly meta: PageMeta,
  ) {}

  map<U>(fn: (item: T) => U): Page<U> {
    return new Page(this.items.map(fn), this.meta);
  }
}
