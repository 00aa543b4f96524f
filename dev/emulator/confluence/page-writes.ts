import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { currentVersion, type PageRecord } from './content-store.ts';
import { v2BadParameter, v2Error, v2NotFound } from './errors.ts';
import { booleanParam, invalidValue, isNumericId } from './query.ts';
import { pageJson } from './shapes.ts';
import { readWriteRequest, storageOf } from './write-body.ts';

const DUPLICATE_TITLE =
  'A page with this title already exists: A page already exists with the same TITLE in this space';

/** `POST /pages`: `{spaceId, status?, title, parentId?, body?}`; 200 with the page, as the spec says. */
export function createPage(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const url = new URL(c.req.url);
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const flags: Record<string, boolean> = {};
  for (const name of ['embedded', 'private', 'root-level']) {
    const value = booleanParam(url, name, false);
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
    flags[name] = value;
  }
  const { spaceId, title, parentId } = request;
  const status = request.status ?? 'current';
  if (typeof spaceId !== 'string' || !isNumericId(spaceId))
    return v2BadParameter(c, invalidValue('spaceId', spaceId));
  if (status !== 'current' && status !== 'draft') return v2BadParameter(c, invalidValue('status', status));
  if (status === 'current' && (typeof title !== 'string' || !title.trim())) {
    return v2BadParameter(c, 'Title is required for a page that is not a draft');
  }
  if (title !== undefined && typeof title !== 'string')
    return v2BadParameter(c, invalidValue('title', title));
  const body = storageOf(request.body);
  if (body.error) return v2BadParameter(c, body.error);
  if (request.subtype !== undefined && request.subtype !== 'live')
    return v2BadParameter(c, invalidValue('subtype', request.subtype));

  const space = store.spaceById(spaceId);
  if (!space) return v2NotFound(c);
  let parent: PageRecord | undefined;
  if (parentId !== undefined) {
    if (flags['root-level']) return v2BadParameter(c, 'parentId cannot be supplied when root-level is true');
    parent = typeof parentId === 'string' ? store.visiblePage(parentId, CURRENT_USER.accountId) : undefined;
    if (!parent || parent.spaceId !== space.id) return v2NotFound(c);
  } else if (!flags['root-level']) {
    parent = store.pages.get(space.homepageId);
  }
  const pageTitle = typeof title === 'string' ? title : '';
  if (status === 'current' && store.titleTaken(space.id, pageTitle))
    return v2BadParameter(c, DUPLICATE_TITLE);

  const now = c.get('now');
  const page: PageRecord = {
    id: store.allocateId(),
    type: 'page',
    spaceId: space.id,
    title: pageTitle,
    status,
    parentId: parent?.id,
    position: store.nextPosition(parent?.id),
    authorId: CURRENT_USER.accountId,
    ownerId: CURRENT_USER.accountId,
    createdAt: now,
    body: body.storage ?? '',
    versions: [
      {
        number: 1,
        message: '',
        minorEdit: false,
        authorId: CURRENT_USER.accountId,
        createdAt: now,
        body: body.storage ?? '',
      },
    ],
    labels: [],
    viewers: flags.private ? [CURRENT_USER.accountId] : undefined,
    ...(request.subtype === 'live' && { subtype: 'live' as const }),
  };
  store.pages.set(page.id, page);
  store.touch();
  return c.json(pageJson(page, store, { single: true, bodyFormat: 'storage' }), 200);
}

/** `PUT /pages/{id}`: `{id, status, title, body, version:{number: current+1, message?}}`; 409 otherwise. */
export function updatePage(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  for (const field of ['id', 'status', 'title', 'body', 'version']) {
    if (request[field] === undefined) return v2BadParameter(c, `'${field}' is required`);
  }
  const { title, status } = request;
  const version = request.version as { number?: unknown; message?: unknown };
  if (String(request.id) !== id)
    return v2BadParameter(c, 'The id in the body does not match the id in the path');
  if (status !== 'current' && status !== 'draft') return v2BadParameter(c, invalidValue('status', status));
  if (typeof title !== 'string' || !title.trim()) return v2BadParameter(c, invalidValue('title', title));
  if (!version || typeof version !== 'object' || typeof version.number !== 'number') {
    return v2BadParameter(c, invalidValue('version.number', version?.number));
  }
  const body = storageOf(request.body);
  if (body.error) return v2BadParameter(c, body.error);

  const page = store.visiblePage(id, CURRENT_USER.accountId);
  if (page?.type !== 'page' || page.status === 'trashed') return v2NotFound(c);
  const current = currentVersion(page).number;
  if (version.number !== current + 1) {
    return v2Error(
      c,
      409,
      'CONFLICT',
      `Version must be incremented when updating a page. Current Version: [${current}]. Provided version: [${version.number}]`,
    );
  }
  if (status === 'current' && store.titleTaken(page.spaceId, title, page.id))
    return v2BadParameter(c, DUPLICATE_TITLE);
  if (request.parentId !== undefined) {
    const parent =
      typeof request.parentId === 'string'
        ? store.visiblePage(request.parentId, CURRENT_USER.accountId)
        : undefined;
    if (!parent || parent.spaceId !== page.spaceId || parent.id === page.id) return v2NotFound(c);
    page.parentId = parent.id;
  }
  page.title = title;
  page.status = status;
  if (body.storage !== undefined) page.body = body.storage;
  page.versions.push({
    number: version.number,
    message: typeof version.message === 'string' ? version.message : '',
    minorEdit: false,
    authorId: CURRENT_USER.accountId,
    createdAt: c.get('now'),
    body: page.body,
  });
  store.touch();
  return c.json(pageJson(page, store, { single: true, bodyFormat: 'storage' }));
}

/**
 * `DELETE /pages/{id}`: a current page goes to the trash (204); `purge=true` removes a trashed page for
 * good; `draft=true` deletes a draft. Its children move up to its parent, as Confluence does.
 */
export function deletePage(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const url = new URL(c.req.url);
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const flags: Record<string, boolean> = {};
  for (const name of ['purge', 'draft']) {
    const value = booleanParam(url, name, false);
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
    flags[name] = value;
  }
  const page = store.visiblePage(id, CURRENT_USER.accountId);
  if (page?.type !== 'page') return v2NotFound(c);
  if (flags.purge) {
    if (page.status !== 'trashed') return v2BadParameter(c, 'Only a trashed page can be purged');
    store.pages.delete(page.id);
  } else if (flags.draft) {
    if (page.status !== 'draft') return v2NotFound(c);
    store.pages.delete(page.id);
  } else {
    if (page.status !== 'current' && page.status !== 'archived') return v2NotFound(c);
    for (const child of store.pages.values()) if (child.parentId === page.id) child.parentId = page.parentId;
    page.status = 'trashed';
  }
  store.touch();
  return c.body(null, 204);
}
