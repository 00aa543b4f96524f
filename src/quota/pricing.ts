/**
 * Atlassian's points price of a Confluence request (shared/atlassian/FACTS.md, "Rate limits"): 1 per
 * request; a GET adds 1 per core object it returns (pages, spaces, comments, attachments, labels,
 * versions, search hits) and 2 per identity object (users); a write costs 1 whatever it touches.
 * A list answer's objects are its `results`; any other answer is one object.
 *
 * Pure: no I/O, nothing of the app. The ledger spends the predicted price before a request is sent
 * and settles on the charged one when the answer is in.
 */

/** What the price depends on: the method, the site-relative path and the query. */
export interface PricedRequest {
  method: string;
  path: string;
  query?: Readonly<Record<string, unknown>>;
}

/** The page size Confluence applies to a list when `limit` is not sent. */
export const DEFAULT_LIST_LIMIT = 25;

/** Paths whose objects are users: 2 points each. */
const IDENTITY_PATH = /\/wiki\/rest\/api\/(?:user\/current|search\/user)$/;

/** Paths that answer a list (`results`), by their last segment or as a whole. */
const LIST_PATH =
  /(?:\/wiki\/api\/v2\/(?:spaces|pages)|\/(?:pages|direct-children|children|descendants|ancestors|footer-comments|inline-comments|versions|labels|attachments)|\/wiki\/rest\/api\/search(?:\/user)?)$/;

/** Points per object this request's answer carries. */
function objectWeight(path: string): number {
  return IDENTITY_PATH.test(path) ? 2 : 1;
}

/**
 * The most the request can cost: what the ledger reserves before it is sent. A list is priced at
 * its full `limit` (Confluence's default page when none is sent), since it may come back full.
 */
export function predictPoints(request: PricedRequest): number {
  if (request.method !== 'GET') return 1;
  const limit = Number(request.query?.limit);
  let objects =
    Number.isInteger(limit) && limit > 0 ? limit : LIST_PATH.test(request.path) ? DEFAULT_LIST_LIMIT : 1;
  // A list of named objects (`id=1,2,3`, `keys=ENG,OPS`) returns at most one per name.
  const named = request.query?.id ?? request.query?.keys;
  if (typeof named === 'string') objects = Math.min(objects, named.split(',').length);
  return 1 + objects * objectWeight(request.path);
}

/** What the request cost, from what came back: its status and, for a success, its parsed body. */
export function chargedPoints(request: PricedRequest, status: number, body: unknown): number {
  if (request.method !== 'GET' || status < 200 || status >= 400) return 1;
  const results = (body as { results?: unknown } | null | undefined)?.results;
  const objects = Array.isArray(results) ? results.length : 1;
  return 1 + objects * objectWeight(request.path);
}
