import { setBounded } from '../lib/bounded-map.ts';

import { ApiError } from '../lib/errors.ts';
import { confineCql } from '../policy/cql.ts';
import {
  type ContentType,
  commentContainer,
  type Reach,
  type SpaceFence,
  type SpaceLookups,
  SpaceRefusal,
} from '../policy/space-fence.ts';
import type { Call, ConfluenceClient, Download } from './client.ts';
import type { BadRequestHint } from './errors.ts';
import { CQL_HINT, CURSOR_HINT, selectionHint, XHTML_HINT } from './hints.ts';
import type { Links } from './paging.ts';
import type { ParsedWithSources } from './raw-json.ts';
import { contentTypeName, type TreeNodeRef, type TreeNodeType } from './tree-node-types.ts';
import type {
  Ancestor,
  Attachment,
  Comment,
  CommentItem,
  ContainerNode,
  ContentUpdate,
  InlineCommentProperties,
  Label,
  List,
  Page,
  SearchAnswer,
  SearchResult,
  Space,
  StorageBody,
  TreeNode,
  User,
  V1User,
  Version,
} from './types.ts';

const PAGE_WRITE_HINTS: readonly BadRequestHint[] = [
  {
    when: /title/i,
    say: 'A title must be unique among the current pages of a space: choose another title, or update the existing page (find it with search_confluence_pages, e.g. title = "…").',
  },
  XHTML_HINT,
];

/** A call as an operation below describes it: with the space content it reaches (policy/space-fence.ts). */
export interface ApiCall extends Call {
  within: Reach | readonly Reach[];
}

const pageMissing = (pageId: string) =>
  `Page ${pageId} does not exist or the connected user may not view it. Find page ids with search_confluence_pages or get_confluence_space_pages.`;
/** The classic scope v1 content writes (labels) need: v2 has no label write. */
const V1_WRITE = 'write:confluence-content';

const SPACE_ID_CACHE_MS = 5 * 60_000;
const SPACE_ID_CACHE_ENTRIES = 10_000;
const spaceIds = new Map<string, { id: string; until: number }>();

/** Sees every answer an operation receives, with the method of its call (the audit notes page versions). */
export type AnswerObserver = (method: Call['method'], answer: unknown) => void;

/** What a tool call adds around the client: both optional, both given by whoever builds the operations. */
export interface ConfluenceApiOptions {
  /**
   * Builds the fence that holds a space-confined caller to its spaces (the policy's allowed_spaces),
   * from the lookups it needs; they run through the operations, fenced and observed like any call.
   */
  fence?: (lookups: SpaceLookups) => SpaceFence;
  observe?: AnswerObserver;
}

/**
 * The Confluence operations the tools use. Each names its route, the OAuth scope it needs and what a
 * 404 means, so the client can explain failures. Every call passes through `request` below, which
 * asks the fence it was given, if any, before sending and again on each answer that names a space,
 * and shows each answer to its observer. The HTTP work is the client's (client.ts).
 */
export class ConfluenceApi {
  readonly #client: ConfluenceClient;
  /** Set when the caller may reach only some spaces. */
  readonly #fence: SpaceFence | undefined;
  readonly #observer: AnswerObserver | undefined;

  constructor(client: ConfluenceClient, options: ConfluenceApiOptions = {}) {
    this.#client = client;
    this.#fence = options.fence?.(this.#lookups);
    this.#observer = options.observe;
  }

  /** The integration these operations act for. */
  get integrationId(): string {
    return this.#client.integrationId;
  }

  /** The web address of a site-relative Confluence UI path such as a page's `_links.webui`. */
  webUrl(webui: string | undefined): string | undefined {
    return this.#client.webUrl(webui);
  }

  /** A web address for content known only by id and type (client.ts). */
  contentUrl(id: string, type: string | undefined): string | undefined {
    return this.#client.contentUrl(id, type);
  }

  async request<T>(call: ApiCall): Promise<T> {
    await this.#admit(call);
    const answer = await this.#client.request<T>(call);
    await this.#observe(call, answer);
    return answer;
  }

  async download(call: ApiCall, maxBytes: number): Promise<Download> {
    await this.#admit(call);
    return this.#client.download(call, maxBytes);
  }

  async requestKeepingLargeStrings<T>(call: ApiCall, worthUpTo?: number): Promise<ParsedWithSources<T>> {
    await this.#admit(call);
    const answer = await this.#client.requestKeepingLargeStrings<T>(call, worthUpTo);
    await this.#observe(call, answer.value);
    return answer;
  }

