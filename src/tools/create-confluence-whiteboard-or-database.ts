import * as z from 'zod';
import { createContainer } from '../confluence/containers.ts';
import { oneSpace, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { boardType } from './board-type.ts';
import { nodeOutput, parentArguments, shapeNode } from './node-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

export const createConfluenceWhiteboardOrDatabase = defineTool({
  name: 'create_confluence_whiteboard_or_database',
  title: 'Create a whiteboard or database',
  description:
    'Create an empty whiteboard or database in a space, for a person to fill in Confluence: the REST API can neither write nor read its canvas or rows.',
  schema: () =>
    z
      .object({
        type: boardType,
        space_id: spaceId.optional(),
        space_key: spaceKey.optional(),
        title: z.string().trim().min(1).max(255),
        ...parentArguments,
      })
      .superRefine(oneSpace),
  output: () => z.object({ node: nodeOutput(), message: z.string() }),
  annotations: ANNOTATIONS.write,
  toolset: 'whiteboards_databases',
  async run(args, confluence) {
    const spaceId = await resolveSpaceId(confluence, args);
    const parent = args.parent_id === undefined ? undefined : { id: args.parent_id, type: args.parent_type };
    const node = await createContainer(
      confluence,
      args.type,
      { spaceId, title: args.title, ...(parent && { parentId: parent.id }) },
      parent,
    );
    return {
      node: shapeNode(node, confluence, args.type),
      message: `Created ${args.type} '${node.title}' (${node.id}); open its url to work on it in Confluence`,
    };
  },
});
