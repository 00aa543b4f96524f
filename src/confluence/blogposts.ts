import type { ConfluenceApi } from './api.ts';
import { CURSOR_HINT, selectionHint, XHTML_HINT } from './hints.ts';
import type {
  CommentItem,
  ContentUpdate,
  InlineCommentProperties,
  List,
  Page,
  StorageBody,
} from './types.ts';

/**
 * Blog post operations (REST v2 `/blogposts`): a page's shape without a place in the tree, in one
 * space. Each goes through the client's `request`, so the space fence holds as for pages.
 */

export type BlogPost = Omit<Page, 'parentId' | 'parentType' | 'position'>;

export const blogPostMissing = (id: string) =>
  `Blog post ${id} does not exist or the connected user may not view it. Find blog post ids with get_confluence_space_blogposts or search_confluence_pages (type = blogpost).`;

export function listSpaceBlogPosts(
  confluence: ConfluenceApi,
  spaceId: string,
  query: { limit: number; status?: string; cursor?: string },
) {
  return confluence.request<List<BlogPost>>({
    method: 'GET',
    path: `/wiki/api/v2/spaces/${spaceId}/blogposts`,
    query: { ...query, sort: '-created-date' },
    within: { spaceId },
    scope: 'read:page:confluence',
    notFound: `Space ${spaceId} does not exist or the connected user may not see it. List spaces with get_confluence_spaces.`,
    badRequestHints: [CURSOR_HINT],
  });
}

export function getBlogPost(
  confluence: ConfluenceApi,
  id: string,
  query: {
    'body-format': string;
    'get-draft'?: boolean;
    'include-labels'?: boolean;
    status?: readonly string[];
  },
) {
  return confluence.request<BlogPost>({
    method: 'GET',
    path: `/wiki/api/v2/blogposts/${id}`,
    query,
    within: 'answer',
    scope: 'read:page:confluence',
    notFound: blogPostMissing(id),
    tooLargeHint: `The blog post's body in the ${query['body-format']} format is too large to read whole. Try another body_format (storage is usually the most compact).`,
  });
}

export function createBlogPost(
  confluence: ConfluenceApi,
  body: { spaceId: string; status: string; title: string; body: StorageBody },
) {
  return confluence.request<BlogPost>({
    method: 'POST',
    path: '/wiki/api/v2/blogposts',
    body,
    within: { spaceId: body.spaceId },
    scope: 'write:page:confluence',
    notFound: `Space ${body.spaceId} does not exist or the connected user may not see it.`,
    badRequestHints: [XHTML_HINT],
  });
}

export function updateBlogPost(confluence: ConfluenceApi, id: string, body: ContentUpdate) {
  return confluence.request<BlogPost>({
    method: 'PUT',
    path: `/wiki/api/v2/blogposts/${id}`,
    body,
    within: { contentId: id, contentType: 'blogpost' },
    scope: 'write:page:confluence',
    notFound: blogPostMissing(id),
    badRequestHints: [XHTML_HINT],
  });
}

/** A blog post's top-level comments of one kind, oldest first, with storage bodies. */
export function listBlogPostComments(
  confluence: ConfluenceApi,
  kind: 'footer' | 'inline',
  id: string,
  query: { limit: number; cursor?: string },
) {
  return confluence.request<List<CommentItem>>({
    method: 'GET',
    path: `/wiki/api/v2/blogposts/${id}/${kind}-comments`,
    within: { contentId: id, contentType: 'blogpost' },
    query: { ...query, 'body-format': 'storage', sort: 'created-date' },
    scope: 'read:comment:confluence',
    notFound: blogPostMissing(id),
    badRequestHints: [CURSOR_HINT],
  });
}

/** A top-level inline comment on a blog post, anchored to a passage of its published text. */
export function createBlogPostInlineComment(
  confluence: ConfluenceApi,
  body: { blogPostId: string; body: StorageBody; inlineCommentProperties: InlineCommentProperties },
) {
  return confluence.request<CommentItem>({
    method: 'POST',
    path: '/wiki/api/v2/inline-comments',
    body,
    within: { contentId: body.blogPostId, contentType: 'blogpost' },
    scope: 'write:comment:confluence',
    notFound: blogPostMissing(body.blogPostId),
    badRequestHints: [selectionHint('blog post'), XHTML_HINT],
  });
}
