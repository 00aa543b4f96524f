import * as z from 'zod';
import { ApiError } from '../lib/errors.ts';
import { pageId, versionNumber } from './arguments.ts';
import { readVersion } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe('The id of the page to move to the trash.'),
    version_number: versionNumber('the deletion'),
  });

const output = () =>
  z.object({
    page: z.object({ id: z.string(), title: z.string(), space_id: z.string(), status: z.literal('trashed') }),
    restore: z.string().describe('How a person restores the page from the trash.'),
    message: z.string(),
  });

export const deleteConfluencePage = defineTool({
  name: 'delete_confluence_page',
  toolset: 'pages',
  title: 'Move a page to the trash',
  description: [
    "Delete a published Confluence page by moving it to its space's trash, from which a person can restore it; it is never purged. Only when the user clearly asked for the page to go. Read it first with get_confluence_page and pass its version.number as version_number.",
    'The deletion is refused with version_conflict when the page has changed since the version you read (someone may have added to it): read it again and decide anew. Its child pages stay, moving up to its parent.',
    'Returns page {id, title, space_id, status: "trashed"}, restore (how a person brings it back) and a message.',
    'Errors: not_found means the page does not exist, is already in the trash, or the user may not see it; forbidden means the user may not delete pages there.',
  ].join(' '),
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
