import * as z from 'zod';
import { getInlineComment, setInlineCommentResolved } from '../confluence/inline-comments.ts';
import { ApiError } from '../lib/errors.ts';
import { commentId } from './arguments.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    comment_id: commentId.describe("The thread's top comment."),
    resolved: z.boolean().default(true),
  });

const output = () =>
  z.object({
    comment: z.object({
      id: z.string(),
      page_id: z.string().nullable(),
      resolution_status: z.string().nullable().describe('open, reopened, resolved or dangling.'),
      version: z.number().nullable(),
    }),
    unchanged: z.boolean(),
    message: z.string(),
  });

export const resolveConfluenceInlineComment = defineTool({
  name: 'resolve_confluence_inline_comment',
  title: 'Resolve or reopen an inline comment',
  description:
    'Resolve an inline comment thread once addressed, or reopen it (resolved: false). invalid_arguments: the id is a reply, or the thread lost its text.',
  schema,
  output,
  annotations: ANNOTATIONS.idempotentWrite,
  toolset: 'comments',
  async run(args, confluence) {
    const current = await getInlineComment(confluence, args.comment_id);
    if (current.parentCommentId) {
      throw new ApiError(
        'invalid_arguments',
        `Comment ${current.id} is a reply in the thread of comment ${current.parentCommentId}: resolve or reopen the thread by that comment's id.`,
      );
    }
    if (current.resolutionStatus === 'dangling') {
      throw new ApiError(
        'invalid_arguments',
        `Inline comment ${current.id} is dangling (the text it was anchored to is gone): Confluence lets no one resolve or reopen it.`,
      );
    }
    const shaped = (comment: typeof current) => ({
      id: comment.id,
      page_id: comment.pageId ?? null,
      resolution_status: comment.resolutionStatus ?? null,
      version: comment.version?.number ?? null,
    });
    if ((current.resolutionStatus === 'resolved') === args.resolved) {
      return {
        comment: shaped(current),
        unchanged: true,
        message: `Inline comment ${current.id} was already ${current.resolutionStatus}`,
      };
    }
    const updated = await setInlineCommentResolved(confluence, current.id, {
      version: { number: (current.version?.number ?? 1) + 1 },
      // Confluence rewrites the body with a version: send the one it has, unchanged.
      body: { representation: 'storage', value: current.body?.storage?.value ?? '' },
      resolved: args.resolved,
    });
    return {
      comment: shaped(updated),
      unchanged: false,
      message: `${args.resolved ? 'Resolved' : 'Reopened'} inline comment ${updated.id}`,
    };
  },
});
