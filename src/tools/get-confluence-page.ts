import * as z from 'zod';
import { loadMarkdown } from '../markdown/load.ts';
import { pageId } from './arguments.ts';
import { pageFieldsOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { maxChars, offset, sliceContent } from './slicing.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

/** Every format a page can be read in; the result's `content_format` is the one asked for. */
const pageBodyFormats = ['storage', 'markdown', 'atlas_doc_format', 'view'] as const;

const schema = () =>
  z.object({
    page_id: pageId,
    body_format: z
      .enum(pageBodyFormats)
      .default('storage')
      .describe(
        '"markdown" is recommended: half the tokens, safe to edit and send back. "view" is rendered HTML.',
      ),
    get_draft: z.boolean().default(false).describe('true to read the unpublished draft.'),
    max_chars: maxChars(),
    offset: offset(),
  });

const output = () =>
  z.object({
    page: z.object({
      ...pageFieldsOutput,
      position: z.number().nullable(),
      subtype: z.string().nullable().optional().describe('"live" for a live doc.'),
      version: z.object({
        number: z.number().optional(),
        message: z.string(),
        created_at: z.string().optional(),
      }),
      content: z.string().describe('The slice of the body from offset, at most max_chars characters.'),
      content_format: z.enum(pageBodyFormats),
      labels: z.array(z.object({ id: z.string(), name: z.string(), prefix: z.string() })),
      offset: z.number(),
      total_chars: z.number(),
      truncated: z.boolean(),
      next_offset: z.number().optional().describe('Where the rest starts, when truncated.'),
      omitted: z
        .array(z.object({ kind: z.string(), count: z.number() }))
        .optional()
        .describe(
          'Markdown only: what the Markdown shows only by name, by kind and count over the whole page (e.g. {kind: "macro jira", count: 2}); empty when every word of the page is in the Markdown.',
        ),
    }),
  });

export const getConfluencePage = defineTool({
  name: 'get_confluence_page',
  toolset: 'pages',
  title: 'Read a page',
  description:
    'Read one page: its content, labels and version. Read before any change: the writes need page.version.number, and your edit goes into the current content. A draft is not_found unless get_draft is true. page.omitted lists what the Markdown shows by name only: read in storage format to see it.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const markdown = args.body_format === 'markdown';
    const format = markdown ? 'storage' : args.body_format;
    const { value: page, encoded } = await confluence.getPageKeepingBody(
      args.page_id,
      {
        'body-format': format,
        'include-labels': true,
        ...(args.get_draft && { 'get-draft': true }),
      },
      // An answer much longer than max_chars holds a body that will be cut: no need to keep its source.
      args.offset === 0 && !markdown ? args.max_chars * 1.5 + 16_384 : 0,
    );
    const stored = page.body?.[format]?.value ?? '';
    const reading = markdown ? (await loadMarkdown()).readMarkdown(stored) : undefined;
    const content = reading ? reading.markdown : stored;
    const slice = sliceContent(content, args.offset, args.max_chars);
    return {
      page: {
        ...pageFields(page, confluence),
        position: page.position ?? null,
        ...(page.subtype !== undefined && { subtype: page.subtype }),
        version: {
          number: page.version?.number,
          message: page.version?.message ?? '',
          created_at: page.version?.createdAt,
        },
        // A whole body goes out as Confluence encoded it, without escaping it all again.
        content: slice.text.length === content.length && !markdown ? encoded(content) : slice.text,
        content_format: args.body_format,
        labels: (page.labels?.results ?? []).map(({ id, name, prefix }) => ({ id, name, prefix })),
        offset: args.offset,
        total_chars: content.length,
        truncated: slice.next !== undefined,
        ...(slice.next !== undefined && { next_offset: slice.next }),
        ...(reading && { omitted: reading.omitted }),
      },
    };
  },
});
