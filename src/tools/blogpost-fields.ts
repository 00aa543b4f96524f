import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import type { BlogPost } from '../confluence/blogposts.ts';

/** The blog post tools' shared pieces: the id argument and the fields every blog post in an answer carries. */

export const blogPostId = z
  .string()
  .regex(/^\d+$/, 'expected the numeric blog post id as a string, e.g. "65547"');

export function blogPostFields(post: BlogPost, confluence: ConfluenceApi) {
  return {
    id: post.id,
    status: post.status,
    title: post.title,
    space_id: post.spaceId,
    author_id: post.authorId,
    created_at: post.createdAt,
    url: confluence.webUrl(post._links?.webui) ?? null,
  };
}

export const blogPostFieldsOutput = {
  id: z.string(),
  status: z.string().optional(),
  title: z.string().optional(),
  space_id: z.string().optional(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  url: z.string().nullable(),
};

/** A blog post just written: its new version number and Confluence's links. */
export const writtenBlogPostOutput = () =>
  z.object({
    blogpost: z.object({
      ...blogPostFieldsOutput,
      version: z.number().optional(),
      _links: z.record(z.string(), z.string()),
    }),
    message: z.string(),
  });

export function writtenBlogPost(post: BlogPost, confluence: ConfluenceApi) {
  return { ...blogPostFields(post, confluence), version: post.version?.number, _links: post._links ?? {} };
}

/** Object-level check for tools that act on a page or a blog post: exactly one of page_id and blogpost_id. */
export function onePageOrBlogPost(
  args: { page_id?: unknown; blogpost_id?: unknown },
  ctx: z.RefinementCtx,
): void {
  if ((args.page_id === undefined) === (args.blogpost_id === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['page_id'],
      message: 'give either page_id (a page) or blogpost_id (a blog post), exactly one of them',
    });
  }
}
