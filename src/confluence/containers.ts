import type { ConfluenceApi } from './api.ts';
import { contentTypeName } from './tree-node-types.ts';
import type { ContainerNode } from './types.ts';

/**
 * Creating folders, whiteboards and databases, and trashing whiteboards and databases (REST v2).
 * Their metadata is read with `ConfluenceApi.getContainer`; a whiteboard's canvas and a database's
 * rows are not served over REST at all.
 */

export type CreatableNode = 'folder' | 'whiteboard' | 'database';

export function createContainer(
  confluence: ConfluenceApi,
  type: CreatableNode,
  body: { spaceId: string; title: string; parentId?: string },
  parent?: { id: string; type: 'page' | 'folder' },
) {
  return confluence.request<ContainerNode>({
    method: 'POST',
    path: `/wiki/api/v2/${type}s`,
    body,
    within: parent
      ? [
          { spaceId: body.spaceId },
          parent.type === 'page' ? { pageId: parent.id } : { contentId: parent.id, contentType: 'folder' },
        ]
      : { spaceId: body.spaceId },
    scope: `write:${type}:confluence`,
    notFound: `Space ${body.spaceId}${parent ? ` or ${parent.type} ${parent.id}` : ''} does not exist or the connected user may not see it (a parent must be in the same space).`,
    badRequestHints: [
      { when: /title|exists/i, say: 'Choose another title: one like it already sits under that parent.' },
    ],
  });
}

export function trashContainer(confluence: ConfluenceApi, type: 'whiteboard' | 'database', id: string) {
  return confluence.request<undefined>({
    method: 'DELETE',
    path: `/wiki/api/v2/${type}s/${id}`,
    within: { contentId: id, contentType: type },
    scope: `delete:${type}:confluence`,
    notFound: `${contentTypeName(type)} ${id} does not exist or the connected user may not view it.`,
  });
}
