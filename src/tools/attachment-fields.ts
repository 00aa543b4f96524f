import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import type { Attachment } from '../confluence/types.ts';

export const attachmentOutput = z.object({
  id: z.string(),
  title: z.string(),
  media_type: z.string().nullable(),
  file_size: z.number().nullable(),
  version: z.number().nullable(),
  created_at: z.string().nullable(),
  comment: z.string(),
  page_id: z.string().nullable(),
  download_url: z.string().nullable(),
});

/** An attachment as the attachment tools return it. */
export function attachmentFields(attachment: Attachment, confluence: ConfluenceApi) {
  return {
    id: attachment.id,
    title: attachment.title,
    media_type: attachment.mediaType ?? null,
    file_size: attachment.fileSize ?? null,
    version: attachment.version?.number ?? null,
    created_at: attachment.createdAt ?? attachment.version?.createdAt ?? null,
    comment: attachment.comment ?? '',
    page_id: attachment.pageId ?? null,
    download_url: confluence.webUrl(attachment.downloadLink ?? attachment._links?.download) ?? null,
  };
}
