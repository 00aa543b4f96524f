import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { decodeEntities } from './body-formats.ts';
import type { CommentRecord } from './content-store.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { enumParam, invalidValue, isNumericId, listParam } from './query.ts';
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
    kind: 'footer',
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

/** `GET /footer-comments/{comment-id}`, `GET /inline-comments/{comment-id}`: one comment the user may see. */
export function getComment(kind: CommentRecord['kind']) {
  return (c: Context<EmulatorEnv>) => {
    const store = c.get('store');
    const comment = store.comments.get(c.req.param('comment-id') ?? '');
    if (comment?.kind !== kind || !store.visiblePage(comment.pageId, CURRENT_USER.accountId)) {
      return v2NotFound(c);
    }
    return c.json(commentJson(comment, store));
  };
}

const COMMENT_SORTS = ['created-date', '-created-date', 'modified-date', '-modified-date'] as const;
const RESOLUTION = ['open', 'reopened', 'resolved', 'dangling'] as const;

/** body-format, sort and paging of the comment lists; the error answer when one is bad. */
function readCommentList(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const bodyFormat = enumParam(url, 'body-format', ['storage', 'atlas_doc_format'] as const);
  const sort = enumParam(url, 'sort', COMMENT_SORTS);
  for (const [name, value] of Object.entries({ 'body-format': bodyFormat, sort })) {
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
  }
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  return { id, paging, bodyFormat: bodyFormat as 'storage' | 'atlas_doc_format' | undefined, sort, url };
}

function sortComments(comments: CommentRecord[], sort: string | undefined): CommentRecord[] {
  const direction = sort?.startsWith('-') ? -1 : 1;
  const key = (comment: CommentRecord) =>
    sort?.endsWith('modified-date') ? comment.version.createdAt : comment.createdAt;
  return comments.sort(
    (a, b) => direction * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : Number(a.id) - Number(b.id)),
  );
}

/**
 * `GET /pages/{id}/footer-comments` and `/inline-comments` (and the same under `/blogposts/{id}`): the
 * page's (or blog post's) top-level comments of that kind.
 */
export const getPageComments =
  (kind: CommentRecord['kind'], container: 'page' | 'blogpost' = 'page') =>
  (c: Context<EmulatorEnv>) => {
    const list = readCommentList(c);
    if (list instanceof Response) return list;
    const store = c.get('store');
    const page = store.visiblePage(list.id, CURRENT_USER.accountId);
    if (page?.type !== container || page.status === 'trashed') return v2NotFound(c);
    let resolution: string[] | undefined;
    if (kind === 'inline') {
      resolution = listParam(list.url, 'resolution-status');
      const bad = resolution?.find((r) => !(RESOLUTION as readonly string[]).includes(r));
      if (bad) return v2BadParameter(c, invalidValue('resolution-status', bad));
    }
    const comments = [...store.comments.values()].filter(
      (comment) =>
        comment.kind === kind &&
        comment.pageId === page.id &&
        !comment.parentCommentId &&
        (!resolution || resolution.includes(comment.resolutionStatus ?? 'open')),
    );
    return listResponse(c, sortComments(comments, list.sort), list.paging, (comment) =>
      commentJson(comment, store, list.bodyFormat),
    );
  };

/** `GET /footer-comments/{id}/children` and `/inline-comments/{id}/children`: the replies to one comment. */
export const getCommentChildren = (kind: CommentRecord['kind']) => (c: Context<EmulatorEnv>) => {
  const list = readCommentList(c);
  if (list instanceof Response) return list;
  const store = c.get('store');
  const parent = store.comments.get(list.id);
  if (parent?.kind !== kind || !store.visiblePage(parent.pageId, CURRENT_USER.accountId))
    return v2NotFound(c);
  const replies = [...store.comments.values()].filter((comment) => comment.parentCommentId === parent.id);
  return listResponse(c, sortComments(replies, list.sort), list.paging, (comment) =>
    commentJson(comment, store, list.bodyFormat),
  );
};

/** The text an inline comment can select: the body without markup or code blocks, entities decoded. */
export function selectableText(storage: string): string {
  return decodeEntities(storage.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<[^>]+>/g, ''));
}

function occurrences(text: string, selection: string): number {
  let count = 0;
  for (let at = text.indexOf(selection); at !== -1; at = text.indexOf(selection, at + selection.length))
    count++;
  return count;
}

/**
 * `POST /inline-comments`: `{pageId | blogPostId, body, inlineCommentProperties:{textSelection,
 * textSelectionMatchCount, textSelectionMatchIndex}}`, or a reply `{parentCommentId, body}`. The
 * selection must occur on the page (or blog post) exactly `textSelectionMatchCount` times, as
 * Confluence checks; otherwise 400.
 */
export function createInlineComment(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const body = storageOf(request.body);
  if (body.error) return v2BadParameter(c, body.error);
  if (body.storage === undefined || !body.storage.trim()) return v2BadParameter(c, 'A comment needs a body');
  const now = c.get('now');
  const comment: CommentRecord = {
    id: '',
    kind: 'inline',
    pageId: '',
    body: body.storage,
    authorId: CURRENT_USER.accountId,
    createdAt: now,
    version: { number: 1, message: '', minorEdit: false, authorId: CURRENT_USER.accountId, createdAt: now },
  };
  if (request.parentCommentId !== undefined) {
    const parent = store.comments.get(String(request.parentCommentId));
    if (parent?.kind !== 'inline' || !store.visiblePage(parent.pageId, CURRENT_USER.accountId))
      return v2NotFound(c);
    comment.pageId = parent.pageId;
    comment.parentCommentId = parent.id;
  } else {
    const { pageId, blogPostId } = request;
    if ((pageId === undefined) === (blogPostId === undefined)) {
      return v2BadParameter(c, 'Exactly one of pageId, blogPostId or parentCommentId must be provided');
    }
    const containerId = pageId ?? blogPostId;
    if (typeof containerId !== 'string') return v2BadParameter(c, 'Container ids must be strings');
    const page = store.visiblePage(containerId, CURRENT_USER.accountId);
    const expectedType = blogPostId !== undefined ? 'blogpost' : 'page';
    if (page?.type !== expectedType || page.status !== 'current') return v2NotFound(c);
    const properties = (request.inlineCommentProperties ?? {}) as Record<string, unknown>;
    const { textSelection, textSelectionMatchCount, textSelectionMatchIndex } = properties;
    if (typeof textSelection !== 'string' || !textSelection) {
      return v2BadParameter(c, 'inlineCommentProperties.textSelection is required');
    }
    const count = occurrences(selectableText(page.body), textSelection);
    if (
      count === 0 ||
      textSelectionMatchCount !== count ||
      typeof textSelectionMatchIndex !== 'number' ||
      textSelectionMatchIndex < 0 ||
      textSelectionMatchIndex >= count
    ) {
      return v2BadParameter(
        c,
        `Can not create inline comment: the text selection occurs ${count} times on the page, not ${String(textSelectionMatchCount)}, or the match index is out of range`,
      );
    }
    comment.pageId = page.id;
    comment.textSelection = textSelection;
    comment.resolutionStatus = 'open';
  }
  comment.id = store.allocateId();
  store.comments.set(comment.id, comment);
  store.touch();
  c.header('Location', `${store.baseUrl}/api/v2/inline-comments/${comment.id}`);
  return c.json(commentJson(comment, store), 201);
}
