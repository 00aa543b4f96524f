import * as z from 'zod';
import { trashContainer } from '../confluence/containers.ts';
import { boardType } from './board-type.ts';
import { nodeId } from './node-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

export const deleteConfluenceWhiteboardOrDatabase = defineTool({
  name: 'delete_confluence_whiteboard_or_database',
  title: 'Delete a whiteboard or database',
  description:
    "Move a whiteboard or database to the space's trash (a space admin can restore it; nothing is purged).",
  schema: () => z.object({ id: nodeId('whiteboard or database'), type: boardType }),
  output: () => z.object({ id: z.string(), type: z.string(), title: z.string(), message: z.string() }),
  annotations: ANNOTATIONS.destructiveIdempotentWrite,
  toolset: 'whiteboards_databases',
  async run(args, confluence) {
    // Read first: the fence places it, and the answer can name what went to the trash.
    const node = await confluence.getContainer({ id: args.id, type: args.type });
    await trashContainer(confluence, args.type, args.id);
    return {
      id: args.id,
      type: args.type,
      title: node.title ?? '',
      message: `Moved ${args.type} '${node.title ?? args.id}' to the trash`,
    };
  },
});
