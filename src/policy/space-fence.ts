import { setBounded } from '../lib/bounded-map.ts';

import { ApiError } from '../lib/errors.ts';
import { storageReferences } from './storage-references.ts';

/**
 * Which space content one Confluence call reaches. Every operation in confluence/api.ts declares it
 * (the field is required, so an operation added later does not compile until it says), and a
 * space-confined caller is held to its spaces by the fence below before the call is sent:
 * - `{spaceId}`: acts in this space (list its pages, create a page in it);
 * - `{pageId}`: reads or changes this page, or something on it (comments, labels, attachments);
 * - `{commentId, kind}`: acts on this comment, and so on its page;
 * - `{contentId, contentType}`: reads or changes this blog post, folder, whiteboard, database or smart link;
 * - `'answer'`: a read whose answer is the content itself (or a list of it), checked on arrival;
 * - `'confined'`: the operation confines itself (space keys passed along, CQL wrapped);
 * - `'none'`: no space content at all (users, the site).
 * Every answer is checked as well, whatever the call declared: the answer and each of its `results`
 * that names a space (`spaceId`), a page or blog post (`pageId`, `blogPostId`: comments,
 * attachments), or only another container the fence cannot place (refused: nothing is let through
 * unplaced).
 */
export type Reach =
  | { spaceId: string }
  | { pageId: string }
  | { commentId: string; kind: 'footer' | 'inline' }
  | { contentId: string; contentType: ContentType }
  | 'answer'
  | 'confined'
  | 'none';

/** Content other than pages that lives in one space and is reached by its own id. */
export type ContentType = 'blogpost' | 'folder' | 'whiteboard' | 'database' | 'embed';

/** The content a comment sits on. */
export type CommentContainer = { pageId: string } | { contentId: string; contentType: 'blogpost' };

/** What a comment (as Confluence answers it) is on; undefined when it names neither a page nor a blog post. */
export function commentContainer(comment: {
  pageId?: unknown;
  blogPostId?: unknown;
}): CommentContainer | undefined {
  if (typeof comment.pageId === 'string') return { pageId: comment.pageId };
  if (typeof comment.blogPostId === 'string')
    return { contentId: comment.blogPostId, contentType: 'blogpost' };
  return undefined;
}

/** What the fence asks Confluence, through the same client (so its own reads are fenced too). */
export interface SpaceLookups {
  /** The ids of the spaces with these keys that exist and the connected user may see. */
  spaceIdsOf(keys: readonly string[]): Promise<string[]>;
  /** The space of a page (404 not_found when there is none). */
  spaceOfPage(pageId: string): Promise<string>;
  /** What a comment is on: a page, or a blog post (anything else is refused). */
  containerOfComment(commentId: string, kind: 'footer' | 'inline'): Promise<CommentContainer>;
  /** The space of a blog post, folder, whiteboard, database or smart link (404 not_found when there is none). */
  spaceOfContent(contentType: ContentType, contentId: string): Promise<string>;
}

/**
 * Content outside the caller's spaces is answered exactly as content that does not exist: the same
 * `not_found` and message, so the agent learns nothing about it. The type lets callTool audit it.
 */
export class SpaceRefusal extends ApiError {
  constructor(notFoundMessage: string) {
    super('not_found', notFoundMessage);
  }
}

/**
 * A call the space fence refuses openly (403 forbidden, rule `allowed_spaces`), because it is about
 * what the caller asks for, not about content it may not know exists: a rendered format, or a body
 * that names content of another space. callTool adds whose policy it was.
 */
export class FenceRefusal extends ApiError {
  constructor(message: string) {
    super('forbidden', message, { details: { rule: 'allowed_spaces' } });
  }
}

/**
 * The body formats a space-confined caller may read. Confluence renders every other one (`view`,
 * `export_view`, `styled_view`, `anonymous_export_view`…) with the user's own permissions, expanding
 * macros that pull in other spaces' content (`include`, `excerpt-include`, `children`, `pagetree`,
 * `content-by-label`, `recently-updated`); storage and ADF show the macro itself, not what it shows.
 */
