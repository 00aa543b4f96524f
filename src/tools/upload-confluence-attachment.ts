import * as z from 'zod';
import { ApiError } from '../lib/errors.ts';
import { pageId } from './arguments.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

/** Confluence Cloud takes larger files; an agent's upload through a JSON body stops here. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const schema = () =>
  z
    .object({
      page_id: pageId,
      filename: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .refine(
          (name) => !/[/\\]/.test(name) && ![...name].some((ch) => ch.charCodeAt(0) < 32),
          'a file name without slashes or control characters',
        )
        .describe('E.g. "report.csv".'),
      content: z.string().max(MAX_UPLOAD_BYTES).optional().describe('A text file (UTF-8), e.g. .md or .csv.'),
      content_base64: z
        .string()
        .max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 4)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected standard base64 (A–Z, a–z, 0–9, +, /, = padding)')
        .optional()
        .describe('Or a binary file (an image, a PDF) as base64.'),
      media_type: z
        .string()
        .regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a media type such as "text/csv" or "image/png"')
        .optional()
        .describe('E.g. "text/csv"; default text/plain or application/octet-stream.'),
      comment: z.string().max(1000).optional().describe('A note stored with this version of the file.'),
    })
    .superRefine((args, ctx) => {
      if ((args.content === undefined) === (args.content_base64 === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['content'],
          message: 'give exactly one of content (text) and content_base64 (binary)',
        });
      }
    });

const output = () =>
  z.object({
    attachment: z.object({
      id: z.string(),
      title: z.string(),
      version: z.number().nullable(),
      media_type: z.string(),
      file_size: z.number(),
      page_id: z.string(),
      download_url: z.string().nullable(),
    }),
    message: z.string(),
  });

export const uploadConfluenceAttachment = defineTool({
  name: 'upload_confluence_attachment',
  toolset: 'attachments',
  title: 'Attach a file to a page',
  description:
    "Attach a file of up to 10 MB to a page (text as content, binary as content_base64); a name already attached becomes that file's new version. upstream_timeout: check get_confluence_attachments before retrying.",
  schema,
  output,
  annotations: ANNOTATIONS.write,
  async run(args, confluence) {
    const bytes =
      args.content !== undefined
        ? new TextEncoder().encode(args.content)
        : fromBase64(args.content_base64 ?? '');
    if (bytes.byteLength > MAX_UPLOAD_BYTES) {
      throw new ApiError(
        'invalid_arguments',
        `The file is ${bytes.byteLength} bytes; uploads are limited to ${MAX_UPLOAD_BYTES} bytes (10 MB). Split it or attach a smaller file.`,
      );
    }
    const mediaType =
      args.media_type ?? (args.content !== undefined ? 'text/plain' : 'application/octet-stream');
    const file = new File([bytes], args.filename, { type: mediaType });
    const answer = await confluence.uploadAttachment(args.page_id, file, args.comment);
    const uploaded = answer.results[0];
    if (!uploaded) {
      throw new ApiError(
        'upstream_error',
        'Confluence accepted the upload but described no attachment. Check get_confluence_attachments.',
      );
    }
    const version = uploaded.version?.number ?? null;
    return {
      attachment: {
        id: uploaded.id,
        title: uploaded.title,
        version,
        media_type: mediaType,
        file_size: bytes.byteLength,
        page_id: args.page_id,
        download_url: confluence.webUrl(uploaded._links?.download) ?? null,
      },
      message: `${version !== null && version > 1 ? `Uploaded version ${version} of` : 'Attached'} '${uploaded.title}' on page ${args.page_id}`,
    };
  },
});

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new ApiError(
      'invalid_arguments',
      'content_base64 is not valid base64 (its length must be a multiple of 4 once padded with =).',
    );
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
