import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import type { ContainerNode } from '../confluence/types.ts';
import { pageId } from './arguments.ts';

/** What the folder, whiteboard and database tools share: the node as they answer it, and the parent arguments. */

export const nodeOutput = () =>
  z.object({
    id: z.string(),
    type: z.string(),
    title: z.string(),
    status: z.string().nullable(),
    space_id: z.string().nullable(),
    parent_id: z.string().nullable(),
    parent_type: z.string().nullable(),
    position: z.number().nullable(),
    author_id: z.string().nullable(),
    created_at: z.string().nullable(),
    version: z.number().nullable(),
    url: z.string().nullable(),
  });

export function shapeNode(node: ContainerNode, confluence: ConfluenceApi, type: string) {
  return {
    id: node.id,
    type: node.type ?? type,
    title: node.title ?? '',
    status: node.status ?? null,
    space_id: node.spaceId ?? null,
    parent_id: node.parentId ?? null,
    parent_type: node.parentType ?? null,
    position: node.position ?? null,
    author_id: node.authorId ?? null,
    created_at: node.createdAt ?? null,
    version: node.version?.number ?? null,
    url: confluence.webUrl(node._links?.webui) ?? confluence.contentUrl(node.id, type) ?? null,
  };
}

export const nodeId = (what: string) =>
  z.string().regex(/^\d+$/, `expected the numeric ${what} id as a string`);

export const parentArguments = {
  parent_id: pageId.optional().describe('A page or folder in the space; omit for the top.'),
  parent_type: z.enum(['page', 'folder']).default('page'),
};
