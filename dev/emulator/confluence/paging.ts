/**
 * Cursor paging as REST v2 does it: an opaque cursor (base64 of a position), `_links.next`
 * relative to the site (`/wiki/api/v2/…?…&cursor=…`), and a `Link` header with next and base.
 */
export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 250;

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

/** The offset a cursor stands for; undefined when there is none; 'invalid' when it is not ours. */
export function decodeCursor(cursor: string | undefined): number | undefined | 'invalid' {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown };
    const offset = parsed.offset;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** Reads `limit`: an integer in range, else undefined (the caller answers 400). */
export function parseLimit(raw: string | undefined, max = MAX_LIMIT, min = 1): number | undefined {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw)) return undefined;
  const limit = Number(raw);
  return limit >= min && limit <= max ? limit : undefined;
}

export interface PageSlice<T> {
  items: T[];
  nextOffset?: number;
}

export function slice<T>(all: T[], offset: number, limit: number): PageSlice<T> {
  const items = all.slice(offset, offset + limit);
  const nextOffset = offset + limit < all.length ? offset + limit : undefined;
  return { items, nextOffset };
}

/** The request's own path and query with the cursor replaced: filters and limit carry over. */
export function nextLink(wikiPath: string, url: URL, nextOffset: number): string {
  const params = new URLSearchParams(url.searchParams);
  params.delete('cursor');
  params.set('cursor', encodeCursor(nextOffset));
  return `${wikiPath}?${params.toString()}`;
}

export function linkHeader(next: string | undefined, base: string): string {
  const baseRel = `<${base}>; rel="base"`;
  return next ? `<${next}>; rel="next", ${baseRel}` : baseRel;
}
