import type { Context } from 'hono';
import { runCql } from '../cql/evaluate.ts';
import { type CqlExpression, type CqlQuery, parseCql } from '../cql/parser.ts';
import { parseTextQuery, type TextQuery } from '../cql/text-match.ts';
import { CqlSyntaxError } from '../cql/tokens.ts';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { v1Error } from './errors.ts';
import { decodeCursor, encodeCursor } from './paging.ts';
import { booleanParam, enumParam, listParam } from './query.ts';
import { searchableContent } from './search-index.ts';
import { type ExcerptStrategy, highlightsOf, searchResultJson } from './search-results.ts';

const BAD_REQUEST = 'com.atlassian.confluence.api.service.exceptions.BadRequestException';
/** Confluence caps search pages whatever `limit` asks for. */
export const MAX_SEARCH_LIMIT = 100;
const EXCERPTS = ['highlight', 'indexed', 'none', 'highlight_unescaped', 'indexed_unescaped'] as const;

/** The positive text clauses of a query, for highlighting. */
function textQueries(expression: CqlExpression): TextQuery[] {
  if (expression.kind === 'and' || expression.kind === 'or') {
    return [...textQueries(expression.left), ...textQueries(expression.right)];
  }
  if (
    expression.kind === 'clause' &&
    expression.operator === '~' &&
    expression.values[0]?.kind === 'literal'
  ) {
    return [parseTextQuery(expression.values[0].value)];
  }
  return [];
}

/** `GET /wiki/rest/api/search`: cql, limit, cursor (or start), includeArchivedSpaces, excerpt, expand. */
export function search(c: Context<EmulatorEnv>) {
  const started = performance.now();
  const url = new URL(c.req.url);
  const store = c.get('store');
  const cql = url.searchParams.get('cql');
  if (!cql?.trim()) return v1Error(c, 400, `${BAD_REQUEST}: CQL query parameter is required`);
  const rawLimit = url.searchParams.get('limit');
  if (rawLimit !== null && !/^\d+$/.test(rawLimit))
    return v1Error(c, 400, `${BAD_REQUEST}: Invalid limit: ${rawLimit}`);
  const limit = Math.min(rawLimit === null ? 25 : Number(rawLimit), MAX_SEARCH_LIMIT);
  const cursorOffset = decodeCursor(url.searchParams.get('cursor') ?? undefined);
  if (cursorOffset === 'invalid') return v1Error(c, 400, `${BAD_REQUEST}: Invalid cursor`);
  const rawStart = url.searchParams.get('start');
  if (rawStart !== null && !/^\d+$/.test(rawStart))
    return v1Error(c, 400, `${BAD_REQUEST}: Invalid start: ${rawStart}`);
  const offset = cursorOffset ?? Number(rawStart ?? 0);
  const includeArchived = booleanParam(url, 'includeArchivedSpaces', false);
  if (includeArchived === 'invalid') return v1Error(c, 400, `${BAD_REQUEST}: Invalid includeArchivedSpaces`);
  const excerpt = enumParam(url, 'excerpt', EXCERPTS);
  if (excerpt === 'invalid') return v1Error(c, 400, `${BAD_REQUEST}: Invalid excerpt strategy`);
  const expand = listParam(url, 'expand') ?? [];

  let query: CqlQuery;
  let hits: ReturnType<typeof searchableContent>;
  try {
    query = parseCql(cql);
    const content = searchableContent(store, CURRENT_USER.accountId, includeArchived);
    const byDoc = new Map(content.map((entry) => [entry.doc, entry]));
    const now = Date.parse(c.get('now'));
    const docs = runCql(query, [...byDoc.keys()], { now, currentAccountId: CURRENT_USER.accountId });
    hits = docs.map((doc) => byDoc.get(doc) as (typeof content)[number]);
  } catch (error) {
    if (error instanceof CqlSyntaxError)
      return v1Error(c, 400, `${BAD_REQUEST}: Could not parse cql : ${cql}`);
    throw error;
  }

  const page = hits.slice(offset, offset + limit);
  const options = {
    excerpt: (excerpt ?? 'highlight') as ExcerptStrategy,
    highlights: highlightsOf(textQueries(query.where)),
    expandSpace: expand.includes('content.space'),
    expandVersion: expand.includes('content.version'),
  };
  const links: Record<string, string> = {
    base: store.baseUrl,
    context: '/wiki',
    self: `${store.baseUrl}/rest/api/search?${url.searchParams.toString()}`,
  };
  if (offset + limit < hits.length) {
    // Real Confluence: relative to base (which ends in /wiki), `next=true` plus an opaque cursor.
    const params = new URLSearchParams(url.searchParams);
    params.delete('cursor');
    params.delete('start');
    params.set('next', 'true');
    params.set('cursor', encodeCursor(offset + limit));
    params.set('limit', String(limit));
    links.next = `/rest/api/search?${params.toString()}`;
  }
  return c.json({
    results: page.map((hit) => searchResultJson(store, hit, options)),
    start: offset,
    limit,
    size: page.length,
    totalSize: hits.length,
    cqlQuery: cql,
    searchDuration: Math.round(performance.now() - started),
    archivedResultCount: 0,
    _links: links,
  });
}
