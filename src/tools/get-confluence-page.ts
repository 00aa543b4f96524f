import * as z from 'zod';
import { pageReadQuery } from '../confluence/api.ts';
import { ApiError } from '../lib/errors.ts';
import type { Omitted } from '../markdown/index.ts';
import { loadMarkdown } from '../markdown/load.ts';
import { pageId } from './arguments.ts';
import { pageFieldsOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { outlineOf, sectionOfPage } from './page-sections.ts';
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
    outline: z.boolean().default(false).describe("true: only the headings, with each section's size."),
    section: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe("A heading's text: read only its section."),
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
      content: z
        .string()
        .describe('The slice of the body (or of the section) from offset, at most max_chars characters.'),
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
          'Markdown only: what the Markdown shows only by name, by kind and count over the whole page, or the section read (e.g. {kind: "macro jira", count: 2}); empty when every word of the page is in the Markdown.',
        ),
      outline: z
        .array(z.object({ level: z.number(), heading: z.string(), chars: z.number() }))
        .optional()
        .describe('With outline: each heading and the size of its section; content is empty.'),
      section: z.string().optional().describe('The heading of the section read.'),
    }),
  });

export const getConfluencePage = defineTool({
  name: 'get_confluence_page',
  toolset: 'pages',
  title: 'Read a page',
  description:
    'Read one page: its content, labels and version; writes need page.version.number as read. A draft is not_found unless get_draft is true. page.omitted: what Markdown shows by name only (storage shows it). Long page: read its outline, then one section; change it with update_confluence_page_section.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const markdown = args.body_format === 'markdown';
    const part = args.outline || args.section !== undefined;
    if (part && !markdown && args.body_format !== 'storage')
      throw new ApiError(
        'invalid_arguments',
        'outline and section read a page in markdown or storage format.',
      );
    if (args.outline && args.section !== undefined)
      throw new ApiError('invalid_arguments', 'Give outline or section, not both.');
    const format = markdown ? 'storage' : args.body_format;
    // The same query as every other read of the page, so that the outline, the section and the
    // slices after it share one cached read (confluence/read-cache.ts).
    const { value: page, encoded } = await confluence.getPageKeepingBody(
      args.page_id,
      pageReadQuery(format, args.get_draft),
      // An answer much longer than max_chars holds a body that will be cut: no need to keep its source.
      args.offset === 0 && !markdown && !part ? args.max_chars * 1.5 + 16_384 : 0,
    );
    const stored = page.body?.[format]?.value ?? '';
    const reading: PartRead | undefined = part
      ? await readPart(stored, markdown, args.outline ? undefined : args.section)
      : markdown
        ? (await loadMarkdown()).readMarkdown(stored)
        : undefined;
    const content = reading ? reading.markdown : stored;
    const slice = args.outline ? { text: '' } : sliceContent(content, args.offset, args.max_chars);
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
        content: slice.text.length === content.length && !markdown && !part ? encoded(content) : slice.text,
        content_format: args.body_format,
        labels: (page.labels?.results ?? []).map(({ id, name, prefix }) => ({ id, name, prefix })),
        offset: args.outline ? 0 : args.offset,
        total_chars: content.length,
        truncated: slice.next !== undefined,
        ...(slice.next !== undefined && { next_offset: slice.next }),
        ...(reading && markdown && { omitted: reading.omitted }),
        ...(reading?.outline && { outline: reading.outline }),
        ...(reading?.section !== undefined && { section: reading.section }),
      },
    };
  },
});

interface PartRead {
  markdown: string;
  omitted: Omitted[];
  outline?: ReturnType<typeof outlineOf>;
  section?: string;
}

/**
 * The page's outline (its headings and their sections' sizes, over the whole body), or one
 * section's content, found as update_confluence_page_section finds it; in Markdown or storage.
 */
async function readPart(storage: string, markdown: boolean, heading: string | undefined): Promise<PartRead> {
  const { readMarkdown, readSections } = await loadMarkdown();
  if (heading === undefined) {
    const read = readSections(storage);
    const outline = outlineOf(read.sections, markdown ? 'markdown' : 'storage');
    return { markdown: markdown ? read.markdown : storage, omitted: read.omitted, outline };
  }
  const section = await sectionOfPage(storage, heading, 'read');
  const source = storage.slice(section.contentStart, section.end);
  const read = markdown ? readMarkdown(source) : { markdown: source, omitted: [] };
  return { ...read, section: section.heading.text };
}
