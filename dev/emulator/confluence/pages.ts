import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { type ContentStore, currentVersion, type PageRecord } from './content-store.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { booleanParam, enumParam, invalidValue, isNumericId, listParam } from './query.ts';
import { type BodyFormat, blogPostJson, type PageShapeOptions, pageJson } from './shapes.ts';

/** A page or a blog post as REST v2 shapes it. */
function contentJson(record: PageRecord, store: ContentStore, options: PageShapeOptions) {
  return record.type === 'blogpost' ? blogPostJson(record, store, options) : pageJson(record, store, options);
}

const LIST_STATUSES = ['current', 'archived', 'deleted', 'trashed'];
const SINGLE_STATUSES = ['current', 'archived', 'trashed', 'deleted', 'historical', 'draft'];
const PAGE_SORTS = [
  'id',
  '-id',
  'created-date',
  '-created-date',
  'modified-date',
  '-modified-date',
  'title',
  '-title',
] as const;
const SINGLE_FORMATS = [
  'storage',
  'atlas_doc_format',
  'view',
  'export_view',
  'anonymous_export_view',
  'styled_view',
  'editor',
] as const;

function comparePages(sort: (typeof PAGE_SORTS)[number]) {
  const direction = sort.startsWith('-') ? -1 : 1;
  const key = (p: PageRecord): number | string => {
    if (sort.endsWith('created-date')) return p.createdAt;
    if (sort.endsWith('modified-date')) return currentVersion(p).createdAt;
    if (sort.endsWith('title')) return p.title.toLowerCase();
    return Number(p.id);
  };
  return (a: PageRecord, b: PageRecord) => {
    const [ka, kb] = [key(a), key(b)];
    const order = ka < kb ? -1 : ka > kb ? 1 : Number(a.id) - Number(b.id);
    return direction * order;
  };
}

/** `GET /spaces/{id}/pages`: depth, sort, status, title, body-format, cursor, limit. */
export function getSpacePages(c: Context<EmulatorEnv>) {
  return listSpaceContent(c, 'page');
}

/** `GET /spaces/{id}/blogposts`: sort, status, title, body-format, cursor, limit. */
export function getSpaceBlogPosts(c: Context<EmulatorEnv>) {
  return listSpaceContent(c, 'blogpost');
}

function listSpaceContent(c: Context<EmulatorEnv>, type: 'page' | 'blogpost') {
  const url = new URL(c.req.url);
  const store = c.get('store');
  const spaceId = c.req.param('id') ?? '';
  if (!isNumericId(spaceId)) return v2BadParameter(c, invalidValue('id', spaceId));
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const depth = type === 'page' ? enumParam(url, 'depth', ['all', 'root'] as const) : undefined;
  const sort = enumParam(url, 'sort', PAGE_SORTS);
  const bodyFormat = enumParam(url, 'body-format', ['storage', 'atlas_doc_format'] as const);
  for (const [name, value] of Object.entries({ depth, sort, 'body-format': bodyFormat })) {
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
  }
  const statuses = listParam(url, 'status') ?? ['current', 'archived'];
  const badStatus = statuses.find((s) => !LIST_STATUSES.includes(s));
  if (badStatus) return v2BadParameter(c, invalidValue('status', badStatus));

  const space = store.spaceById(spaceId);
  if (!space) return v2NotFound(c);
  const title = url.searchParams.get('title');
  const pages = store
    .visiblePages(CURRENT_USER.accountId)
    .filter(
      (p) =>
        p.spaceId === space.id &&
        p.type === type &&
        statuses.includes(p.status) &&
        (title === null || p.title === title) &&
        (depth !== 'root' || !p.parentId),
    )
    .sort(comparePages((sort as (typeof PAGE_SORTS)[number] | undefined) ?? 'id'));
  return listResponse(c, pages, paging, (p) =>
    contentJson(p, store, { bodyFormat: bodyFormat as BodyFormat | undefined }),
  );
}

