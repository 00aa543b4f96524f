import * as z from 'zod';
import { bodyText, pageId, versionNumber } from './arguments.ts';
import { allowRemoval, bodyFormat } from './body-format.ts';
import { nextVersion, titleOrBody, updateAnswer } from './content-update.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { confirmUnchanged, readVersion, saveNextVersion } from './page-versions.ts';
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
    .superRefine(titleOrBody);

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
    const next = await nextVersion(args, current, confluence);
    if (!next) {
      return updateAnswer(
        'page',
        'page',
        writtenPage(await confirmUnchanged(confluence, current), confluence),
        true,
      );
    }
    const page = await saveNextVersion(confluence, current, next);
    return updateAnswer('page', 'page', writtenPage(page, confluence), false);
  },
});
