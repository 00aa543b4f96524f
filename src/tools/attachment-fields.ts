import type { Attachment, ConfluenceApi } from '../confluence/api.ts';

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
