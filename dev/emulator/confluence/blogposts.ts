/** Blog post writes: `POST /blogposts` and `PUT /blogposts/{id}` (reads share pages.ts with pages). */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { currentVersion, type PageRecord } from './content-store.ts';
import { v2BadParameter, v2Error, v2NotFound } from './errors.ts';
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

  const now = c.get('now');
  const post: PageRecord = {
    id: store.allocateId(),
    type: 'blogpost',
    spaceId: space.id,
    title: title ?? '',
    status,
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
    viewers: isPrivate ? [CURRENT_USER.accountId] : undefined,
  };
  store.pages.set(post.id, post);
  store.touch();
  return c.json(blogPostJson(post, store, { single: true, bodyFormat: 'storage' }), 200);
}

/** `PUT /blogposts/{id}`: `{id, status, title, body, version:{number: current+1, message?}}`; 409 otherwise. */
export function updateBlogPost(c: Context<EmulatorEnv>) {
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

  const post = store.visiblePage(id, CURRENT_USER.accountId);
  if (post?.type !== 'blogpost' || post.status === 'trashed') return v2NotFound(c);
  const current = currentVersion(post).number;
  if (version.number !== current + 1) {
    return v2Error(
      c,
      409,
      'CONFLICT',
      `Version must be incremented when updating a blog post. Current Version: [${current}]. Provided version: [${version.number}]`,
    );
  }
  post.title = title;
  post.status = status;
  if (body.storage !== undefined) post.body = body.storage;
  post.versions.push({
    number: version.number,
    message: typeof version.message === 'string' ? version.message : '',
    minorEdit: false,
    authorId: CURRENT_USER.accountId,
    createdAt: c.get('now'),
    body: post.body,
  });
  store.touch();
  return c.json(blogPostJson(post, store, { single: true, bodyFormat: 'storage' }));
}