  /**
   * What a space-confined caller may send, before it is sent: only content of its spaces (else the
   * same not_found as for missing content), no rendered body format, and no body to be written that
   * names content of other spaces (both 403: space-fence.ts says why).
   */
  async #admit(call: ApiCall): Promise<void> {
    const fence = this.#fence;
    if (!fence) return;
    fence.admitAnySpace(call.within);
    await fence.admit(call.within, call.notFound);
    const format = call.query?.['body-format'];
    if (typeof format === 'string') fence.admitFormat(format);
    const written = (call.body as { body?: Partial<StorageBody> } | undefined)?.body;
    if (typeof written?.value === 'string') await fence.admitBody(written.value);
  }

  async #observe(call: ApiCall, answer: unknown): Promise<void> {
    await this.#fence?.inspect(answer, call.notFound);
    this.#observer?.(call.method, answer);
  }

  /** The space ids a space-confined caller may reach; undefined when the caller is not confined. */
  async confinedSpaceIds(): Promise<string[] | undefined> {
    return this.#fence?.spaceIds();
  }

  /** What the fence asks Confluence. */
  readonly #lookups = {
    spaceIdsOf: async (keys: readonly string[]) => {
      const answer = await this.request<List<Space>>({
        method: 'GET',
        path: '/wiki/api/v2/spaces',
        query: { keys: keys.join(','), limit: 250 },
        scope: 'read:space:confluence',
        notFound: 'Confluence found no spaces endpoint for this site; the site may have been removed.',
        within: 'confined',
      });
      // Only the spaces asked for count, whatever Confluence made of the key filter.
      const fence = this.#fence;
      return answer.results.filter((space) => fence?.allowsKey(space.key)).map((space) => space.id);
    },
    spaceOfPage: async (pageId: string) => {
      try {
        const page = await this.request<Page>({
          method: 'GET',
          path: `/wiki/api/v2/pages/${pageId}`,
          query: { status: ['current', 'archived', 'draft'] },
          scope: 'read:page:confluence',
          notFound: `Page ${pageId} does not exist or the connected user may not view it.`,
          within: 'answer',
        });
        return page.spaceId;
      } catch (error) {
        // A parent of a new page (or a move's target) may be a folder: place it by its own read.
        if (!(error instanceof ApiError) || error.code !== 'not_found') throw error;
        const folder = await this.getContainer({ id: pageId, type: 'folder' }).catch(() => undefined);
        if (typeof folder?.spaceId !== 'string') throw error;
        return folder.spaceId;
      }
    },
    containerOfComment: async (commentId: string, kind: 'footer' | 'inline') => {
      const notFound = `Comment ${commentId} does not exist or the connected user may not view it.`;
      const comment = await this.request<Comment>({
        method: 'GET',
        path: `/wiki/api/v2/${kind}-comments/${commentId}`,
        scope: 'read:comment:confluence',
        notFound,
        // Checked on arrival: a comment names its page or blog post (anything else is refused).
        within: 'answer',
      });
      const container = commentContainer(comment);
      if (!container) throw new SpaceRefusal(notFound);
      return container;
    },
    spaceOfContent: async (contentType: ContentType, contentId: string) => {
      const content = await this.request<{ spaceId: string }>({
        method: 'GET',
        path: `/wiki/api/v2/${contentType}s/${contentId}`,
        scope: `read:${contentType === 'blogpost' ? 'page' : contentType}:confluence`,
        notFound: `${contentTypeName(contentType)} ${contentId} does not exist or the connected user may not view it.`,
        within: 'answer',
      });
      return content.spaceId;
    },
  };

  async listSpaces(query: { limit: number; type?: string; cursor?: string }) {
    const fence = this.#fence;
    const answer = await this.request<List<Space>>({
      method: 'GET',
      path: '/wiki/api/v2/spaces',
      query: { ...query, 'description-format': 'plain', ...(fence && { keys: fence.keys.join(',') }) },
      within: 'confined',
      scope: 'read:space:confluence',
      notFound: 'Confluence found no spaces endpoint for this site; the site may have been removed.',
      badRequestHints: [CURSOR_HINT],
    });
    // The key filter is Confluence's; the answer is held to the allowed keys here as well.
    if (fence) answer.results = answer.results.filter((space) => fence.allowsKey(space.key));
    return answer;
  }

  /**
   * The id of the space with this key; 404 not_found when there is none the user may see. Answers
   * are remembered per integration for a few minutes: ids never change, and agents that work by
   * key would otherwise pay a second Confluence call on every tool call.
   */
  async spaceIdForKey(key: string): Promise<string> {
    const notFound = `No space with key "${key}" exists, or the connected user may not see it. List spaces with get_confluence_spaces.`;
    this.#fence?.admitAnySpace('confined');
    if (this.#fence && !this.#fence.allowsKey(key)) throw new SpaceRefusal(notFound);
    const cacheKey = `${this.integrationId}:${key}`;
    const cached = spaceIds.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.id;
    const answer = await this.request<List<Space>>({
      method: 'GET',
      path: '/wiki/api/v2/spaces',
      query: { keys: key, limit: 1 },
      scope: 'read:space:confluence',
      notFound,
      within: 'confined',
    });
    const space = answer.results[0];
    if (!space) throw new ApiError('not_found', notFound);
    setBounded(
      spaceIds,
      cacheKey,
      { id: space.id, until: Date.now() + SPACE_ID_CACHE_MS },
      SPACE_ID_CACHE_ENTRIES,
    );
    return space.id;
  }

  listSpacePages(spaceId: string, query: { limit: number; status?: string; cursor?: string }) {
    return this.request<List<Page>>({
      method: 'GET',
      path: `/wiki/api/v2/spaces/${spaceId}/pages`,
      query,
      within: { spaceId },
      scope: 'read:page:confluence',
      notFound: `Space ${spaceId} does not exist or the connected user may not see it. List spaces with get_confluence_spaces.`,
      badRequestHints: [CURSOR_HINT],
    });
  }

  /** `fresh`: Confluence's current answer, never the read cache's (client.ts). */
  getPage(pageId: string, query: PageQuery, options: { fresh?: boolean } = {}) {
    return this.request<Page>({ ...pageCall(pageId, query), ...(options.fresh && { fresh: true }) });
  }

  /**
   * getPage for answers that carry the body on whole: its JSON source is kept to be embedded
   * unchanged, unless the answer is longer than `wholeUpTo` characters (then the body will be cut).
   */
  getPageKeepingBody(pageId: string, query: PageQuery, wholeUpTo?: number) {
    return this.requestKeepingLargeStrings<Page>(pageCall(pageId, query), wholeUpTo);
  }

  /**
   * The published page as a read of pageReadQuery('storage') left it in the read cache, or
   * undefined: nothing is sent to Confluence. An update that starts from it must still send the
   * version it read (page-versions.ts says why that is safe).
   */
  async getCachedPage(pageId: string): Promise<Page | undefined> {
    const call = pageCall(pageId, pageReadQuery('storage'));
    await this.#admit(call);
    const answer = await this.#client.cached<Page>(call);
    if (answer !== undefined) await this.#observe(call, answer);
    return answer;
  }

  async search(query: { cql: string; limit: number; cursor?: string; includeArchivedSpaces: boolean }) {
    const fence = this.#fence;
    const cql = fence ? confineCql(query.cql, fence.keys) : query.cql;
    const answer = await this.request<SearchAnswer>({
      method: 'GET',
      path: '/wiki/rest/api/search',
      // v1 follows a cursor forward only with next=true, as its own `_links.next` does.
      query: { ...query, cql, ...(query.cursor && { next: true }), expand: 'content.version' },
      within: 'confined',
      scope: 'search:confluence',
      notFound: 'Confluence search is not available on this site.',
      badRequestHints: [CQL_HINT, CURSOR_HINT],
    });
    // The query is confined by wrapping; each result that names its space is held to the keys too.
    if (fence) {
      answer.results = answer.results.filter((result) => {
        const key = spaceKeyOfResult(result);
        return key === undefined || fence.allowsKey(key);
      });
    }
    return answer;
  }

  createPage(body: {
    spaceId: string;
    status: string;
    title: string;
    parentId?: string;
    /** `live` for a live doc. */
    subtype?: string;
    body: StorageBody;
  }) {
    return this.request<Page>({
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body,
      within: body.parentId
        ? [{ spaceId: body.spaceId }, { pageId: body.parentId }]
        : { spaceId: body.spaceId },
      scope: 'write:page:confluence',
      notFound: `Space ${body.spaceId}${body.parentId ? ` or parent page ${body.parentId}` : ''} does not exist or the connected user may not see it.`,
      badRequestHints: PAGE_WRITE_HINTS,
    });
  }

  updatePage(
    pageId: string,
    body: ContentUpdate & {
      /** Moves the page under another page of the same space. */
      parentId?: string;
    },
  ) {
    return this.request<Page>({
      method: 'PUT',
      path: `/wiki/api/v2/pages/${pageId}`,
      body,
      within: { pageId },
      scope: 'write:page:confluence',
      notFound: `Page ${pageId} does not exist or the connected user may not view it.`,
      badRequestHints: PAGE_WRITE_HINTS,
    });
  }

  createFooterComment(body: {
    pageId?: string;
    blogPostId?: string;
    parentCommentId?: string;
    body: StorageBody;
  }) {
    const target = body.parentCommentId
      ? `Comment ${body.parentCommentId}`
      : body.blogPostId
        ? `Blog post ${body.blogPostId}`
        : `Page ${body.pageId}`;
    return this.request<Comment>({
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body,
      within: body.parentCommentId
        ? { commentId: body.parentCommentId, kind: 'footer' as const }
        : body.blogPostId
          ? { contentId: body.blogPostId, contentType: 'blogpost' }
          : { pageId: body.pageId as string },
      scope: 'write:comment:confluence',
      notFound: `${target} does not exist or the connected user may not view it.`,
      badRequestHints: [XHTML_HINT],
    });
  }

  /** A node's direct children of every type (pages, folders, whiteboards, databases, smart links), in tree order. */
  listDirectChildren(node: TreeNodeRef, query: { limit: number; cursor?: string }) {
    return this.request<List<TreeNode>>({
      method: 'GET',
      path: `/wiki/api/v2/${node.type}s/${node.id}/direct-children`,
      within: reachOf(node),
      query,
      scope: 'read:hierarchical-content:confluence',
      notFound: nodeMissing(node),
      badRequestHints: [CURSOR_HINT],
    });
  }

  /** A node's descendants down to `depth` levels, with each node's depth and parent. */
  listDescendants(node: TreeNodeRef, query: { limit: number; depth: number; cursor?: string }) {
    return this.request<List<TreeNode>>({
      method: 'GET',
      path: `/wiki/api/v2/${node.type}s/${node.id}/descendants`,
      within: reachOf(node),
      query,
      scope: 'read:hierarchical-content:confluence',
      notFound: nodeMissing(node),
      badRequestHints: [CURSOR_HINT],
    });
  }

  /** The ids and types of a node's ancestors, from the top of the tree down (up to 250). */
  listAncestors(node: TreeNodeRef) {
    return this.request<List<Ancestor>>({
      method: 'GET',
      path: `/wiki/api/v2/${node.type}s/${node.id}/ancestors`,
      within: reachOf(node),
      query: { limit: 250 },
      scope: 'read:content.metadata:confluence',
      notFound: nodeMissing(node),
    });
  }

  /** A folder, whiteboard, database or smart link: its metadata (their content is not served over REST). */
  getContainer(node: { id: string; type: Exclude<TreeNodeType, 'page'> }) {
    return this.request<ContainerNode>({
      method: 'GET',
      path: `/wiki/api/v2/${node.type}s/${node.id}`,
      within: 'answer',
      scope: `read:${node.type}:confluence`,
      notFound: nodeMissing(node),
    });
  }

  /**
   * Pages by id (titles and links without bodies), up to 250 at once. `notFound` is what a caller
   * says of a page it asked for and does not get: a page outside the allowed spaces is answered with
   * it too, so that it reads as one that does not exist.
   */
  listPagesById(ids: readonly string[], notFound = 'Confluence found no pages endpoint for this site.') {
    return this.request<List<Page>>({
      method: 'GET',
      path: '/wiki/api/v2/pages',
      query: { id: ids.join(','), limit: 250 },
      within: 'answer',
      scope: 'read:page:confluence',
      notFound,
    });
  }

  /** A page's top-level comments of one kind, oldest first, with storage bodies. */
  listPageComments(kind: 'footer' | 'inline', pageId: string, query: { limit: number; cursor?: string }) {
    return this.request<List<CommentItem>>({
      method: 'GET',
      path: `/wiki/api/v2/pages/${pageId}/${kind}-comments`,
      within: { pageId },
      query: { ...query, 'body-format': 'storage', sort: 'created-date' },
      scope: 'read:comment:confluence',
      notFound: pageMissing(pageId),
      badRequestHints: [CURSOR_HINT],
    });
  }

  /** The replies to one comment, oldest first. */
  listCommentReplies(kind: 'footer' | 'inline', commentId: string, query: { limit: number }) {
    return this.request<List<CommentItem>>({
      method: 'GET',
      path: `/wiki/api/v2/${kind}-comments/${commentId}/children`,
      within: { commentId, kind },
      query: { ...query, 'body-format': 'storage', sort: 'created-date' },
      scope: 'read:comment:confluence',
      notFound: `Comment ${commentId} does not exist or the connected user may not view it.`,
    });
  }

  /** A top-level inline comment on a page, anchored to a passage (blog posts: blogposts.ts). */
  createInlineComment(body: {
    pageId: string;
    body: StorageBody;
    inlineCommentProperties: InlineCommentProperties;
  }) {
    return this.request<CommentItem>({
      method: 'POST',
      path: '/wiki/api/v2/inline-comments',
      body,
      within: { pageId: body.pageId },
      scope: 'write:comment:confluence',
      notFound: pageMissing(body.pageId),
      badRequestHints: [selectionHint('page'), XHTML_HINT],
    });
  }

  /** A page's versions, newest first. */
  listPageVersions(pageId: string, query: { limit: number; cursor?: string }) {
    return this.request<List<Version & { minorEdit?: boolean }>>({
      method: 'GET',
      path: `/wiki/api/v2/pages/${pageId}/versions`,
      within: { pageId },
      query: { ...query, sort: '-modified-date' },
      scope: 'read:page:confluence',
      notFound: pageMissing(pageId),
      badRequestHints: [CURSOR_HINT],
    });
  }

  /** One version of a page with its storage body (the current one when `version` is left out). */
  getPageVersion(pageId: string, version: number | undefined) {
    return this.request<Page>({
      method: 'GET',
      path: `/wiki/api/v2/pages/${pageId}`,
      query: { 'body-format': 'storage', ...(version !== undefined && { version }) },
      within: { pageId },
      scope: 'read:page:confluence',
      notFound:
        version === undefined
          ? pageMissing(pageId)
          : `Page ${pageId} has no version ${version}, or the connected user may not view it. List its versions with get_confluence_page_history.`,
    });
  }

  listPageLabels(pageId: string) {
    return this.request<List<Label>>({
      method: 'GET',
      path: `/wiki/api/v2/pages/${pageId}/labels`,
      within: { pageId },
      query: { limit: 250 },
      scope: 'read:page:confluence',
      notFound: pageMissing(pageId),
    });
  }

  /** Adds labels (v1: v2 has no label write). Confluence keeps one of each name. */
  addLabels(pageId: string, names: readonly string[]) {
    return this.request<unknown>({
      method: 'POST',
      path: `/wiki/rest/api/content/${pageId}/label`,
      within: { pageId },
      body: names.map((name) => ({ prefix: 'global', name })),
      scope: V1_WRITE,
      notFound: pageMissing(pageId),
      badRequestHints: [
        {
          when: /label/i,
          say: 'Label names are lowercase words without spaces or any of !#&()*,.:;<>?@[]^.',
        },
      ],
    });
  }

  removeLabel(pageId: string, name: string) {
    return this.request<undefined>({
      method: 'DELETE',
      path: `/wiki/rest/api/content/${pageId}/label/${encodeURIComponent(name)}`,
      within: { pageId },
      scope: V1_WRITE,
      notFound: `Page ${pageId} does not exist, the user may not view it, or the label "${name}" is not on it.`,
    });
  }

  listPageAttachments(
    pageId: string,
    query: { limit: number; cursor?: string; filename?: string; mediaType?: string },
  ) {
    return this.request<List<Attachment>>({
      method: 'GET',
      path: `/wiki/api/v2/pages/${pageId}/attachments`,
      within: { pageId },
      query,
      scope: 'read:attachment:confluence',
      notFound: pageMissing(pageId),
      badRequestHints: [CURSOR_HINT],
    });
  }

  getAttachment(attachmentId: string) {
    return this.request<Attachment>({
      method: 'GET',
      path: `/wiki/api/v2/attachments/${attachmentId}`,
      within: 'answer',
      scope: 'read:attachment:confluence',
      notFound: `Attachment ${attachmentId} does not exist or the connected user may not view it. List a page's attachments with get_confluence_attachments.`,
    });
  }

  /** An attachment's bytes (v1 download; v2 has none), at most `maxBytes`. */
  downloadAttachment(pageId: string, attachmentId: string, maxBytes: number): Promise<Download> {
    return this.download(
      {
        method: 'GET',
        path: `/wiki/rest/api/content/${pageId}/child/attachment/${attachmentId}/download`,
        within: { pageId },
        scope: 'readonly:content.attachment:confluence',
        notFound: `Attachment ${attachmentId} does not exist or the connected user may not view it.`,
      },
      maxBytes,
    );
  }

  /**
   * Uploads a file to a page (v1 multipart; v2 has no upload). A file with the name of an existing
   * attachment becomes its new version. `X-Atlassian-Token: no-check` passes Confluence's XSRF check.
   */
  uploadAttachment(pageId: string, file: File, comment: string | undefined) {
    const form = new FormData();
    form.append('file', file);
    form.append('minorEdit', 'false');
    if (comment !== undefined) form.append('comment', comment);
    return this.request<{
      results: Array<{
        id: string;
        title: string;
        version?: { number?: number };
        _links?: Links & { download?: string };
      }>;
    }>({
      method: 'POST',
      path: `/wiki/rest/api/content/${pageId}/child/attachment`,
      form,
      within: { pageId },
      headers: { 'x-atlassian-token': 'no-check' },
      scope: 'write:confluence-file',
      notFound: pageMissing(pageId),
    });
  }

  /** Sends a page to the trash (never purges: that would need a second DELETE with purge=true). */
  trashPage(pageId: string) {
    return this.request<undefined>({
      method: 'DELETE',
      path: `/wiki/api/v2/pages/${pageId}`,
      within: { pageId },
      scope: 'delete:page:confluence',
      notFound: pageMissing(pageId),
    });
  }

  currentUser() {
    return this.request<V1User>({
      method: 'GET',
      path: '/wiki/rest/api/user/current',
      within: 'none',
      scope: 'read:confluence-user',
      notFound: 'Confluence found no current-user endpoint for this site.',
    });
  }

  /** People search by user CQL (`user.fullname ~ "…"`), v1: v2 has no user search. */
  searchUsers(cql: string, limit: number) {
    return this.request<{ results: Array<{ user?: V1User }> }>({
      method: 'GET',
      path: '/wiki/rest/api/search/user',
      within: 'none',
      query: { cql, limit },
      scope: 'read:confluence-user',
      notFound: 'Confluence user search is not available on this site.',
    });
  }

  usersById(accountIds: readonly string[]) {
    return this.request<List<User>>({
      method: 'POST',
      path: '/wiki/api/v2/users-bulk',
      within: 'none',
      body: { accountIds },
      scope: 'read:user:confluence',
      notFound: 'Confluence found no users endpoint for this site.',
    });
  }
}