const UNRENDERED_FORMATS: ReadonlySet<string> = new Set(['storage', 'atlas_doc_format']);

const SPACE_IDS_CACHE_MS = 5 * 60_000;
const spaceIdsCache = new Map<string, { ids: ReadonlySet<string>; until: number }>();

/**
 * One tool call's view of its allowed spaces. Space ids are resolved from the policy's keys once per
 * integration and key list for five minutes (ids never change; a space created meanwhile is seen
 * after that). Pages and comments seen during the call are remembered, so a write after a read, or
 * the replies of a listed comment, cost no lookup.
 */
export class SpaceFence {
  readonly #keys: readonly string[];
  readonly #lookups: SpaceLookups;
  readonly #cacheKey: string;
  readonly #pageSpaces = new Map<string, string>();
  readonly #commentContainers = new Map<string, CommentContainer>();

  constructor(integrationId: string, keys: readonly string[], lookups: SpaceLookups) {
    this.#keys = keys;
    this.#lookups = lookups;
    this.#cacheKey = `${integrationId}:${[...keys].sort().join(',')}`;
  }

  get keys(): readonly string[] {
    return this.#keys;
  }

  /** Whether a space key is allowed (space keys are case-insensitive in Confluence). */
  allowsKey(key: string): boolean {
    const wanted = key.toLowerCase();
    return this.#keys.some((allowed) => allowed.toLowerCase() === wanted);
  }

