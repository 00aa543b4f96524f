import { ApiError } from '../errors.ts';
import { type Call, ConfluenceClient } from './client.ts';
import type { BadRequestHint } from './errors.ts';
import type { Links } from './paging.ts';

const CURSOR_HINT: BadRequestHint = {
  when: /cursor/i,
  say: 'Pass next_cursor exactly as a previous call returned it, with the same other arguments, or omit it to start over.',
};

const CQL_HINT: BadRequestHint = {
  when: /cql|parse/i,
  say: 'Check the CQL: field names such as text, title, space, label, type; quote phrases (text ~ "release notes"), escape quotes inside them with a backslash, put ? and * wildcards only inside quotes and not first, and join clauses with AND/OR.',
};

const XHTML_HINT: BadRequestHint = {
  when: /xhtml|markup|storage|parse|unexpected|element|tag|entity/i,
  say: 'An HTML body must be well-formed XHTML: close every tag (e.g. <br/>, </b>) and escape & as &amp;. Or send plain text, which the gateway wraps for you.',
};

const PAGE_WRITE_HINTS: readonly BadRequestHint[] = [
  {
    when: /title/i,
    say: 'A title must be unique among the current pages of a space: choose another title, or update the existing page (find it with search_confluence_pages, e.g. title = "…").',
  },
  XHTML_HINT,
];

/**
 * The Confluence operations the tools use, with the fields of Atlassian's answers they read. Each
 * names its route, the OAuth scope it needs and what a 404 means, so the client can explain failures.
 * Paths: REST v2 under `/wiki/api/v2`, CQL search on v1 `/wiki/rest/api/search`.
 */
export interface Version {
  number: number;
  message?: string;
  createdAt?: string;
  authorId?: string;
}

export interface Space {
  id: string;
  key: string;
  name: string;
  type: string;
  status: string;
  homepageId?: string | null;
  description?: { plain?: { value?: string } } | null;
}

export interface Page {
  id: string;
  status: string;
  title: string;
  spaceId: string;
  parentId?: string | null;
  parentType?: string | null;
  position?: number | null;
  authorId: string;
  createdAt: string;
  version?: Version;
  body?: Record<string, { value?: string } | undefined>;
  labels?: { results?: { id: string; name: string; prefix: string }[] };
  _links?: Links;
}

export interface Comment {
  id: string;
  status: string;
  title: string;
  pageId?: string;
  parentCommentId?: string;
  authorId?: string;
  createdAt?: string;
  version?: Version;
  _links?: Links;
}

export interface SearchResult {
  content?: {
    id: string;
    type: string;
    status: string;
    title: string;
    space?: { key?: string; name?: string };
    version?: { number?: number };
  };
  space?: { key?: string; name?: string };
  title: string;
  excerpt: string;
  url: string;
  lastModified: string;
  entityType: string;
  resultGlobalContainer?: { title?: string; displayUrl?: string };
}

export interface List<T> {
  results: T[];
  _links?: Links;
}

export interface SearchAnswer extends List<SearchResult> {
  totalSize?: number;
  limit?: number;
}

export type StorageBody = { representation: 'storage'; value: string };

const SPACE_ID_CACHE_MS = 5 * 60_000;
const SPACE_ID_CACHE_ENTRIES = 10_000;
const spaceIds = new Map<string, { id: string; until: number }>();

export class ConfluenceApi extends ConfluenceClient {
  listSpaces(query: { limit: number; type?: string; cursor?: string }) {
    return this.request<List<Space>>({
      method: 'GET',
      path: '/wiki/api/v2/spaces',
      query: { ...query, 'description-format': 'plain' },
      scope: 'read:space:confluence',
      notFound: 'Confluence found no spaces endpoint for this site; the site may have been removed.',
      badRequestHints: [CURSOR_HINT],
    });
  }

