/** Search hits in the REST v1 shape (SearchResult, Content, Space, Version of swagger.v3.json). */
import type { TextQuery } from '../cql/text-match.ts';
import { type ContentStore, currentVersion, type PageRecord } from './content-store.ts';
import type { IndexedContent } from './search-index.ts';
import { plainText } from './search-index.ts';
import { pageWebui, tinyId } from './shapes.ts';

export type ExcerptStrategy = 'highlight' | 'indexed' | 'none' | 'highlight_unescaped' | 'indexed_unescaped';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Confluence marks hits in excerpts with @@@hl@@@…@@@endhl@@@. */
function excerptOf(text: string, strategy: ExcerptStrategy, highlights: string[]): string {
  if (strategy === 'none') return '';
  const escapeText = strategy.endsWith('_unescaped') ? (s: string) => s : escapeHtml;
  const lower = text.toLowerCase();
  const first = strategy.startsWith('highlight')
    ? Math.min(...highlights.map((h) => lower.indexOf(h)).filter((i) => i >= 0), Number.POSITIVE_INFINITY)
    : 0;
  const start = Number.isFinite(first) ? Math.max(0, first - 60) : 0;
  const window = text.slice(start, start + 240);
  let excerpt = escapeText(window);
  if (strategy.startsWith('highlight')) {
    for (const h of highlights.filter(Boolean)) {
      excerpt = excerpt.replace(
        new RegExp(h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'),
        (m) => `@@@hl@@@${m}@@@endhl@@@`,
      );
    }
  }
  return `${start > 0 ? '...' : ''}${excerpt}${start + 240 < text.length ? '...' : ''}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Jan 18, 2026", as Confluence's friendly dates read (Intl is far too slow for the benchmark). */
const friendly = (iso: string) => {
  const date = new Date(iso);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
};

export interface ResultOptions {
  excerpt: ExcerptStrategy;
  highlights: string[];
  expandSpace: boolean;
  expandVersion: boolean;
}

function spaceJson(store: ContentStore, page: PageRecord) {
  const space = store.spaceById(page.spaceId);
  return {
    id: Number(space?.id),
    key: space?.key ?? '',
    name: space?.name ?? '',
    type: space?.type ?? 'global',
    status: space?.status ?? 'current',
    _expandable: {
      settings: '',
      metadata: '',
      operations: '',
      lookAndFeel: '',
      permissions: '',
      icon: '',
      description: '',
      theme: '',
      history: '',
      homepage: `/rest/api/content/${space?.homepageId}`,
    },
    _links: { webui: `/spaces/${space?.key}`, self: `${store.baseUrl}/rest/api/space/${space?.key}` },
  };
}

export function searchResultJson(store: ContentStore, hit: IndexedContent, options: ResultOptions) {
  const { doc, page, record } = hit;
  const space = store.spaceById(page.spaceId);
  const isComment = doc.type === 'comment';
  const version = isComment
    ? (record as { version: PageRecord['versions'][number] }).version
    : currentVersion(page);
  const webui = isComment
    ? `${pageWebui(page, space)}?focusedCommentId=${doc.id}#comment-${doc.id}`
    : pageWebui(page, space);
  const expandable: Record<string, string> = {
    container: `/rest/api/space/${space?.key}`,
    metadata: '',
    extensions: '',
    operations: '',
    children: `/rest/api/content/${doc.id}/child`,
    history: `/rest/api/content/${doc.id}/history`,
    ancestors: '',
    body: '',
    descendants: `/rest/api/content/${doc.id}/descendant`,
  };
  const content: Record<string, unknown> = {
    id: doc.id,
    type: doc.type,
    status: 'current',
    title: doc.title,
  };
  if (options.expandSpace) content.space = spaceJson(store, page);
  else expandable.space = `/rest/api/space/${space?.key}`;
  if (options.expandVersion) {
    content.version = {
      when: version.createdAt,
      friendlyWhen: friendly(version.createdAt),
      message: version.message,
      number: version.number,
      minorEdit: version.minorEdit,
      _expandable: { content: `/rest/api/content/${doc.id}`, collaborators: '' },
      _links: { self: `${store.baseUrl}/rest/api/content/${doc.id}/version/${version.number}` },
    };
  } else {
    expandable.version = '';
  }
  content._expandable = expandable;
  content._links = {
    webui,
    self: `${store.baseUrl}/rest/api/content/${doc.id}`,
    tinyui: `/x/${tinyId(doc.id)}`,
  };

  const text = plainText(`${store.site.id}:${doc.id}`, (record as { body: string }).body).text;
  return {
    content,
    title: doc.title,
    excerpt: excerptOf(text, options.excerpt, options.highlights),
    url: webui,
    resultGlobalContainer: { title: space?.name ?? '', displayUrl: `/spaces/${space?.key}` },
    breadcrumbs: [],
    entityType: 'content',
    iconCssClass: `aui-icon content-type-${doc.type}`,
    lastModified: new Date(doc.lastModified).toISOString(),
    friendlyLastModified: friendly(new Date(doc.lastModified).toISOString()),
    score: 0,
  };
}

export function highlightsOf(queries: TextQuery[]): string[] {
  return [...new Set(queries.flatMap((q) => q.highlights))];
}
