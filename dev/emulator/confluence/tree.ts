import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { isInTree, type PageRecord } from './content-store.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { invalidValue, isNumericId } from './query.ts';
import { treeNodeJson } from './shapes.ts';

/** The kinds of node a tree operation can start from: `/pages/{id}/…`, `/folders/{id}/…` and so on. */
export type TreeRoot = 'page' | 'folder' | 'whiteboard' | 'database' | 'embed';

/** The node a tree operation starts from: a visible, published (or archived) node of that type, else the error answer. */
function treeStart(c: Context<EmulatorEnv>, type: TreeRoot): PageRecord | Response {
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const node = c.get('store').visiblePage(id, CURRENT_USER.accountId);
  return node?.type === type && isInTree(node) ? node : v2NotFound(c);
}

/** `GET /{type}s/{id}/direct-children`: pages, folders, whiteboards, databases and embeds, by child position. */
export const getDirectChildren =
  (type: TreeRoot = 'page') =>
  (c: Context<EmulatorEnv>) => {
    const paging = readPaging(c);
    if (paging instanceof Response) return paging;
    const start = treeStart(c, type);
    if (start instanceof Response) return start;
    const children = c.get('store').childrenOf(start.id, CURRENT_USER.accountId);
    return listResponse(c, children, paging, (node) => treeNodeJson(node));
  };

/** `GET /{type}s/{id}/descendants?depth=`: depth-first, each level in tree order, down to `depth` (default 2). */
export const getDescendants =
  (type: TreeRoot = 'page') =>
  (c: Context<EmulatorEnv>) => {
    const paging = readPaging(c);
    if (paging instanceof Response) return paging;
    const rawDepth = c.req.query('depth');
    const depth = rawDepth === undefined ? 2 : Number(rawDepth);
    if (!/^\d+$/.test(rawDepth ?? '2') || depth < 1 || depth > 10)
      return v2BadParameter(c, invalidValue('depth', rawDepth));
    const start = treeStart(c, type);
    if (start instanceof Response) return start;
    const store = c.get('store');
    const found: Array<{ node: PageRecord; depth: number }> = [];
    const walk = (parentId: string, level: number) => {
      for (const node of store.childrenOf(parentId, CURRENT_USER.accountId)) {
        found.push({ node, depth: level });
        if (level < depth) walk(node.id, level + 1);
      }
    };
    walk(start.id, 1);
    return listResponse(c, found, paging, ({ node, depth: level }) =>
      treeNodeJson(node, { depth: level, parentId: node.parentId }),
    );
  };

/** `GET /{type}s/{id}/ancestors`: `{id, type}` from the top of the tree down; no cursor (limit only). */
export const getAncestors =
  (type: TreeRoot = 'page') =>
  (c: Context<EmulatorEnv>) => {
    const rawLimit = c.req.query('limit');
    const limit = rawLimit === undefined ? 25 : Number(rawLimit);
    if (!/^\d+$/.test(rawLimit ?? '25') || limit < 1 || limit > 250)
      return v2BadParameter(c, invalidValue('limit', rawLimit));
    const start = treeStart(c, type);
    if (start instanceof Response) return start;
    const store = c.get('store');
    const chain: PageRecord[] = [];
    for (let parent = start.parentId; parent; ) {
      const node = store.pages.get(parent);
      if (!node) break;
      chain.unshift(node);
      parent = node.parentId;
    }
    // Confluence returns the `limit` ancestors nearest the root; the caller continues from the lowest one.
    return c.json({
      results: chain.slice(0, limit).map((node) => ({ id: node.id, type: node.type })),
      _links: { base: store.baseUrl },
    });
  };
