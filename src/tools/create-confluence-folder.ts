import * as z from 'zod';
import { createContainer } from '../confluence/containers.ts';
import { oneSpace, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { nodeOutput, parentArguments, shapeNode } from './node-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      space_id: spaceId.optional(),
      space_key: spaceKey.optional(),
      title: z.string().trim().min(1).max(255),
      ...parentArguments,
    })
    .superRefine(oneSpace);

export const createConfluenceFolder = defineTool({
  name: 'create_confluence_folder',
  title: 'Create a folder',
  description:
    'Create a folder in a space, at the top or under a page or folder, to group pages; put pages in it with create_confluence_page or move_confluence_page (parent_id = the folder id).',
  schema,
  output: () => z.object({ folder: nodeOutput(), message: z.string() }),
  annotations: ANNOTATIONS.write,
  toolset: 'folders',
  async run(args, confluence) {
    const spaceId = await resolveSpaceId(confluence, args);
    const parent = args.parent_id === undefined ? undefined : { id: args.parent_id, type: args.parent_type };
    const folder = await createContainer(
      confluence,
      'folder',
      { spaceId, title: args.title, ...(parent && { parentId: parent.id }) },
      parent,
    );
    return {
      folder: shapeNode(folder, confluence, 'folder'),
      message: `Created folder '${folder.title}' (${folder.id}) in space ${args.space_key ?? spaceId}`,
    };
  },
});
