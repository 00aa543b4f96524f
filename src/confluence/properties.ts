import type { Reach } from '../policy/space-fence.ts';
import type { ConfluenceApi } from './api.ts';
import { CURSOR_HINT } from './hints.ts';
import type { List, Version } from './types.ts';

/**
 * Content properties of a page or a blog post (REST v2 `/pages/{page-id}/properties`,
 * `/blogposts/{blogpost-id}/properties`): JSON values under keys, versioned.
 */

/** Whose properties: a page's or a blog post's. */
export type PropertyOwner = { pageId: string } | { blogPostId: string };

function ownerPath(owner: PropertyOwner): string {
  return 'pageId' in owner
    ? `/wiki/api/v2/pages/${owner.pageId}/properties`
    : `/wiki/api/v2/blogposts/${owner.blogPostId}/properties`;
}

function ownerReach(owner: PropertyOwner): Reach {
  return 'pageId' in owner
    ? { pageId: owner.pageId }
    : { contentId: owner.blogPostId, contentType: 'blogpost' };
}

/** "page 65538", "blog post 65547", for messages. */
export function ownerName(owner: PropertyOwner): string {
  return 'pageId' in owner ? `page ${owner.pageId}` : `blog post ${owner.blogPostId}`;
}

export interface ContentProperty {
  id: string;
  key: string;
  value: unknown;
  version?: Version;
}

const missing = (owner: PropertyOwner) =>
  `The ${ownerName(owner)} does not exist or the connected user may not view it. Find ids with search_confluence_pages.`;

export function listPageProperties(
  confluence: ConfluenceApi,
  owner: PropertyOwner,
  query: { limit: number; cursor?: string; key?: string },
) {
  return confluence.request<List<ContentProperty>>({
    method: 'GET',
    path: ownerPath(owner),
    query: { ...query, sort: 'key' },
    within: ownerReach(owner),
    scope: 'read:page:confluence',
    notFound: missing(owner),
    badRequestHints: [CURSOR_HINT],
  });
}

export function createPageProperty(
  confluence: ConfluenceApi,
  owner: PropertyOwner,
  body: { key: string; value: unknown },
) {
  return confluence.request<ContentProperty>({
    method: 'POST',
    path: ownerPath(owner),
    body,
    within: ownerReach(owner),
    scope: 'write:page:confluence',
    notFound: missing(owner),
  });
}

export function updatePageProperty(
  confluence: ConfluenceApi,
  owner: PropertyOwner,
  propertyId: string,
  body: { key: string; value: unknown; version: { number: number; message?: string } },
) {
  return confluence.request<ContentProperty>({
    method: 'PUT',
    path: `${ownerPath(owner)}/${propertyId}`,
    body,
    within: ownerReach(owner),
    scope: 'write:page:confluence',
    notFound: `The property "${body.key}" of the ${ownerName(owner)} no longer exists: someone deleted it.`,
  });
}

export function deletePageProperty(
  confluence: ConfluenceApi,
  owner: PropertyOwner,
  propertyId: string,
  key: string,
) {
  return confluence.request<undefined>({
    method: 'DELETE',
    path: `${ownerPath(owner)}/${propertyId}`,
    within: ownerReach(owner),
    scope: 'write:page:confluence',
    notFound: `The property "${key}" of the ${ownerName(owner)} no longer exists: someone deleted it.`,
  });
}
