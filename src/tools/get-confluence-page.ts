import * as z from 'zod';
import { loadMarkdown } from '../markdown/load.ts';
import { pageId } from './arguments.ts';
import { PAGE_NOT_FOUND, RATE_LIMITED } from './descriptions.ts';
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
        'How to return the content: "markdown" (recommended: about half the tokens of storage, and safe to edit and send back with body_format "markdown"), "storage" (Confluence XHTML, the default; what create/update accept), "atlas_doc_format" (ADF JSON as a string) or "view" (rendered HTML).',
      ),
    get_draft: z
      .boolean()
      .default(false)
      .describe('true to read the unpublished draft of the page instead of the published version.'),
    max_chars: maxChars('content'),
    offset: offset('content'),
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
  description: [
    'Read one Confluence page by id: its title, content, labels, version and web url. Use it to read documentation, and always before update_confluence_page (you need page.version.number and the current content to merge into).',
    'Returns page {id, status, title, space_id, parent_id, parent_type, position, author_id, created_at, version {number, message, created_at}, content, content_format, labels [{id, name, prefix}], url, offset, total_chars, truncated, next_offset?, omitted? (Markdown only)}.',
    'In Markdown, what Markdown cannot express appears in a short readable form that must stay in the text for the page to keep it: [[name: title]] for a macro with no body, [status: …], :emoticon:, [date: …], @user:<account id> for a mention, ![alt](attachment:file) for an image, [text](<page:Title>) for a link to a page.',
    'Containers show their content as Markdown between marker lines, each alone on its line: a layout as "[[layout section 1 of 2: two_equal, cell 1 of 2]]" before each cell\'s content and "[[/layout]]" after the last; a table with merged cells or lists in cells as "[[table row 1 of 3, cell 2 of 2]]" before each cell and "[[/table]]"; a macro with a body as "[[name: title]]", its body, "[[/name]]"; a panel as a "> [!INFO] Title" quote; a diagram or other plain-text body as a fenced block whose info string is the macro name. Edit the content between markers freely and keep every marker line as it is: a cell or panel you edit changes alone, and removing a marker or panel is refused with content_loss unless allow_removal is true.',
    'page.omitted lists what the Markdown shows only by name (macros with no body such as a Jira query or a table of contents), by kind and count: read the page in storage format to see them.',
    'Long pages come in slices of max_chars characters: when page.truncated is true, call again with offset = page.next_offset to read on.',
    `Errors: ${PAGE_NOT_FOUND} (drafts need get_draft: true); ${RATE_LIMITED}.`,
  ].join(' '),
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
