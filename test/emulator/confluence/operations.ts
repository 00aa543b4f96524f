import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { createFooterComment } from './comments.ts';
import { getCurrentUser } from './current-user.ts';
import { createPage, updatePage } from './page-writes.ts';
import { getPage, getSpacePages } from './pages.ts';
import { search } from './search.ts';
import { getSpaces } from './spaces.ts';

/** One Confluence operation the emulator serves, named as in Atlassian's OpenAPI specs. */
export interface ConfluenceOperation {
  method: 'GET' | 'POST' | 'PUT';
  /** Which spec describes it; v2 templates are relative to `/wiki/api/v2`, v1 ones are full. */
  api: 'v2' | 'v1';
  template: string;
  /** Any one of these OAuth scopes lets the call through. */
  scopes: readonly string[];
  handle: (c: Context<EmulatorEnv>) => Response | Promise<Response>;
}

export const V2_OPERATIONS: ConfluenceOperation[] = [
  { method: 'GET', api: 'v2', template: '/spaces', scopes: ['read:space:confluence'], handle: getSpaces },
  {
    method: 'GET',
    api: 'v2',
    template: '/spaces/{id}/pages',
    scopes: ['read:page:confluence'],
    handle: getSpacePages,
  },
  { method: 'GET', api: 'v2', template: '/pages/{id}', scopes: ['read:page:confluence'], handle: getPage },
  {
    method: 'PUT',
    api: 'v2',
    template: '/pages/{id}',
    scopes: ['write:page:confluence'],
    handle: updatePage,
  },
  { method: 'POST', api: 'v2', template: '/pages', scopes: ['write:page:confluence'], handle: createPage },
  {
    method: 'POST',
    api: 'v2',
    template: '/footer-comments',
    scopes: ['write:comment:confluence'],
    handle: createFooterComment,
  },
];

/** CQL search has no v2 equivalent; granular apps use read:content-details, classic ones search:confluence. */
export const V1_OPERATIONS: ConfluenceOperation[] = [
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/search',
    scopes: ['search:confluence', 'read:content-details:confluence'],
    handle: search,
  },
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/user/current',
    scopes: ['read:confluence-user', 'read:user:confluence'],
    handle: getCurrentUser,
  },
];

export const ALL_OPERATIONS = [...V2_OPERATIONS, ...V1_OPERATIONS];

/** The path as the emulator serves it (api.atlassian.com style, with the cloud id). */
export function honoPath(operation: ConfluenceOperation): string {
  const path = operation.template.replace(/\{(\w+)\}/g, ':$1');
  return operation.api === 'v2'
    ? `/ex/confluence/:cloudId/wiki/api/v2${path}`
    : `/ex/confluence/:cloudId${path}`;
}

/** The operation's name in stats and violations, e.g. `GET /wiki/api/v2/pages/{id}`. */
export function operationName(operation: ConfluenceOperation): string {
  return `${operation.method} ${operation.api === 'v2' ? '/wiki/api/v2' : ''}${operation.template}`;
}
