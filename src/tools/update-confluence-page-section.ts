import * as z from 'zod';
import { ApiError } from '../lib/errors.ts';
import type { Section } from '../markdown/index.ts';
import { loadMarkdown } from '../markdown/load.ts';
import { bodyText, pageId, versionNumber } from './arguments.ts';
import { allowRemoval, refuseLoss, siteUrl, toStorage } from './body-format.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { readVersion, saveNextVersion, storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    version_number: versionNumber('the section update'),
    heading: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe(
        'The text of the heading whose section changes, as the page shows it (e.g. "Rollback"; case and leading #s do not matter when only one heading matches). The section runs to the next heading of the same or a higher level; a heading inside a layout cell, a panel or a macro body has a section that ends with that cell or body.',
      ),
    body: bodyText('The new content of the section, under its heading (the heading itself stays)'),
    body_format: z
      .enum(['markdown', 'storage'])
      .default('markdown')
      .describe('"markdown" (the default) or "storage" (Confluence XHTML, or plain text by the body rule).'),
    mode: z
      .enum(['replace', 'append', 'prepend'])
      .default('replace')
      .describe(
        '"replace" (default): the body replaces the section\'s content; "append": it goes at the end of the section; "prepend": right under the heading.',
      ),
    allow_removal: allowRemoval,
    version_message: z.string().max(500).optional().describe('An optional note stored with the new version.'),
  });

const output = () =>
  writtenPageOutput.extend({
    section: z.string().describe('The heading of the section that was replaced.'),
    unchanged: z.boolean().describe('true when the section was already as sent and nothing was written.'),
  });

export const updateConfluencePageSection = defineTool({
  name: 'update_confluence_page_section',
  toolset: 'pages',
  title: 'Update one section of a page',
  description: [
    'Change one section of a page (the content under one heading) and nothing else: everything outside the section is written back byte for byte. Cheaper and safer than update_confluence_page for a local change.',
    'Read the page first with get_confluence_page (body_format "markdown") for its version.number and headings. A heading that matches no section or several is refused with invalid_arguments listing the headings (error.headings).',
    'Headings inside layout cells, panels and macro bodies have sections too.',
    'In replace mode with Markdown, elements of the section Markdown cannot rebuild ([[…]] placeholders and markers, panels, emoticons) that the body no longer contains are refused with content_loss unless allow_removal is true. A body that changes nothing writes nothing (unchanged: true).',
    'Refused with version_conflict when the page has changed since the version you read: read it again and retry with the new number.',
    'Returns page {id, status, title, space_id, parent_id, parent_type, author_id, created_at, version, url, _links}, section (the heading), unchanged and a message.',
  ].join(' '),
  schema,
  output,
  annotations: ANNOTATIONS.write,
  async run(args, confluence) {
    const current = await readVersion(confluence, args.page_id, args.version_number);
    const storage = storageOf(current);
    const { matchSections, mergeMarkdown, sectionsOf } = await loadMarkdown();
    const sections = sectionsOf(storage);
    const section = findSection(sections, matchSections(sections, args.heading), args.heading);
    const content = storage.slice(section.contentStart, section.end);
    let replacement: string;
    if (args.mode === 'replace' && args.body_format === 'markdown') {
      const merge = mergeMarkdown(args.body, content, siteUrl(confluence));
      await refuseLoss(merge, args.allow_removal);
      replacement = merge.storage;
    } else {
      const added = await toStorage(args.body, args.body_format, confluence);
      replacement =
        args.mode === 'replace' ? added : args.mode === 'append' ? content + added : added + content;
    }
    const next = storage.slice(0, section.contentStart) + replacement + storage.slice(section.end);
    if (next === storage) {
      return {
        page: writtenPage(current, confluence),
        section: section.heading.text,
        unchanged: true,
        message: `The section "${section.heading.text}" of page ${current.id} is unchanged; no new version was written`,
      };
    }
    const page = await saveNextVersion(confluence, current, {
      status: current.status === 'draft' ? 'draft' : 'current',
      title: current.title,
      storage: next,
      ...(args.version_message !== undefined && { message: args.version_message }),
    });
    return {
      page: writtenPage(page, confluence),
      section: section.heading.text,
      unchanged: false,
      message: `Successfully updated the section "${section.heading.text}" of page ${page.id} (version ${page.version?.number})`,
    };
  },
});

/** The one section the heading names, or invalid_arguments listing the page's headings. */
function findSection(sections: Section[], found: Section[], heading: string): Section {
  if (found.length === 1) return found[0] as Section;
  const headings = sections.map((s) => `${'#'.repeat(s.heading.level)} ${s.heading.text}`);
  const problem =
    found.length === 0
      ? `No heading of the page reads "${heading}".`
      : `${found.length} headings of the page read "${heading}"; a section must be named by a unique heading (use update_confluence_page for this change).`;
  throw new ApiError(
    'invalid_arguments',
    `${problem} ${headings.length === 0 ? 'The page has no headings: use update_confluence_page.' : `Its headings: ${headings.join(' · ')}.`} Nothing was saved.`,
    { details: { headings } },
  );
}