/** `GET /pages/{id}`: body-format, get-draft, status, version, include-labels/-version/-versions/…. */
export function getPage(c: Context<EmulatorEnv>) {
  return getContent(c, 'page');
}

/** `GET /blogposts/{id}`: the same parameters as a page's read. */
export function getBlogPost(c: Context<EmulatorEnv>) {
  return getContent(c, 'blogpost');
}

function getContent(c: Context<EmulatorEnv>, type: 'page' | 'blogpost') {
  const url = new URL(c.req.url);
  const store = c.get('store');
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const bodyFormat = enumParam(url, 'body-format', SINGLE_FORMATS);
  if (bodyFormat === 'invalid')
    return v2BadParameter(c, invalidValue('body-format', url.searchParams.get('body-format')));
  const flags: Record<string, boolean> = {};
  for (const [name, fallback] of [
    ['get-draft', false],
    ['include-labels', false],
    ['include-version', true],
    ['include-versions', false],
  ] as const) {
    const value = booleanParam(url, name, fallback);
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
    flags[name] = value;
  }
  const statuses = listParam(url, 'status');
  const badStatus = statuses?.find((s) => !SINGLE_STATUSES.includes(s));
  if (badStatus) return v2BadParameter(c, invalidValue('status', badStatus));
  const versionParam = url.searchParams.get('version');
  if (versionParam !== null && !/^\d+$/.test(versionParam))
    return v2BadParameter(c, invalidValue('version', versionParam));

  const page = store.visiblePage(id, CURRENT_USER.accountId);
  // A draft-only page is there for get-draft=true or status=draft; other readers get 404.
  const allowed = statuses ?? ['current', 'archived', ...(flags['get-draft'] ? ['draft'] : [])];
  if (page?.type !== type || !allowed.includes(page.status)) return v2NotFound(c);
  const version =
    versionParam === null ? undefined : page.versions.find((v) => v.number === Number(versionParam));
  if (versionParam !== null && !version) return v2NotFound(c);
  return c.json(
    contentJson(page, store, {
      single: true,
      bodyFormat: bodyFormat as BodyFormat | undefined,
      includeLabels: flags['include-labels'],
      includeVersion: flags['include-version'],
      includeVersions: flags['include-versions'],
      version,
    }),
  );
}

/** `GET /pages`: id and space-id filters (lists), status, title, sort, body-format, cursor, limit. */
export function getPages(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const store = c.get('store');
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const sort = enumParam(url, 'sort', PAGE_SORTS);
  const bodyFormat = enumParam(url, 'body-format', ['storage', 'atlas_doc_format'] as const);
  for (const [name, value] of Object.entries({ sort, 'body-format': bodyFormat })) {
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
  }
  const ids = listParam(url, 'id');
  const spaceIds = listParam(url, 'space-id');
  for (const [name, values] of Object.entries({ id: ids, 'space-id': spaceIds })) {
    const bad = values?.find((v) => !isNumericId(v));
    if (bad) return v2BadParameter(c, invalidValue(name, bad));
  }
  if ((ids?.length ?? 0) > 250) return v2BadParameter(c, 'At most 250 ids');
  const statuses = listParam(url, 'status') ?? ['current', 'archived'];
  const badStatus = statuses.find((s) => !LIST_STATUSES.includes(s) && s !== 'draft');
  if (badStatus) return v2BadParameter(c, invalidValue('status', badStatus));
  const title = url.searchParams.get('title');
  const pages = store
    .visiblePages(CURRENT_USER.accountId)
    .filter(
      (p) =>
        p.type === 'page' &&
        statuses.includes(p.status) &&
        (!ids || ids.includes(p.id)) &&
        (!spaceIds || spaceIds.includes(p.spaceId)) &&
        (title === null || p.title === title),
    )
    .sort(comparePages((sort as (typeof PAGE_SORTS)[number] | undefined) ?? 'id'));
  return listResponse(c, pages, paging, (p) =>
    pageJson(p, store, { bodyFormat: bodyFormat as BodyFormat | undefined }),
  );
}