  /** The ids of the allowed spaces, for operations that confine themselves by a space-id filter. */
  async spaceIds(): Promise<string[]> {
    return [...(await this.#allowedIds())];
  }

  /** Refuses (as not_found with `notFound`) a call that reaches outside the allowed spaces. */
  async admit(reach: Reach | readonly Reach[], notFound: string): Promise<void> {
    for (const one of Array.isArray(reach) ? reach : [reach]) {
      if (typeof one === 'string') continue;
      if ('spaceId' in one) await this.#requireSpace(one.spaceId, notFound);
      else if ('pageId' in one) await this.#requirePage(one.pageId, notFound);
      else if ('contentId' in one) await this.#requireContent(one, notFound);
      else {
        const container =
          this.#commentContainers.get(one.commentId) ??
          (await this.#placing(this.#lookups.containerOfComment(one.commentId, one.kind), notFound));
        await this.admit(container, notFound);
      }
    }
  }

  /**
   * Refuses (403) every call that reaches space content when no space is allowed at all: an agent
   * token's allowed_spaces and its integration's that no longer overlap (each was checked alone when
   * set). Sending such a call would mean sending an empty key list and trusting Confluence with it.
   */
  admitAnySpace(reach: Reach | readonly Reach[]): void {
    if (this.#keys.length > 0) return;
    if ((Array.isArray(reach) ? reach : [reach]).every((one) => one === 'none')) return;
    throw new FenceRefusal(
      "No space is left to work in: this agent token's allowed_spaces and its integration's no longer overlap (the integration's list was narrowed after the token was issued). Nothing was sent to Confluence. Ask for a token whose allowed_spaces are among the integration's, or widen the integration's policy.",
    );
  }

  /** Refuses (403) a body format Confluence renders: its macros may show other spaces' content. */
  admitFormat(format: string): void {
    if (UNRENDERED_FORMATS.has(format)) return;
    throw new FenceRefusal(
      `The "${format}" format is refused under allowed_spaces (${this.#keys.join(', ')}): Confluence renders it with the user's own permissions, and macros such as include, excerpt-include, children or content-by-label would show content of other spaces in it. Read it as "storage" or "markdown" instead (they show such a macro, not what it pulls in). Nothing was sent to Confluence.`,
    );
  }

  /**
   * Refuses (403) a body to be written that names content outside the allowed spaces: a link or
   * resource of another space, content by an id that is not in them, a macro parameter naming
   * another space or a reach no space list bounds (`@all`, a CQL query).
   */
  async admitBody(storage: string): Promise<void> {
    for (const reference of storageReferences(storage)) {
      const inside =
        reference.kind === 'space'
          ? this.allowsKey(reference.key)
          : reference.kind === 'content'
            ? await this.#placesInside(reference.id)
            : false;
      if (inside) continue;
      throw new FenceRefusal(
        `The body references content outside the allowed spaces (${this.#keys.join(', ')}): ${reference.what}. Confluence would show that content in this space's page when it renders it, so the write is refused under allowed_spaces. Remove the reference, or point it at a page of an allowed space. Nothing was written.`,
      );
    }
  }

  /** Whether content named by id is a page of an allowed space (what cannot be placed is outside). */
  async #placesInside(contentId: string): Promise<boolean> {
    if (!/^\d{1,20}$/.test(contentId)) return false;
    try {
      await this.#requirePage(contentId, '');
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') return false;
      throw error;
    }
  }

  /** Checks an answer and each of its `results`, and remembers where the pages and comments in it live. */
  async inspect(answer: unknown, notFound: string): Promise<void> {
    if (typeof answer !== 'object' || answer === null) return;
    const results = (answer as { results?: unknown }).results;
    for (const item of [answer, ...(Array.isArray(results) ? results : [])]) {
      if (typeof item !== 'object' || item === null) continue;
      const { id, spaceId, pageId, blogPostId, customContentId } = item as Record<string, unknown>;
      if (typeof spaceId === 'string') {
        await this.#requireSpace(spaceId, notFound);
        if (typeof id === 'string') this.#pageSpaces.set(id, spaceId);
      } else if (typeof pageId === 'string' || typeof blogPostId === 'string') {
        const container = commentContainer({ pageId, blogPostId }) as CommentContainer;
        await this.admit(container, notFound);
        if (typeof id === 'string') this.#commentContainers.set(id, container);
      } else if (blogPostId !== undefined || customContentId !== undefined) {
        throw new SpaceRefusal(notFound);
      }
    }
  }

  async #requirePage(pageId: string, notFound: string): Promise<void> {
    const spaceId =
      this.#pageSpaces.get(pageId) ?? (await this.#placing(this.#lookups.spaceOfPage(pageId), notFound));
    await this.#requireSpace(spaceId, notFound);
  }

  /**
   * A lookup that places what the call names. Its own read is fenced too, and answers what it does
   * not find, or finds outside, in its own words ("Page 65538 does not exist…"): the call is answered
   * in the caller's words instead, the same for both, so a comment or an attachment outside neither
   * names the page it is on nor reads differently from a missing one.
   */
  async #placing<T>(lookup: Promise<T>, notFound: string): Promise<T> {
    try {
      return await lookup;
    } catch (error) {
      if (error instanceof SpaceRefusal) throw new SpaceRefusal(notFound);
      if (error instanceof ApiError && error.code === 'not_found') throw new ApiError('not_found', notFound);
      throw error;
    }
  }

  async #requireContent(
    content: { contentId: string; contentType: ContentType },
    notFound: string,
  ): Promise<void> {
    const spaceId =
      this.#pageSpaces.get(content.contentId) ??
      (await this.#placing(this.#lookups.spaceOfContent(content.contentType, content.contentId), notFound));
    this.#pageSpaces.set(content.contentId, spaceId);
    await this.#requireSpace(spaceId, notFound);
  }

  async #requireSpace(spaceId: string, notFound: string): Promise<void> {
    if (!(await this.#allowedIds()).has(spaceId)) throw new SpaceRefusal(notFound);
  }

  async #allowedIds(): Promise<ReadonlySet<string>> {
    const cached = spaceIdsCache.get(this.#cacheKey);
    if (cached && cached.until > Date.now()) return cached.ids;
    const ids = new Set(this.#keys.length ? await this.#lookups.spaceIdsOf(this.#keys) : []);
    setBounded(spaceIdsCache, this.#cacheKey, { ids, until: Date.now() + SPACE_IDS_CACHE_MS }, 10_000);
    return ids;
  }
}
