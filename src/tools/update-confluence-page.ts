import * as z from 'zod';
import { loadMarkdown } from '../markdown/load.ts';
import { BODY_RULE, bodyText, pageId, versionNumber } from './arguments.ts';
import { allowRemoval, bodyFormat, refuseLoss, siteUrl, toStorage } from './body-format.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { readVersion, saveNextVersion, storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      page_id: pageId,
      version_number: versionNumber('the update'),
      title: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .optional()
        .describe('A new title; omit to keep the current one.'),
      body: bodyText('The new content, replacing the whole body; omit to keep the current one').optional(),
      body_format: bodyFormat,
      allow_removal: allowRemoval,
      status: z
        .enum(['current', 'draft'])
        .default('current')
        .describe(
          '"current" (published, the default: updating a draft publishes it) or "draft" (keep it a draft).',
        ),
      version_message: z
        .string()
        .max(500)
        .optional()
        .describe('An optional note stored with the new version in the page history.'),
    })
    .superRefine((args, ctx) => {
      if (args.title === undefined && args.body === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['body'],
          message: 'nothing to change: give title and/or body',
        });
      }
    });

export const updateConfluencePage = defineTool({
  name: 'update_confluence_page',
  toolset: 'pages',
  title: 'Update a page',
  description: [
    "Change an existing page's title and/or content. First read it with get_confluence_page; pass its version.number as version_number and send the full new body (your change merged into the current content). An omitted title or body stays as it is; status defaults to current, so send status draft to keep a draft unpublished.",
    'Recommended: read with body_format "markdown", edit the Markdown, send it back with body_format "markdown": everything you did not touch (macros, mentions, layouts, attributes) is written back exactly as it was; a body identical to the current content writes nothing (unchanged: true). Keep every marker line ([[layout section …, cell …]], [[table row …, cell …]], [[name: title]] … [[/name]]) and every > [!KIND] panel head as read: the content between them is yours to edit, and an edit inside one cell or panel changes only it. A Markdown body that drops an element Markdown cannot rebuild (a [[…]] placeholder or marker, a panel, an emoticon) is refused with content_loss unless allow_removal is true. To change one section, update_confluence_page_section is simpler.',
    'The update is refused with version_conflict when the page has changed since the version you read (error.current_version tells {number, author_id, created_at}): read the page again, merge your change into the new content, and retry with the new number. It never overwrites an edit you have not seen.',
    `Body: ${BODY_RULE}`,
    'Returns page {id, status, title, space_id, parent_id, parent_type, author_id, created_at, version (the new number), url, _links}, unchanged (true when nothing was written) and a message.',
  ].join(' '),
  schema,
  output: () =>
    writtenPageOutput.extend({
      unchanged: z.boolean().describe('true when the content was already as sent and nothing was written.'),
    }),
  annotations: ANNOTATIONS.idempotentWrite,
  async run(args, confluence) {
    const current = await readVersion(confluence, args.page_id, args.version_number);
    let storage = storageOf(current);
    let bodyUnchanged = args.body === undefined;
    if (args.body !== undefined && args.body_format === 'markdown') {
      const { mergeMarkdown } = await loadMarkdown();
      const merge = mergeMarkdown(args.body, storage, siteUrl(confluence));
      await refuseLoss(merge, args.allow_removal);
      storage = merge.storage;
      bodyUnchanged = merge.unchanged;
    } else if (args.body !== undefined) storage = await toStorage(args.body, args.body_format, confluence);
    const title = args.title ?? current.title;
    // Markdown identical to what was read writes nothing: no empty version in the page history.
    if (
      args.body_format === 'markdown' &&
      bodyUnchanged &&
      title === current.title &&
      args.status === current.status
    ) {
      return {
        page: writtenPage(current, confluence),
        unchanged: true,
        message: `The content of page ${current.id} is unchanged; no new version was written`,
      };
    }
    const page = await saveNextVersion(confluence, current, {
      status: args.status,
      title,
      storage,
      ...(args.version_message !== undefined && { message: args.version_message }),
    });
    return {
      page: writtenPage(page, confluence),
      unchanged: false,
      message: `Successfully updated page ${page.id} to version ${page.version?.number}`,
    };
  },
});
