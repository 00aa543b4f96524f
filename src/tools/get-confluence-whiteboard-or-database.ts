import * as z from 'zod';
import { boardType, NO_CONTENT } from './board-type.ts';
import { nodeId, nodeOutput, shapeNode } from './node-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

export const getConfluenceWhiteboardOrDatabase = defineTool({
  name: 'get_confluence_whiteboard_or_database',
  title: 'Read a whiteboard or database',
  description: `Read the metadata of a whiteboard or database (title, space, parent, author, link). ${NO_CONTENT}`,
  schema: () => z.object({ id: nodeId('whiteboard or database'), type: boardType }),
  output: () => z.object({ node: nodeOutput() }),
  annotations: ANNOTATIONS.read,
  toolset: 'whiteboards_databases',
  async run(args, confluence) {
    const node = await confluence.getContainer({ id: args.id, type: args.type });
    return { node: shapeNode(node, confluence, args.type) };
  },
});
