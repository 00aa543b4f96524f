import * as z from 'zod';
import type { Attachment } from '../confluence/types.ts';
import { attachmentFields, attachmentOutput } from './attachment-fields.ts';
import { maxChars, offset, sliceContent } from './slicing.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

/** Images up to this size come back whole, as base64. */
export const MAX_IMAGE_BYTES = 1024 * 1024;
/** However far an agent reads into a text file, no download goes past this. */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const TEXT_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/x-javascript',
  'application/typescript',
  'application/x-yaml',
  'application/yaml',
  'application/x-sh',
  'application/sql',
  'application/csv',
  'application/x-ndjson',
  'image/svg+xml',
]);
const TEXT_EXTENSIONS =
  /\.(txt|md|markdown|csv|tsv|json|jsonl|xml|html?|ya?ml|toml|ini|cfg|conf|log|sql|sh|bash|py|rb|go|rs|java|kt|kts|swift|c|h|cc|cpp|hpp|cs|js|mjs|cjs|jsx|ts|tsx|css|scss|php|pl|r|scala|lua|tf|gradle|properties|env|diff|patch|svg)$/i;

const schema = () =>
  z.object({
    attachment_id: z
      .string()
      .regex(/^(att)?\d+$/, 'expected an attachment id such as "att65901", from get_confluence_attachments')
      .describe('E.g. "att65901".'),
    max_chars: maxChars(),
    offset: offset(),
  });

const output = () =>
  z.object({
    attachment: attachmentOutput,
    kind: z.enum(['text', 'image', 'unreadable']),
    content: z.string().optional(),
    offset: z.number().optional(),
    total_chars: z.number().nullable().optional(),
    truncated: z.boolean().optional(),
    next_offset: z.number().optional(),
    image: z.object({ media_type: z.string(), data_base64: z.string() }).optional(),
    message: z.string().optional(),
  });

export const getConfluenceAttachmentContent = defineTool({
  name: 'get_confluence_attachment_content',
  toolset: 'attachments',
  title: 'Read an attached file',
  description:
    'Read a file attached to a page: text formats as text, in slices; images up to 1 MB as an image; other files (PDF, Office, archives) are described, not read (kind unreadable).',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const id = args.attachment_id.startsWith('att') ? args.attachment_id : `att${args.attachment_id}`;
    const attachment = await confluence.getAttachment(id);
    const fields = attachmentFields(attachment, confluence);
    const kind = kindOf(attachment);
    if (kind === 'image') {
      if ((attachment.fileSize ?? 0) > MAX_IMAGE_BYTES) return unreadable(fields, tooLargeImage(attachment));
      const file = await confluence.downloadAttachment(attachment.pageId ?? '', id, MAX_IMAGE_BYTES);
      if (!file.complete) return unreadable(fields, tooLargeImage(attachment));
      const mediaType = attachment.mediaType ?? file.contentType ?? 'application/octet-stream';
      return {
        attachment: fields,
        kind,
        image: { media_type: mediaType, data_base64: toBase64(file.bytes) },
      };
    }
    if (kind !== 'text') {
      return unreadable(
        fields,
        `This ${attachment.mediaType ?? 'binary'} file cannot be read as text. A person can open it at download_url.`,
      );
    }
    // A character takes at most 3 bytes of UTF-8 (a surrogate pair, 4 for 2): enough for the slice asked.
    const cap = Math.min(MAX_TEXT_BYTES, (args.offset + args.max_chars) * 3 + 4);
    const file = await confluence.downloadAttachment(attachment.pageId ?? '', id, cap);
    if (file.bytes.subarray(0, 8192).includes(0)) {
      return unreadable(
        fields,
        'This file holds binary data, not text. A person can open it at download_url.',
      );
    }
    const text = new TextDecoder().decode(file.bytes, { stream: !file.complete });
    const slice = sliceContent(text, Math.min(args.offset, text.length), args.max_chars);
    const next = slice.next ?? (file.complete ? undefined : args.offset + slice.text.length);
    return {
      attachment: fields,
      kind,
      content: slice.text,
      offset: args.offset,
      total_chars: file.complete ? text.length : null,
      truncated: next !== undefined,
      ...(next !== undefined && { next_offset: next }),
    };
  },
});

function kindOf(attachment: Attachment): 'text' | 'image' | 'other' {
  const type = (attachment.mediaType ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
  if (IMAGE_TYPES.has(type)) return 'image';
  if (type.startsWith('text/') || TEXT_TYPES.has(type) || /\+(json|xml)$/.test(type)) return 'text';
  if ((type === '' || type === 'application/octet-stream') && TEXT_EXTENSIONS.test(attachment.title))
    return 'text';
  return 'other';
}

function unreadable(fields: ReturnType<typeof attachmentFields>, message: string) {
  return { attachment: fields, kind: 'unreadable', message };
}

function tooLargeImage(attachment: Attachment): string {
  return `This image is ${attachment.fileSize ?? 'over 1048576'} bytes; images are returned only up to 1 MB (1048576 bytes). A person can open it at download_url.`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
