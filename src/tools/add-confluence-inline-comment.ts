import * as z from 'zod';
import { createBlogPostInlineComment, getBlogPost } from '../confluence/blogposts.ts';
import { countOccurrences, selectableText } from '../confluence/body.ts';
import { ApiError } from '../lib/errors.ts';
import { bodyText, pageId } from './arguments.ts';
import { blogPostId, onePageOrBlogPost } from './blogpost-fields.ts';
import { bodyFormat, toStorage } from './body-format.ts';
import { storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      page_id: pageId.optional(),
      blogpost_id: blogPostId.optional().describe('Instead of page_id.'),
      text_selection: z
        .string()
        .min(1)
        .max(1000)
        .refine((text) => text.trim() !== '', 'the selection must contain more than white space')
        .describe('The words on the page the comment is about, as a reader sees them.'),
      match_index: z.number().int().min(0).default(0).describe('Which occurrence: 0 is the first.'),
      comment: bodyText('The comment').min(1),
      body_format: bodyFormat,
    })
    .superRefine(onePageOrBlogPost);

const output = () =>
  z.object({
    comment: z.object({
      id: z.string(),
      page_id: z.string().optional(),
      blogpost_id: z.string().optional(),
      text_selection: z.string(),
      match_index: z.number(),
      match_count: z.number(),
      resolution_status: z.string(),
      version: z.number().nullable(),
      author_id: z.string().nullable(),
      created_at: z.string().nullable(),
      url: z.string().nullable(),
    }),
    message: z.string(),
  });

export const addConfluenceInlineComment = defineTool({
  name: 'add_confluence_inline_comment',
  toolset: 'comments',
  title: 'Comment on a passage of a page',
  description:
    "Comment on a passage of a page's (or, with blogpost_id, a blog post's) text, as a reviewer highlights words. invalid_arguments with details.match_count: text_selection is not in the published text as given, or fewer times than match_index.",
  schema,
  output,
  annotations: ANNOTATIONS.write,
  async run(args, confluence) {
    const onPost = args.blogpost_id !== undefined;
    const what = onPost ? `blog post ${args.blogpost_id}` : `page ${args.page_id}`;
    const content = onPost
      ? await getBlogPost(confluence, args.blogpost_id as string, { 'body-format': 'storage' })
      : await confluence.getPage(args.page_id as string, { 'body-format': 'storage' });
    const count = countOccurrences(selectableText(storageOf(content)), args.text_selection);
    if (count === 0 || args.match_index >= count) {
      throw new ApiError(
        'invalid_arguments',
        count === 0
          ? `The text "${args.text_selection.slice(0, 100)}" is not on ${what} (0 matches); nothing was posted. Read it with ${onPost ? 'get_confluence_blogpost' : 'get_confluence_page'} and copy a passage exactly as it reads (plain words, without markup).`
          : `The text occurs ${count} time${count === 1 ? '' : 's'} on ${what}, so match_index must be 0 to ${count - 1}, not ${args.match_index}; nothing was posted.`,
        { details: { match_count: count } },
      );
    }
    const anchored = {
      body: {
        representation: 'storage' as const,
        value: await toStorage(args.comment, args.body_format, confluence),
      },
      inlineCommentProperties: {
        textSelection: args.text_selection,
        textSelectionMatchCount: count,
        textSelectionMatchIndex: args.match_index,
      },
    };
    const comment = onPost
      ? await createBlogPostInlineComment(confluence, { blogPostId: args.blogpost_id as string, ...anchored })
      : await confluence.createInlineComment({ pageId: args.page_id as string, ...anchored });
    return {
      comment: {
        id: comment.id,
        ...(onPost
          ? { blogpost_id: comment.blogPostId ?? args.blogpost_id }
          : { page_id: comment.pageId ?? args.page_id }),
        text_selection: args.text_selection,
        match_index: args.match_index,
        match_count: count,
        resolution_status: comment.resolutionStatus ?? 'open',
        version: comment.version?.number ?? null,
        author_id: comment.authorId ?? comment.version?.authorId ?? null,
        created_at: comment.createdAt ?? comment.version?.createdAt ?? null,
        url: confluence.webUrl(comment._links?.webui) ?? null,
      },
      message: `Successfully added an inline comment to ${what} on "${args.text_selection.slice(0, 100)}"`,
    };
  },
});
