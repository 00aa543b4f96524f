import * as z from 'zod';
import { ApiError } from '../lib/errors.ts';
import { pageId, versionNumber } from './arguments.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { readVersion, saveNextVersion, storageOf } from './page-versions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe('The id of the page to move (its child pages move with it).'),
    version_number: versionNumber('the move'),
    parent_id: pageId.describe('The id of the new parent page, in the same space.'),
  });

const output = () => writtenPageOutput.extend({ previous_parent_id: z.string().nullable() });

export const moveConfluencePage = defineTool({
  name: 'move_confluence_page',
  toolset: 'tree',
  title: 'Move a page under another parent',
  description: [
    'Move a Confluence page (with its children) under another parent page in the same space, to reorganise the page tree. Read the page first with get_confluence_page and pass its version.number as version_number.',
    'Moving to another space is not possible through this API and is refused with invalid_arguments, as is moving a page under itself or one of its own descendants; create a copy in the other space with create_confluence_page instead.',
    'The move is refused with version_conflict when the page has changed since the version you read: read it again and retry with the new number. Title and content stay as they are; the move saves a new version.',
    'Returns page {id, status, title, space_id, parent_id (the new parent), parent_type, author_id, created_at, version (the new number), url, _links}, previous_parent_id and a message.',
    'Errors: not_found means the page or the new parent does not exist or the user may not see it.',
  ].join(' '),
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
    const [current, parents] = await Promise.all([
      readVersion(confluence, args.page_id, args.version_number),
      confluence.listPagesById([args.parent_id]),
    ]);
    const parent = parents.results[0];
    if (!parent) {
      throw new ApiError(
        'not_found',
        `The new parent page ${args.parent_id} does not exist, is not published, or the connected user may not view it.`,
      );
    }
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
