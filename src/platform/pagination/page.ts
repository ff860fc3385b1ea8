import type { Schemas } from '../openapi/schemas';

/** Paging fields of a list response's `meta` (the spec's `ListMeta` without the envelope's own fields); the offset-only ones are absent in cursor mode. */
export type PageMeta = Omit<Schemas['ListMeta'], keyof Schemas['Meta']>;

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
