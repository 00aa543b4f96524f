import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { v2BadParameter } from './errors.ts';
import { decodeCursor, linkHeader, nextLink, parseLimit, slice } from './paging.ts';

/** Reads `limit` and `cursor`; answers 400 itself when either is bad. */
export function readPaging(c: Context<EmulatorEnv>): { limit: number; offset: number } | Response {
  const rawLimit = c.req.query('limit');
  const limit = parseLimit(rawLimit);
  if (limit === undefined) {
    return v2BadParameter(
      c,
      `Provided value {${rawLimit}} for 'limit' is not the correct type. Expected type is int between 1 and 250`,
    );
  }
  const offset = decodeCursor(c.req.query('cursor'));
  if (offset === 'invalid') return v2BadParameter(c, 'Invalid cursor');
  return { limit, offset: offset ?? 0 };
}

/** A v2 list: `{results, _links:{next?, base}}` plus the `Link` header, next keeping every filter. */
export function listResponse<T>(
  c: Context<EmulatorEnv>,
  all: T[],
  paging: { limit: number; offset: number },
  shape: (item: T) => unknown,
) {
  const store = c.get('store');
  const { items, nextOffset } = slice(all, paging.offset, paging.limit);
  const wikiPath = c.req.path.slice(c.req.path.indexOf('/wiki/'));
  const next = nextOffset === undefined ? undefined : nextLink(wikiPath, new URL(c.req.url), nextOffset);
  c.header('Link', linkHeader(next, store.baseUrl));
  return c.json({ results: items.map(shape), _links: { ...(next && { next }), base: store.baseUrl } });
}
