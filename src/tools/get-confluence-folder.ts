import * as z from 'zod';
import { nodeId, nodeOutput, shapeNode } from './node-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

export const getConfluenceFolder = defineTool({
  name: 'get_confluence_folder',
  title: 'Read a folder',
  description:
    'Read a folder\'s title, space, parent and link; list what is in it with get_confluence_page_children (node_type "folder").',
  schema: () => z.object({ folder_id: nodeId('folder') }),
  output: () => z.object({ folder: nodeOutput() }),
  annotations: ANNOTATIONS.read,
  toolset: 'folders',
  async run(args, confluence) {
    const folder = await confluence.getContainer({ id: args.folder_id, type: 'folder' });
    return { folder: shapeNode(folder, confluence, 'folder') };
  },
});
