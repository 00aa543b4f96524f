import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, pageId } from './arguments.ts';
import { attachmentFields, attachmentOutput } from './attachment-fields.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    filename: z.string().min(1).max(255).optional().describe('An exact file name.'),
    media_type: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a media type such as "text/csv" or "image/png"')
      .optional()
      .describe('An exact media type, e.g. "application/pdf".'),
    limit,
    cursor,
  });

const output = () =>
  z.object({
    page_id: z.string(),
    attachments: z.array(attachmentOutput),
    ...pagingOutput,
  });

export const getConfluenceAttachments = defineTool({
  name: 'get_confluence_attachments',
  toolset: 'attachments',
  title: 'List the files attached to a page',
  description:
    'List the files attached to a page, optionally by file name or media type: the attachment ids get_confluence_attachment_content reads.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const answer = await confluence.listPageAttachments(args.page_id, {
      limit: args.limit,
      cursor: args.cursor,
      filename: args.filename,
      mediaType: args.media_type,
    });
    const attachments = answer.results.map((attachment) => attachmentFields(attachment, confluence));
    return { page_id: args.page_id, attachments, ...pagingFields(answer._links) };
  },
});
