/** Blog post writes: `POST /blogposts` and `PUT /blogposts/{id}` (reads share pages.ts with pages). */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { newContentRecord, readUpdateRequest, versionNotNext, writeNextVersion } from './content-writes.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { booleanParam, invalidValue, isNumericId } from './query.ts';
import { blogPostJson } from './shapes.ts';
import { readWriteRequest, storageOf } from './write-body.ts';

/** `POST /blogposts`: `{spaceId, status?, title, body?}`; 200 with the blog post, as the spec says. */
export function createBlogPost(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const url = new URL(c.req.url);
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const isPrivate = booleanParam(url, 'private', false);
  if (isPrivate === 'invalid')
    return v2BadParameter(c, invalidValue('private', url.searchParams.get('private')));
  const { spaceId, title } = request;
  const status = request.status ?? 'current';
  if (typeof spaceId !== 'string' || !isNumericId(spaceId))
    return v2BadParameter(c, invalidValue('spaceId', spaceId));
  if (status !== 'current' && status !== 'draft') return v2BadParameter(c, invalidValue('status', status));
  if (title !== undefined && typeof title !== 'string')
    return v2BadParameter(c, invalidValue('title', title));
  if (status === 'current' && !title?.trim()) {
    return v2BadParameter(c, 'Title is required for a blog post that is not a draft');
  }
  const body = storageOf(request.body);
  if (body.error) return v2BadParameter(c, body.error);
  const space = store.spaceById(spaceId);
  if (!space) return v2NotFound(c);

  const post = newContentRecord(store, {
    type: 'blogpost',
    spaceId: space.id,
    title: title ?? '',
    status,
    body: body.storage ?? '',
    now: c.get('now'),
    isPrivate,
  });
  store.pages.set(post.id, post);
  store.touch();
  return c.json(blogPostJson(post, store, { single: true, bodyFormat: 'storage' }), 200);
}

/** `PUT /blogposts/{id}`: `{id, status, title, body, version:{number: current+1, message?}}`; 409 otherwise. */
export function updateBlogPost(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const update = readUpdateRequest(c, id);
  if (update instanceof Response) return update;

  const post = store.visiblePage(id, CURRENT_USER.accountId);
  if (post?.type !== 'blogpost' || post.status === 'trashed') return v2NotFound(c);
  const conflict = versionNotNext(c, post, update, 'blog post');
  if (conflict) return conflict;
  writeNextVersion(post, update, c.get('now'));
  store.touch();
  return c.json(blogPostJson(post, store, { single: true, bodyFormat: 'storage' }));
}
