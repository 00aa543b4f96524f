import * as z from 'zod';
import { ApiError } from '../lib/errors.ts';
import { pageId } from './arguments.ts';
import { unifiedDiff } from './line-diff.ts';
import { bodyRenderer, type ReadBodyFormat, readBodyFormat } from './read-body.ts';
import { maxChars, offset, sliceContent } from './slicing.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const version = (which: string) => z.number().int().min(1).describe(which);

const schema = () =>
  z
    .object({
      page_id: pageId,
      from_version: version('The older version number (from get_confluence_page_history).'),
      to_version: version('The newer version number; omit to compare with the current version.').optional(),
      body_format: readBodyFormat,
      max_chars: maxChars(),
      offset: offset(),
    })
    .superRefine((args, ctx) => {
      if (args.to_version !== undefined && args.to_version === args.from_version) {
        ctx.addIssue({ code: 'custom', path: ['to_version'], message: 'must differ from from_version' });
      }
    });

const output = () =>
  z.object({
    page_id: z.string(),
    title: z.string(),
    from_version: z.number(),
    to_version: z.number().optional(),
    body_format: z.enum(['markdown', 'storage']),
    added_lines: z.number(),
    removed_lines: z.number(),
    diff: z.string(),
    offset: z.number(),
    total_chars: z.number(),
    truncated: z.boolean(),
    next_offset: z.number().optional(),
  });

export const compareConfluencePageVersions = defineTool({
  name: 'compare_confluence_page_versions',
  toolset: 'history',
  title: 'Show what changed between two versions of a page',
  description:
    'Diff two versions of a page (unified diff: - removed, + added), e.g. to review an edit or see what changed since you read it.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const [older, newer] = await Promise.all([
      confluence.getPageVersion(args.page_id, args.from_version),
      confluence.getPageVersion(args.page_id, args.to_version),
    ]);
    const toNumber = newer.version?.number ?? args.to_version;
    if (toNumber === args.from_version) {
      throw new ApiError(
        'invalid_arguments',
        `Version ${args.from_version} is the current version of page ${args.page_id}: give an older from_version (get_confluence_page_history lists them).`,
      );
    }
    const render = await bodyRenderer(args.body_format);
    const lines = (storage: string | undefined) => linesOf(render(storage ?? ''), args.body_format);
    const diff = unifiedDiff(lines(older.body?.storage?.value), lines(newer.body?.storage?.value), [
      `version ${args.from_version}`,
      `version ${toNumber}`,
    ]);
    const slice = sliceContent(diff.text, args.offset, args.max_chars);
    return {
      page_id: args.page_id,
      title: newer.title,
      from_version: args.from_version,
      to_version: toNumber,
      body_format: args.body_format,
      added_lines: diff.added,
      removed_lines: diff.removed,
      diff: slice.text,
      offset: args.offset,
      total_chars: diff.text.length,
      truncated: slice.next !== undefined,
      ...(slice.next !== undefined && { next_offset: slice.next }),
    };
  },
});

/** Block elements start a new line, so a storage diff shows the paragraphs that changed. */
const BLOCK_START =
  /(?=<(?:p|h[1-6]|li|tr|table|ul|ol|blockquote|pre|hr|div|ac:structured-macro|ac:layout-section|ac:task)[\s/>])/g;

function linesOf(text: string, format: ReadBodyFormat): string[] {
  const lines = format === 'storage' ? text.replace(BLOCK_START, '\n').split('\n') : text.split('\n');
  return lines.filter((line, i) => line !== '' || i > 0);
}
