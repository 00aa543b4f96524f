import * as z from 'zod';
import { loadMarkdown } from '../markdown/load.ts';
import { bodyText, pageId, versionNumber } from './arguments.ts';
import { allowRemoval, refuseLoss, siteUrl, toStorage } from './body-format.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { sectionOfPage } from './page-sections.ts';
import { confirmUnchanged, readVersion, saveNextVersion, storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    version_number: versionNumber(),
    heading: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('E.g. "Rollback"; the section runs to the next heading of its level or higher.'),
    body: bodyText("The section's new content, without its heading"),
    body_format: z.enum(['markdown', 'storage']).default('markdown'),
    mode: z
      .enum(['replace', 'append', 'prepend'])
      .default('replace')
      .describe('append: at its end; prepend: right under the heading.'),
    allow_removal: allowRemoval,
    version_message: z.string().max(500).optional().describe('A note for the page history.'),
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
  description:
    'Change the content under one heading and nothing else; the rest of the page is written back unchanged (headings inside layout cells, panels and macro bodies have sections too). invalid_arguments with error.headings: the heading matched no section or several; use one of those.',
  schema,
  output,
  annotations: ANNOTATIONS.write,
  async run(args, confluence) {
    const current = await readVersion(confluence, args.page_id, args.version_number, { reuseRead: true });
    const storage = storageOf(current);
    const { mergeMarkdown } = await loadMarkdown();
    const section = await sectionOfPage(storage, args.heading, 'write');
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
        page: writtenPage(await confirmUnchanged(confluence, current), confluence),
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
