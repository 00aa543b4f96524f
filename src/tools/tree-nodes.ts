import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import { isTreeNodeType, TREE_NODE_TYPES, type TreeNodeType } from '../confluence/tree-node-types.ts';
import { ApiError } from '../lib/errors.ts';

/**
 * The nodes of a page tree: pages, and the folders, whiteboards, databases and smart links (embeds)
 * that sit among them. A type Confluence adds later is listed as it came, with a message, never
 * dropped: an agent learns it is there and that these tools cannot act on it.
 */

export const nodeType = z
  .enum(TREE_NODE_TYPES)
  .default('page')
  .describe('The type of the node page_id names, as a tree listed it.');

/** The optional per-node note: set only for a type the gateway does not know. */
export const nodeMessage = z
  .string()
  .optional()
  .describe('Set when the gateway cannot act on this type of node.');

/** What tools can do with a node of this type, when the gateway does not know the type. */
export function unknownTypeMessage(type: string | undefined): string | undefined {
  if (isTreeNodeType(type ?? 'page')) return undefined;
  return `Confluence lists this node as type "${type}", which this gateway does not know: no tool can read or change it. Open its url in Confluence.`;
}

/** The node type as the gateway names it: a missing type is a page, as in Confluence's older answers. */
export function typeOf(type: string | undefined): string {
  return type ?? 'page';
}

export function isKnownContainer(type: string): type is Exclude<TreeNodeType, 'page'> {
  return isTreeNodeType(type) && type !== 'page';
}

/** The title and web link of a folder, whiteboard, database or smart link; a message when it cannot be read. */
export async function nameContainer(
  confluence: ConfluenceApi,
  ancestor: { id: string; type?: string },
): Promise<{ title?: string; webui?: string; message?: string } | undefined> {
  const type = typeOf(ancestor.type);
  if (!isKnownContainer(type)) return undefined;
  try {
    const node = await confluence.getContainer({ id: ancestor.id, type });
    return { title: node.title ?? '', webui: node._links?.webui };
  } catch (error) {
    // A scope the integration lacks, or a node hidden from the user: the breadcrumb still stands.
    if (error instanceof ApiError && (error.code === 'forbidden' || error.code === 'not_found')) {
      return { message: `Its title could not be read: ${error.message}` };
    }
    throw error;
  }
}
