/** The site's content as search documents; text is indexed lazily and cached per body. */
import type { SearchDocument } from '../cql/evaluate.ts';
import { type IndexedText, indexText } from '../cql/text-match.ts';
import { storageToText } from './body-formats.ts';
import { type CommentRecord, type ContentStore, currentVersion, type PageRecord } from './content-store.ts';

const cache = new Map<string, { body: string; text: string; index?: IndexedText }>();

/** Plain text of a body, cached by content id while the body is unchanged. */
export function plainText(key: string, body: string): { text: string; index(): IndexedText } {
  let entry = cache.get(key);
  if (!entry || entry.body !== body) {
    entry = { body, text: storageToText(body) };
    cache.set(key, entry);
  }
  const cached = entry;
  return {
    text: cached.text,
    index: () => {
      cached.index ??= indexText(cached.text);
      return cached.index;
    },
  };
}

function ancestorsOf(store: ContentStore, page: PageRecord): string[] {
  const ancestors: string[] = [];
  let parentId = page.parentId;
  while (parentId && ancestors.length < 50) {
    ancestors.push(parentId);
    parentId = store.pages.get(parentId)?.parentId;
  }
  return ancestors;
}

export interface IndexedContent {
  doc: SearchDocument;
  record: PageRecord | CommentRecord;
  /** The page a comment is on, or the page itself. */
  page: PageRecord;
}

const built = new WeakMap<ContentStore, Map<string, { revision: number; content: IndexedContent[] }>>();

/**
 * Everything the account may find: published pages, blog posts and their comments. Built once
 * per store revision: the benchmark sends thousands of searches over an unchanged site.
 */
export function searchableContent(store: ContentStore, accountId: string, includeArchivedSpaces: boolean) {
  let byKey = built.get(store);
  if (!byKey) {
    byKey = new Map();
    built.set(store, byKey);
  }
  const key = `${accountId}:${includeArchivedSpaces}`;
  const cached = byKey.get(key);
  if (cached?.revision === store.revision) return cached.content;
  const content = buildSearchableContent(store, accountId, includeArchivedSpaces);
  byKey.set(key, { revision: store.revision, content });
  return content;
}

function buildSearchableContent(store: ContentStore, accountId: string, includeArchivedSpaces: boolean) {
  const out: IndexedContent[] = [];
  const spaceKeyOf = new Map(store.spaces.map((s) => [s.id, s]));
  const visible = new Map<string, PageRecord>();
  for (const page of store.visiblePages(accountId)) {
    const space = spaceKeyOf.get(page.spaceId);
    // Folders, whiteboards and databases live in the page tree, not in this emulator's search.
    if (!space || page.status !== 'current' || (page.type !== 'page' && page.type !== 'blogpost')) continue;
    if (space.status === 'archived' && !includeArchivedSpaces) continue;
    visible.set(page.id, page);
    const titleIndex = indexText(page.title);
    const body = plainText(`${store.site.id}:${page.id}`, page.body);
    out.push({
      record: page,
      page,
      doc: {
        id: page.id,
        type: page.type as 'page' | 'blogpost',
        title: page.title,
        spaceKey: space.key,
        labels: page.labels.map((l) => l.name),
        created: Date.parse(page.createdAt),
        lastModified: Date.parse(currentVersion(page).createdAt),
        ancestors: ancestorsOf(store, page),
        parentId: page.parentId,
        creator: page.authorId,
        titleIndex: () => titleIndex,
        bodyIndex: body.index,
      },
    });
  }
  for (const comment of store.comments.values()) {
    const page = visible.get(comment.pageId);
    if (!page) continue;
    const title = `Re: ${page.title}`;
    const body = plainText(`${store.site.id}:${comment.id}`, comment.body);
    const titleIndex = indexText(title);
    out.push({
      record: comment,
      page,
      doc: {
        id: comment.id,
        type: 'comment',
        title,
        spaceKey: spaceKeyOf.get(page.spaceId)?.key ?? '',
        labels: [],
        created: Date.parse(comment.createdAt),
        lastModified: Date.parse(comment.version.createdAt),
        ancestors: [page.id, ...ancestorsOf(store, page)],
        parentId: comment.parentCommentId ?? page.id,
        creator: comment.authorId,
        titleIndex: () => titleIndex,
        bodyIndex: body.index,
      },
    });
  }
  return out;
}