/** The key of the space a search result is in, when the result says (v1 names it in its container's URL). */
export function spaceKeyOfResult(result: SearchResult): string | undefined {
  const named = result.space?.key ?? result.content?.space?.key;
  if (named !== undefined) return named;
  const key = /^\/spaces\/([^/?#]+)/.exec(result.resultGlobalContainer?.displayUrl ?? '')?.[1];
  try {
    return key === undefined ? undefined : decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * The query of a page read as get_confluence_page sends it: every read of a page in one format
 * (slices, outline, section) is the same request, so the read cache answers all but the first.
 */
export function pageReadQuery(format: string, draft = false): PageQuery {
  return { 'body-format': format, 'include-labels': true, ...(draft && { 'get-draft': true }) };
}

type PageQuery = {
  'body-format': string;
  'get-draft'?: boolean;
  'include-labels'?: boolean;
  /** Which statuses may be returned; Confluence's default is current and archived. */
  status?: readonly string[];
};

function pageCall(pageId: string, query: PageQuery): ApiCall {
  return {
    method: 'GET',
    path: `/wiki/api/v2/pages/${pageId}`,
    query,
    within: 'answer',
    scope: 'read:page:confluence',
    notFound: `Page ${pageId} does not exist or the connected user may not view it${query['get-draft'] ? '' : ' (a draft needs get_draft: true)'}. Find page ids with search_confluence_pages or get_confluence_space_pages.`,
    // Confluence sends the whole body whatever max_chars says; only the format changes its size.
    tooLargeHint: `The page's body in the ${query['body-format']} format is too large to read whole. Try another body_format (storage is usually the most compact); max_chars and offset slice what the gateway has read, so they cannot help here.`,
  };
}

function reachOf(node: TreeNodeRef): Reach {
  return node.type === 'page' ? { pageId: node.id } : { contentId: node.id, contentType: node.type };
}

function nodeMissing(node: TreeNodeRef): string {
  return node.type === 'page'
    ? pageMissing(node.id)
    : `${contentTypeName(node.type)} ${node.id} does not exist or the connected user may not view it. Check node_type: the id must be of that type (get_confluence_page_children lists each node with its type).`;
}
