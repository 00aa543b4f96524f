import * as z from 'zod';
import { ApiError } from '../lib/errors.ts';
import { pageId, versionNumber } from './arguments.ts';
import { readVersion } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    version_number: versionNumber(),
  });

const output = () =>
  z.object({
    page: z.object({ id: z.string(), title: z.string(), space_id: z.string(), status: z.literal('trashed') }),
    restore: z.string().describe('How a person restores the page from the trash.'),
    message: z.string(),
  });

export const deleteConfluencePage = defineTool({
  name: 'delete_confluence_page',
  toolset: 'page_admin',
  title: 'Move a page to the trash',
  description:
    "Move a published page to its space's trash, where a person can restore it; its children move up. Only when the user asked for the page to go.",
  schema,
  output,
  annotations: ANNOTATIONS.destructiveWrite,
  async run(args, confluence) {
    const current = await readVersion(confluence, args.page_id, args.version_number);
    if (current.status !== 'current') {
      throw new ApiError(
        'invalid_arguments',
        `Page ${args.page_id} is a ${current.status}, not a published page; this tool only moves published pages to the trash.`,
      );
    }
    await confluence.trashPage(args.page_id);
    const restore =
      'A space admin can restore it in Confluence: open the space, then Space settings › Content › Trash (in some sites: … › Recently deleted), find the page and choose Restore. It goes back to its place in the tree if its parent still exists.';
    return {
      page: { id: current.id, title: current.title, space_id: current.spaceId, status: 'trashed' },
      restore,
      message: `Moved page '${current.title}' (${current.id}) to the trash of space ${current.spaceId}. ${restore}`,
    };
  },
});
