import * as z from 'zod';
import { ApiError } from '../lib/errors.ts';
import { pageId, versionNumber } from './arguments.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { readVersion, saveNextVersion, storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    version_number: versionNumber(),
    parent_id: pageId.describe('The id of the new parent page, in the same space.'),
  });

const output = () => writtenPageOutput.extend({ previous_parent_id: z.string().nullable() });

export const moveConfluencePage = defineTool({
  name: 'move_confluence_page',
  toolset: 'page_admin',
  title: 'Move a page under another parent',
  description:
    'Move a page and its children under another parent in the same space. Another space is refused: copy the page there with create_confluence_page instead.',
  schema,
  output,
  annotations: ANNOTATIONS.idempotentWrite,
  async run(args, confluence) {
    if (args.parent_id === args.page_id) {
      throw new ApiError(
        'invalid_arguments',
        'parent_id is the page itself: a page cannot be its own parent.',
      );
    }
    // A parent outside the allowed spaces gets the same answer as one that does not exist.
    const parentMissing = `The new parent page ${args.parent_id} does not exist, is not published, or the connected user may not view it.`;
    const [current, parents] = await Promise.all([
      readVersion(confluence, args.page_id, args.version_number, { reuseRead: true }),
      confluence.listPagesById([args.parent_id], parentMissing),
    ]);
    const parent = parents.results[0];
    if (!parent) throw new ApiError('not_found', parentMissing);
    if (parent.spaceId !== current.spaceId) {
      throw new ApiError(
        'invalid_arguments',
        `Page ${args.page_id} is in space ${current.spaceId} and the new parent ${args.parent_id} in space ${parent.spaceId}: Confluence's API cannot move a page to another space; nothing was changed. Choose a parent in the same space, or recreate the page there with create_confluence_page.`,
      );
    }
    const above = await confluence.listAncestors({ id: args.parent_id, type: 'page' });
    if (above.results.some((ancestor) => ancestor.id === args.page_id)) {
      throw new ApiError(
        'invalid_arguments',
        `Page ${args.parent_id} is below page ${args.page_id} in the tree: a page cannot move under its own descendant.`,
      );
    }
    const page = await saveNextVersion(confluence, current, {
      status: current.status,
      title: current.title,
      storage: storageOf(current),
      message: `Moved under ${parent.title}`,
      parentId: args.parent_id,
    });
    return {
      page: writtenPage(page, confluence),
      previous_parent_id: current.parentId ?? null,
      message: `Moved page '${page.title}' under '${parent.title}' (${args.parent_id}); it is now at version ${page.version?.number}`,
    };
  },
});
