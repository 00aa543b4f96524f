import * as z from 'zod';
import { bodyText, pageId } from './arguments.ts';
import { blogPostId, onePageOrBlogPost } from './blogpost-fields.ts';
import { bodyFormat, toStorage } from './body-format.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      page_id: pageId.optional(),
      blogpost_id: blogPostId.optional().describe('Instead of page_id.'),
      comment: bodyText('The comment').min(1),
      body_format: bodyFormat,
      parent_comment_id: z
        .string()
        .regex(/^\d+$/, 'expected the numeric comment id as a string, e.g. "65901"')
        .optional()
        .describe('The comment to reply to; omit for a new thread.'),
    })
    .superRefine(onePageOrBlogPost);

const output = () =>
  z.object({
    comment: z.object({
      id: z.string(),
      status: z.string().optional(),
      title: z.string().optional(),
      page_id: z.string().optional(),
      blogpost_id: z.string().optional(),
      parent_comment_id: z.string().nullable(),
      version: z.number().optional(),
      author_id: z.string().nullable(),
      created_at: z.string().nullable(),
      url: z.string().nullable(),
      _links: z.record(z.string(), z.string()),
    }),
    message: z.string(),
  });

export const addConfluenceComment = defineTool({
  name: 'add_confluence_comment',
  toolset: 'comments',
  title: 'Add a comment to a page',
  description:
    'Add a footer comment to a page (or, with blogpost_id, a blog post), or reply to one (parent_comment_id): feedback, a question, or a note on a change you made. upstream_timeout: read the comments before retrying, so it is not posted twice.',
  schema,
  output,
  annotations: ANNOTATIONS.write,
  async run(args, confluence) {
    const body = {
      representation: 'storage' as const,
      value: await toStorage(args.comment, args.body_format, confluence),
    };
    // A reply names only its parent (Confluence takes the page from it); a top-level comment its page.
    const comment = await confluence.createFooterComment(
      args.parent_comment_id !== undefined
        ? { parentCommentId: args.parent_comment_id, body }
        : args.blogpost_id !== undefined
          ? { blogPostId: args.blogpost_id, body }
          : { pageId: args.page_id, body },
    );
    const on =
      args.blogpost_id !== undefined
        ? { blogpost_id: comment.blogPostId ?? args.blogpost_id }
        : { page_id: comment.pageId ?? args.page_id };
    return {
      comment: {
        id: comment.id,
        status: comment.status,
        title: comment.title,
        ...on,
        parent_comment_id: comment.parentCommentId ?? null,
        version: comment.version?.number,
        author_id: comment.authorId ?? comment.version?.authorId ?? null,
        created_at: comment.createdAt ?? comment.version?.createdAt ?? null,
        url: confluence.webUrl(comment._links?.webui) ?? null,
        _links: comment._links ?? {},
      },
      message: `Successfully added ${args.parent_comment_id === undefined ? 'comment' : 'reply'} to ${args.blogpost_id !== undefined ? `blog post ${args.blogpost_id}` : `page ${args.page_id}`}`,
    };
  },
});
