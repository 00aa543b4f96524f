/** `PUT /inline-comments/{comment-id}`: a new body and/or resolving or reopening the thread. */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { v2BadParameter, v2Error, v2NotFound } from './errors.ts';
import { commentJson } from './shapes.ts';
import { readWriteRequest, storageOf } from './write-body.ts';

export function updateInlineComment(c: Context<EmulatorEnv>) {
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const store = c.get('store');
  const comment = store.comments.get(c.req.param('comment-id') ?? '');
  if (comment?.kind !== 'inline' || !store.visiblePage(comment.pageId, CURRENT_USER.accountId))
    return v2NotFound(c);
  const version = request.version as { number?: unknown; message?: unknown } | undefined;
  if (typeof version?.number !== 'number') return v2BadParameter(c, "'version.number' is required");
  const body = storageOf(request.body);
  if (body.error) return v2BadParameter(c, body.error);
  const { resolved } = request;
  if (resolved !== undefined && typeof resolved !== 'boolean')
    return v2BadParameter(c, "'resolved' must be a boolean");
  if (resolved !== undefined && comment.parentCommentId)
    return v2BadParameter(c, 'Only the top-level comment of an inline thread can be resolved or reopened');
  if (resolved !== undefined && comment.resolutionStatus === 'dangling')
    return v2BadParameter(c, 'A dangling comment cannot be updated');
  if (version.number !== comment.version.number + 1) {
    return v2Error(
      c,
      409,
      'CONFLICT',
      `Version must be incremented when updating a comment. Current Version: [${comment.version.number}]. Provided version: [${version.number}]`,
    );
  }
  const wasResolved = comment.resolutionStatus === 'resolved';
  const stateChanges = resolved !== undefined && resolved !== wasResolved;
  if (body.storage === undefined && !stateChanges) return c.json(commentJson(comment, store));
  if (stateChanges) comment.resolutionStatus = resolved ? 'resolved' : 'reopened';
  if (body.storage !== undefined) comment.body = body.storage;
  comment.version = {
    number: version.number,
    message: typeof version.message === 'string' ? version.message : '',
    minorEdit: false,
    authorId: CURRENT_USER.accountId,
    createdAt: c.get('now'),
  };
  store.touch();
  return c.json(commentJson(comment, store));
}
