import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import type { PageRecord } from './content-store.ts';
import { newContentRecord, readUpdateRequest, versionNotNext, writeNextVersion } from './content-writes.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
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

  const page: PageRecord = {
    ...newContentRecord(store, {
      type: 'page',
      spaceId: space.id,
      title: pageTitle,
      status,
      body: body.storage ?? '',
      now: c.get('now'),
      isPrivate: flags.private === true,
    }),
    parentId: parent?.id,
    position: store.nextPosition(parent?.id),
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
  const update = readUpdateRequest(c, id);
  if (update instanceof Response) return update;
  const { request, title, status } = update;

  const page = store.visiblePage(id, CURRENT_USER.accountId);
  if (page?.type !== 'page' || page.status === 'trashed') return v2NotFound(c);
  const conflict = versionNotNext(c, page, update, 'page');
  if (conflict) return conflict;
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
  writeNextVersion(page, update, c.get('now'));
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
