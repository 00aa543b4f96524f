import * as z from 'zod';
import { pageId, versionNumber } from './arguments.ts';
import { writtenPageOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { readVersion, saveNextVersion, storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    version_number: versionNumber(),
    restore_version: z.number().int().min(1).describe('From get_confluence_page_history.'),
    version_message: z.string().max(500).optional().describe('Default "Restored version N".'),
  });

export const restoreConfluencePageVersion = defineTool({
  name: 'restore_confluence_page_version',
  title: 'Restore an earlier version of a page',
  description:
    'Bring back an earlier version of a page (its title and body) as a new version on top; nothing in the history is lost. version_conflict means the page changed since you read it.',
  schema,
  output: () => writtenPageOutput.extend({ restored_from: z.number() }),
  annotations: ANNOTATIONS.write,
  toolset: 'history',
  async run(args, confluence) {
    const current = await readVersion(confluence, args.page_id, args.version_number, { reuseRead: true });
    const earlier = await confluence.getPageVersion(args.page_id, args.restore_version);
    // The user's own history: no content_loss rule, the earlier body is written back as it was.
    const page = await saveNextVersion(confluence, current, {
      status: current.status,
      title: earlier.title,
      storage: storageOf(earlier),
      message: args.version_message ?? `Restored version ${args.restore_version}`,
    });
    return {
      page: { ...pageFields(page, confluence), version: page.version?.number, _links: page._links ?? {} },
      restored_from: args.restore_version,
      message: `Restored version ${args.restore_version} of page ${page.id} as version ${page.version?.number}`,
    };
  },
});
