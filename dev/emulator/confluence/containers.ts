/**
 * Folders, whiteboards, databases and smart links (embeds): tree nodes that are not pages. REST v2
 * gives each a metadata read (`GET /folders/{id}` and so on); their content (a whiteboard's canvas,
 * a database's rows) is not served over REST at all.
 */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import {
  type ContentStore,
  currentVersion,
  isInTree,
  type PageRecord,
  type TreeNodeType,
} from './content-store.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { booleanParam, invalidValue, isNumericId } from './query.ts';
import { versionJson } from './shapes.ts';
import { readWriteRequest } from './write-body.ts';

/** FolderSingle / WhiteboardSingle / DatabaseSingle / SmartLinkSingle, with `_links.base`. */
export function containerJson(node: PageRecord, store: ContentStore) {
  const space = store.spaceById(node.spaceId);
  const parent = node.parentId ? store.pages.get(node.parentId) : undefined;
  return {
    id: node.id,
    type: node.type,
    status: node.status,
    title: node.title,
    ...(parent && { parentId: parent.id, parentType: parent.type }),
    position: node.position ?? null,
    authorId: node.authorId,
    ownerId: node.ownerId,
    createdAt: node.createdAt,
    ...(node.embedUrl !== undefined && { embedUrl: node.embedUrl }),
    spaceId: node.spaceId,
    version: versionJson(currentVersion(node)),
    _links: {
      webui: `/spaces/${space?.key ?? ''}/${node.type}/${node.id}`,
      ...(node.type === 'whiteboard' && { editui: `/spaces/${space?.key ?? ''}/whiteboard/${node.id}` }),
      base: store.baseUrl,
    },
  };
}

/** `GET /{type}s/{id}`: the node's metadata; 404 for another type, a missing node or one the user may not see. */
export const getContainer = (type: TreeNodeType) => (c: Context<EmulatorEnv>) => {
  const url = new URL(c.req.url);
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  for (const name of [
    'include-collaborators',
    'include-direct-children',
    'include-operations',
    'include-properties',
  ]) {
    if (booleanParam(url, name, false) === 'invalid')
      return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
  }
  const store = c.get('store');
  const node = store.visiblePage(id, CURRENT_USER.accountId);
  if (node?.type !== type || !isInTree(node)) return v2NotFound(c);
  return c.json(containerJson(node, store));
};

/** `POST /folders`, `/whiteboards`, `/databases`: `{spaceId, title?, parentId?}` → 200 with the node. */
export const createContainer = (type: 'folder' | 'whiteboard' | 'database') => (c: Context<EmulatorEnv>) => {
  const url = new URL(c.req.url);
  if (type !== 'folder' && booleanParam(url, 'private', false) === 'invalid')
    return v2BadParameter(c, invalidValue('private', url.searchParams.get('private')));
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const { spaceId, title, parentId } = request;
  if (typeof spaceId !== 'string' || !isNumericId(spaceId))
    return v2BadParameter(c, invalidValue('spaceId', spaceId));
  if (title !== undefined && (typeof title !== 'string' || title.length > 255))
    return v2BadParameter(c, invalidValue('title', title));
  const store = c.get('store');
  const space = store.spaceById(spaceId);
  if (!space) return v2NotFound(c);
  let parent: PageRecord | undefined;
  if (parentId !== undefined) {
    parent = typeof parentId === 'string' ? store.visiblePage(parentId, CURRENT_USER.accountId) : undefined;
    if (!parent || parent.spaceId !== space.id || parent.type === 'blogpost' || !isInTree(parent))
      return v2NotFound(c);
  } else {
    parent = store.pages.get(space.homepageId);
  }
  const name = typeof title === 'string' && title.trim() ? title : `Untitled ${type}`;
  if (
    type === 'folder' &&
    store
      .childrenOf(parent?.id ?? '', CURRENT_USER.accountId)
      .some((n) => n.type === 'folder' && n.title === name)
  ) {
    return v2BadParameter(c, 'A folder with this title already exists under this parent');
  }
  const now = c.get('now');
  const node: PageRecord = {
    id: store.allocateId(),
    type,
    spaceId: space.id,
    title: name,
    status: 'current',
    parentId: parent?.id,
    position: store.nextPosition(parent?.id),
    authorId: CURRENT_USER.accountId,
    ownerId: CURRENT_USER.accountId,
    createdAt: now,
    body: '',
    versions: [
      { number: 1, message: '', minorEdit: false, authorId: CURRENT_USER.accountId, createdAt: now },
    ],
    labels: [],
  };
  store.pages.set(node.id, node);
  store.touch();
  return c.json(containerJson(node, store));
};

/** `DELETE /whiteboards/{id}`, `/databases/{id}`: to the trash (204); its children move up, as for pages. */
export const deleteContainer = (type: 'whiteboard' | 'database') => (c: Context<EmulatorEnv>) => {
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const store = c.get('store');
  const node = store.visiblePage(id, CURRENT_USER.accountId);
  if (node?.type !== type || !isInTree(node)) return v2NotFound(c);
  for (const child of store.pages.values()) if (child.parentId === node.id) child.parentId = node.parentId;
  node.status = 'trashed';
  store.touch();
  return c.body(null, 204);
};
