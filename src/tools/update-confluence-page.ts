import * as z from 'zod';
import { loadMarkdown } from '../markdown/load.ts';
import { bodyText, pageId, versionNumber } from './arguments.ts';
import { allowRemoval, bodyFormat, refuseLoss, siteUrl, toStorage } from './body-format.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { readVersion, saveNextVersion, storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      page_id: pageId,
      version_number: versionNumber(),
      title: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .optional()
        .describe('A new title; omit to keep the current one.'),
      body: bodyText('The whole new content; omit to keep it').optional(),
      body_format: bodyFormat,
      allow_removal: allowRemoval,
      status: z
        .enum(['current', 'draft'])
        .default('current')
        .describe('"current" publishes (a draft too); "draft" keeps it a draft.'),
      version_message: z.string().max(500).optional().describe('A note for the page history.'),
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
  description:
    "Replace a page's title and/or whole body: send the version_number you read and the full new body with your change merged in. For one section, update_confluence_page_section is safer.",
  schema,
  output: () =>
    writtenPageOutput.extend({
      unchanged: z.boolean().describe('true when the content was already as sent and nothing was written.'),
    }),
  annotations: ANNOTATIONS.idempotentWrite,
  async run(args, confluence) {
    const current = await readVersion(confluence, args.page_id, args.version_number, { reuseRead: true });
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
