import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, pageId } from './arguments.ts';
import { attachmentFields, attachmentOutput } from './attachment-fields.ts';
import { PAGE_NOT_FOUND } from './descriptions.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe('The id of the page whose attached files to list.'),
    filename: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('Only the attachment with exactly this file name, e.g. "diagram.png".'),
    media_type: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a media type such as "text/csv" or "image/png"')
      .optional()
      .describe('Only attachments of exactly this media type, e.g. "text/csv" or "application/pdf".'),
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
  description: [
    'List the files attached to one Confluence page (spreadsheets, images, PDFs, logs…), optionally by exact file name or media type. Use it to find an attachment id; read a file with get_confluence_attachment_content, add or replace one with upload_confluence_attachment.',
    'Returns page_id, attachments [{id, title (the file name), media_type, file_size (bytes), version, created_at, comment, page_id, download_url (for a person signed in to Confluence)}] and has_more.',
    'When has_more is true, call again with cursor = next_cursor and the same other arguments.',
    `Errors: ${PAGE_NOT_FOUND}.`,
  ].join(' '),
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
