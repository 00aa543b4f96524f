import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import type { CommentRecord } from './content-store.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { commentJson } from './shapes.ts';
import { readWriteRequest, storageOf } from './write-body.ts';

/** `POST /footer-comments`: `{pageId | blogPostId | parentCommentId, body}` → 201 with the comment. */
export function createFooterComment(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const { pageId, blogPostId, parentCommentId } = request;
  if (request.attachmentId !== undefined || request.customContentId !== undefined) return v2NotFound(c);
  const targets = [pageId, blogPostId, parentCommentId].filter((v) => v !== undefined);
  if (targets.length !== 1) {
    return v2BadParameter(c, 'Exactly one of pageId, blogPostId or parentCommentId must be provided');
  }
  if (targets.some((v) => typeof v !== 'string')) return v2BadParameter(c, 'Container ids must be strings');
  const body = storageOf(request.body);
  if (body.error) return v2BadParameter(c, body.error);
  if (body.storage === undefined || !body.storage.trim()) return v2BadParameter(c, 'A comment needs a body');

  let containerId: string;
  if (parentCommentId !== undefined) {
    const parent = store.comments.get(parentCommentId as string);
    if (!parent) return v2NotFound(c);
    containerId = parent.pageId;
  } else {
    containerId = (pageId ?? blogPostId) as string;
  }
  const container = store.visiblePage(containerId, CURRENT_USER.accountId);
  const expectedType =
    blogPostId !== undefined ? 'blogpost' : parentCommentId !== undefined ? container?.type : 'page';
  if (!container || container.type !== expectedType || container.status !== 'current') return v2NotFound(c);

  const now = c.get('now');
  const comment: CommentRecord = {
    id: store.allocateId(),
    pageId: container.id,
    parentCommentId: parentCommentId as string | undefined,
    body: body.storage,
    authorId: CURRENT_USER.accountId,
    createdAt: now,
    version: { number: 1, message: '', minorEdit: false, authorId: CURRENT_USER.accountId, createdAt: now },
  };
  store.comments.set(comment.id, comment);
  store.touch();
  c.header('Location', `${store.baseUrl}/api/v2/footer-comments/${comment.id}`);
  return c.json(commentJson(comment, store), 201);
}

/** `GET /footer-comments/{comment-id}`: a footer comment the user may see (on a page they may see). */
export function getFooterComment(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const comment = store.comments.get(c.req.param('comment-id') ?? '');
  if (!comment || !store.visiblePage(comment.pageId, CURRENT_USER.accountId)) return v2NotFound(c);
  return c.json(commentJson(comment, store));
}
