/**
 * Confluence pages lists with opaque cursors: the next page's link sits in `_links.next`, relative to
 * the site (`/wiki/api/v2/spaces?cursor=…`, or `/rest/api/search?next=true&cursor=…` for v1). The
 * gateway hands that cursor to the agent unchanged as `next_cursor` and sends it back as `cursor`,
 * so paging behaves exactly as Confluence's own (a stale or foreign cursor gets Confluence's 400).
 */
export interface Links {
  next?: string;
  base?: string;
  webui?: string;
}

/** The `cursor` parameter of `_links.next`, or undefined on the last page. */
export function nextCursor(links: Links | undefined): string | undefined {
  const next = links?.next;
  if (!next) return undefined;
  const query = next.slice(next.indexOf('?') + 1);
  return new URLSearchParams(query).get('cursor') ?? undefined;
}

/** `has_more` and, when there is more, `next_cursor`: the fields every list tool answers with. */
export function pagingFields(links: Links | undefined): { has_more: boolean; next_cursor?: string } {
  const cursor = nextCursor(links);
  return cursor ? { has_more: true, next_cursor: cursor } : { has_more: false };
}
