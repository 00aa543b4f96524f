/**
 * What `POST`/`PUT /pages` and `/blogposts` share (page-writes.ts, blogposts.ts): a new content
 * record with its first version, the checks of an update's body, Confluence's 409 for a version that
 * is not the next one, and the update written as the next version.
 */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { type ContentStore, currentVersion, type PageRecord } from './content-store.ts';
import { v2BadParameter, v2Error } from './errors.ts';
import { invalidValue } from './query.ts';
import { readWriteRequest, storageOf } from './write-body.ts';

/** A page or blog post the current user just created, at version 1 with `body`. */
export function newContentRecord(
  store: ContentStore,
  fields: Pick<PageRecord, 'type' | 'spaceId' | 'title' | 'status' | 'body'> & {
    now: string;
    isPrivate: boolean;
  },
): PageRecord {
  const { now, isPrivate, ...content } = fields;
  return {
    id: store.allocateId(),
    ...content,
    authorId: CURRENT_USER.accountId,
    ownerId: CURRENT_USER.accountId,
    createdAt: now,
    versions: [
      {
        number: 1,
        message: '',
        minorEdit: false,
        authorId: CURRENT_USER.accountId,
        createdAt: now,
        body: fields.body,
      },
    ],
    labels: [],
    viewers: isPrivate ? [CURRENT_USER.accountId] : undefined,
  };
}

/** A `PUT` of a page or blog post: `{id, status, title, body, version: {number, message?}}`. */
export interface ContentUpdateRequest {
  request: Record<string, unknown>;
  title: string;
  status: 'current' | 'draft';
  version: { number: number; message?: unknown };
  /** undefined: the body is kept. */
  storage?: string;
}

/** The update `PUT /{pages|blogposts}/{id}` sent, or the 400/413 Confluence answers instead. */
export function readUpdateRequest(c: Context<EmulatorEnv>, id: string): ContentUpdateRequest | Response {
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
  return {
    request,
    title,
    status,
    version: version as ContentUpdateRequest['version'],
    storage: body.storage,
  };
}

/** Confluence's 409 when the version sent is not the current one + 1; undefined when it is. */
export function versionNotNext(
  c: Context<EmulatorEnv>,
  record: PageRecord,
  update: ContentUpdateRequest,
  noun: 'page' | 'blog post',
): Response | undefined {
  const current = currentVersion(record).number;
  if (update.version.number === current + 1) return undefined;
  return v2Error(
    c,
    409,
    'CONFLICT',
    `Version must be incremented when updating a ${noun}. Current Version: [${current}]. Provided version: [${update.version.number}]`,
  );
}

/** The update written over `record` as its next version, by the current user at `now`. */
export function writeNextVersion(record: PageRecord, update: ContentUpdateRequest, now: string): void {
  record.title = update.title;
  record.status = update.status;
  if (update.storage !== undefined) record.body = update.storage;
  record.versions.push({
    number: update.version.number,
    message: typeof update.version.message === 'string' ? update.version.message : '',
    minorEdit: false,
    authorId: CURRENT_USER.accountId,
    createdAt: now,
    body: record.body,
  });
}