  /**
   * The id of the space with this key; 404 not_found when there is none the user may see. Answers
   * are remembered per integration for a few minutes: ids never change, and agents that work by
   * key would otherwise pay a second Confluence call on every tool call.
   */
  async spaceIdForKey(key: string): Promise<string> {
    const cacheKey = `${this.integrationId}:${key}`;
    const cached = spaceIds.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.id;
    const notFound = `No space with key "${key}" exists, or the connected user may not see it. List spaces with get_confluence_spaces.`;
    const answer = await this.request<List<Space>>({
      method: 'GET',
      path: '/wiki/api/v2/spaces',
      query: { keys: key, limit: 1 },
      scope: 'read:space:confluence',
      notFound,
    });
    const space = answer.results[0];
    if (!space) throw new ApiError('not_found', notFound);
    if (spaceIds.size >= SPACE_ID_CACHE_ENTRIES) spaceIds.clear();
    spaceIds.set(cacheKey, { id: space.id, until: Date.now() + SPACE_ID_CACHE_MS });
    return space.id;
  }

  listSpacePages(spaceId: string, query: { limit: number; status?: string; cursor?: string }) {
    return this.request<List<Page>>({
      method: 'GET',
      path: `/wiki/api/v2/spaces/${spaceId}/pages`,
      query,
      scope: 'read:page:confluence',
      notFound: `Space ${spaceId} does not exist or the connected user may not see it. List spaces with get_confluence_spaces.`,
      badRequestHints: [CURSOR_HINT],
    });
  }

  getPage(pageId: string, query: PageQuery) {
    return this.request<Page>(pageCall(pageId, query));
  }

  /**
   * getPage for answers that carry the body on whole: its JSON source is kept to be embedded
   * unchanged, unless the answer is longer than `wholeUpTo` characters (then the body will be cut).
   */
  getPageKeepingBody(pageId: string, query: PageQuery, wholeUpTo?: number) {
    return this.requestKeepingLargeStrings<Page>(pageCall(pageId, query), wholeUpTo);
  }

  search(query: { cql: string; limit: number; cursor?: string; includeArchivedSpaces: boolean }) {
    return this.request<SearchAnswer>({
      method: 'GET',
      path: '/wiki/rest/api/search',
      // v1 follows a cursor forward only with next=true, as its own `_links.next` does.
      query: { ...query, ...(query.cursor && { next: true }), expand: 'content.version' },
      scope: 'search:confluence',
      notFound: 'Confluence search is not available on this site.',
      badRequestHints: [CQL_HINT, CURSOR_HINT],
    });
  }

  createPage(body: { spaceId: string; status: string; title: string; parentId?: string; body: StorageBody }) {
    return this.request<Page>({
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body,
      scope: 'write:page:confluence',
      notFound: `Space ${body.spaceId}${body.parentId ? ` or parent page ${body.parentId}` : ''} does not exist or the connected user may not see it.`,
      badRequestHints: PAGE_WRITE_HINTS,
    });
  }

  updatePage(
    pageId: string,
    body: {
      id: string;
      status: string;
      title: string;
      body: StorageBody;
      version: { number: number; message?: string };
    },
  ) {
    return this.request<Page>({
      method: 'PUT',
      path: `/wiki/api/v2/pages/${pageId}`,
      body,
      scope: 'write:page:confluence',
      notFound: `Page ${pageId} does not exist or the connected user may not view it.`,
      badRequestHints: PAGE_WRITE_HINTS,
    });
  }

  createFooterComment(body: { pageId?: string; parentCommentId?: string; body: StorageBody }) {
    const target = body.parentCommentId ? `Comment ${body.parentCommentId}` : `Page ${body.pageId}`;
    return this.request<Comment>({
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body,
      scope: 'write:comment:confluence',
      notFound: `${target} does not exist or the connected user may not view it.`,
      badRequestHints: [XHTML_HINT],
    });
  }
}

type PageQuery = {
  'body-format': string;
  'get-draft'?: boolean;
  'include-labels'?: boolean;
  /** Which statuses may be returned; Confluence's default is current and archived. */
  status?: readonly string[];
};

function pageCall(pageId: string, query: PageQuery): Call {
  return {
    method: 'GET',
    path: `/wiki/api/v2/pages/${pageId}`,
    query,
    scope: 'read:page:confluence',
    notFound: `Page ${pageId} does not exist or the connected user may not view it${query['get-draft'] ? '' : ' (a draft needs get_draft: true)'}. Find page ids with search_confluence_pages or get_confluence_space_pages.`,
  };
}
