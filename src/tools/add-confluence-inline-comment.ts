import * as z from 'zod';
import { countOccurrences, selectableText } from '../confluence/body.ts';
import { ApiError } from '../lib/errors.ts';
import { bodyText, pageId } from './arguments.ts';
import { bodyFormat, toStorage } from './body-format.ts';
import { storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    text_selection: z
      .string()
      .min(1)
      .max(1000)
      .refine((text) => text.trim() !== '', 'the selection must contain more than white space')
      .describe('The words on the page the comment is about, as a reader sees them.'),
    match_index: z.number().int().min(0).default(0).describe('Which occurrence: 0 is the first.'),
    comment: bodyText('The comment').min(1),
    body_format: bodyFormat,
  });

const output = () =>
  z.object({
    comment: z.object({
      id: z.string(),
      page_id: z.string(),
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
    "Comment on a passage of a page's text, as a reviewer highlights words. invalid_arguments with details.match_count: text_selection is not on the published page as given, or fewer times than match_index.",
  schema,
  output,
  annotations: ANNOTATIONS.write,
  async run(args, confluence) {
    const page = await confluence.getPage(args.page_id, { 'body-format': 'storage' });
    const count = countOccurrences(selectableText(storageOf(page)), args.text_selection);
    if (count === 0 || args.match_index >= count) {
      throw new ApiError(
        'invalid_arguments',
        count === 0
          ? `The text "${args.text_selection.slice(0, 100)}" is not on page ${args.page_id} (0 matches); nothing was posted. Read the page with get_confluence_page and copy a passage exactly as it reads (plain words, without markup).`
          : `The text occurs ${count} time${count === 1 ? '' : 's'} on page ${args.page_id}, so match_index must be 0 to ${count - 1}, not ${args.match_index}; nothing was posted.`,
        { details: { match_count: count } },
      );
    }
    const comment = await confluence.createInlineComment({
      pageId: args.page_id,
      body: { representation: 'storage', value: await toStorage(args.comment, args.body_format, confluence) },
      inlineCommentProperties: {
        textSelection: args.text_selection,
        textSelectionMatchCount: count,
        textSelectionMatchIndex: args.match_index,
      },
    });
    return {
      comment: {
        id: comment.id,
        page_id: comment.pageId ?? args.page_id,
        text_selection: args.text_selection,
        match_index: args.match_index,
        match_count: count,
        resolution_status: comment.resolutionStatus ?? 'open',
        version: comment.version?.number ?? null,
        author_id: comment.authorId ?? comment.version?.authorId ?? null,
        created_at: comment.createdAt ?? comment.version?.createdAt ?? null,
        url: confluence.webUrl(comment._links?.webui) ?? null,
      },
      message: `Successfully added an inline comment to page ${args.page_id} on "${args.text_selection.slice(0, 100)}"`,
    };
  },
});
