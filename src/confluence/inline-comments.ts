import type { ConfluenceApi } from './api.ts';
import type { CommentItem, StorageBody } from './types.ts';

/** Resolving and reopening inline comment threads (REST v2 `PUT /inline-comments/{comment-id}`). */

const missing = (id: string) =>
  `Inline comment ${id} does not exist or the connected user may not view it. List a page's inline comments with get_confluence_comments (kind "inline").`;

export function getInlineComment(confluence: ConfluenceApi, id: string) {
  return confluence.request<CommentItem>({
    method: 'GET',
    path: `/wiki/api/v2/inline-comments/${id}`,
    query: { 'body-format': 'storage' },
    within: { commentId: id, kind: 'inline' },
    scope: 'read:comment:confluence',
    notFound: missing(id),
  });
}

export function setInlineCommentResolved(
  confluence: ConfluenceApi,
  id: string,
  body: { version: { number: number }; body: StorageBody; resolved: boolean },
) {
  return confluence.request<CommentItem>({
    method: 'PUT',
    path: `/wiki/api/v2/inline-comments/${id}`,
    body,
    within: { commentId: id, kind: 'inline' },
    scope: 'write:comment:confluence',
    notFound: missing(id),
  });
}
