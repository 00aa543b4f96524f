import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import { listBlogPostComments } from '../confluence/blogposts.ts';
import { nextCursor } from '../confluence/paging.ts';
import type { CommentItem } from '../confluence/types.ts';
import { ApiError } from '../lib/errors.ts';
import { cursor, pageId } from './arguments.ts';
import { blogPostId, onePageOrBlogPost } from './blogpost-fields.ts';
import { pagingOutput } from './outputs.ts';
import { type BodyRenderer, bodyRenderer, readBodyFormat } from './read-body.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

/** Replies read per thread; a thread with more says so (replies_truncated). */
const REPLIES_PER_THREAD = 50;

const schema = () =>
  z
    .object({
      page_id: pageId.optional(),
      blogpost_id: blogPostId.optional().describe('Instead of page_id.'),
      kind: z.enum(['all', 'footer', 'inline']).default('all').describe('"inline": anchored to a passage.'),
      include_replies: z.boolean().default(true).describe('false for top-level comments only.'),
      body_format: readBodyFormat,
      limit: z.number().int().min(1).max(25).default(10).describe('Threads per call.'),
      cursor,
    })
    .superRefine(onePageOrBlogPost);

type Kind = 'footer' | 'inline';

const commentOutput = () => ({
  id: z.string(),
  kind: z.enum(['footer', 'inline']),
  author_id: z.string().nullable(),
  created_at: z.string().nullable(),
  version: z.number().nullable(),
  body: z.string(),
  url: z.string().nullable(),
  parent_comment_id: z.string().nullable(),
  text_selection: z.string().nullable().optional(),
  resolution_status: z.string().nullable().optional(),
});

const output = () =>
  z.object({
    page_id: z.string().optional(),
    blogpost_id: z.string().optional(),
    comments: z.array(
      z.object({
        ...commentOutput(),
        replies: z.array(z.object(commentOutput())).optional(),
        replies_truncated: z.boolean().optional(),
      }),
    ),
    ...pagingOutput,
  });

export const getConfluenceComments = defineTool({
  name: 'get_confluence_comments',
  toolset: 'comments',
  title: 'Read the comments on a page',
  description:
    "Read a page's (or, with blogpost_id, a blog post's) footer and inline comments, each thread with its replies: reviewers' feedback and open questions to see before you change the page.",
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    let { kind, from } = startingPoint(args.kind, args.cursor);
    const threads: { comment: CommentItem; kind: Kind }[] = [];
    let next: string | undefined;
    // Footer threads first, then inline ones: one list after the other, within one limit per answer.
    for (;;) {
      const room = args.limit - threads.length;
      const query = { limit: room, cursor: from };
      const answer =
        args.blogpost_id !== undefined
          ? await listBlogPostComments(confluence, kind, args.blogpost_id, query)
          : await confluence.listPageComments(kind, args.page_id as string, query);
      for (const comment of answer.results) threads.push({ comment, kind });
      const more = nextCursor(answer._links);
      if (more) {
        next = `${kind}:${more}`;
        break;
      }
      if (args.kind !== 'all' || kind === 'inline') break;
      kind = 'inline';
      from = undefined;
      if (threads.length >= args.limit) {
        next = 'inline:';
        break;
      }
    }
    const render = await bodyRenderer(args.body_format);
    const comments = await Promise.all(
      threads.map(({ comment, kind }) =>
        shapeThread(confluence, comment, kind, args.include_replies, render),
      ),
    );
    return {
      ...(args.blogpost_id !== undefined ? { blogpost_id: args.blogpost_id } : { page_id: args.page_id }),
      comments,
      ...(next ? { has_more: true, next_cursor: next } : { has_more: false }),
    };
  },
});

/** Where this answer starts: the kind being listed and Confluence's cursor within it. */
function startingPoint(kind: 'all' | Kind, given: string | undefined): { kind: Kind; from?: string } {
  if (given === undefined) return { kind: kind === 'inline' ? 'inline' : 'footer' };
  const separator = given.indexOf(':');
  const listed = given.slice(0, separator);
  if ((listed !== 'footer' && listed !== 'inline') || (kind !== 'all' && kind !== listed)) {
    throw new ApiError(
      'invalid_arguments',
      'This cursor does not belong to this listing: pass next_cursor exactly as the previous answer gave it, with the same kind.',
    );
  }
  const from = given.slice(separator + 1);
  return { kind: listed, ...(from && { from }) };
}

async function shapeThread(
  confluence: ConfluenceApi,
  comment: CommentItem,
  kind: Kind,
  withReplies: boolean,
  render: BodyRenderer,
) {
  const shaped = shapeComment(confluence, comment, kind, render);
  if (!withReplies) return shaped;
  const replies = await confluence.listCommentReplies(kind, comment.id, { limit: REPLIES_PER_THREAD });
  return {
    ...shaped,
    replies: replies.results.map((reply) => shapeComment(confluence, reply, kind, render)),
    replies_truncated: nextCursor(replies._links) !== undefined,
  };
}

function shapeComment(confluence: ConfluenceApi, comment: CommentItem, kind: Kind, render: BodyRenderer) {
  return {
    id: comment.id,
    kind,
    author_id: comment.authorId ?? comment.version?.authorId ?? null,
    created_at: comment.createdAt ?? comment.version?.createdAt ?? null,
    version: comment.version?.number ?? null,
    body: render(comment.body?.storage?.value ?? ''),
    url: confluence.webUrl(comment._links?.webui) ?? null,
    parent_comment_id: comment.parentCommentId ?? null,
    ...(kind === 'inline' && {
      text_selection: comment.properties?.inlineOriginalSelection ?? null,
      resolution_status: comment.resolutionStatus ?? null,
    }),
  };
}
