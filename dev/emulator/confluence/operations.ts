import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { downloadAttachment, getAttachment, getPageAttachments, uploadAttachment } from './attachments.ts';
import {
  createFooterComment,
  createInlineComment,
  getComment,
  getCommentChildren,
  getPageComments,
} from './comments.ts';
import { addLabels, getPageLabels, removeLabel } from './labels.ts';
import { createPage, deletePage, updatePage } from './page-writes.ts';
import { getPage, getPages, getSpacePages } from './pages.ts';
import { currentUser, searchUsers, usersBulk } from './people.ts';
import { search } from './search.ts';
import { getSpaces } from './spaces.ts';
import { getAncestors, getDescendants, getDirectChildren } from './tree.ts';
import { getPageVersions } from './versions.ts';

/** One Confluence operation the emulator serves, named as in Atlassian's OpenAPI specs. */
export interface ConfluenceOperation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
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
  { method: 'GET', api: 'v2', template: '/pages', scopes: ['read:page:confluence'], handle: getPages },
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
  {
    method: 'GET',
    api: 'v2',
    template: '/footer-comments/{comment-id}',
    scopes: ['read:comment:confluence'],
    handle: getComment('footer'),
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/inline-comments/{comment-id}',
    scopes: ['read:comment:confluence'],
    handle: getComment('inline'),
  },
  {
    method: 'DELETE',
    api: 'v2',
    template: '/pages/{id}',
    scopes: ['delete:page:confluence'],
    handle: deletePage,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/direct-children',
    scopes: ['read:hierarchical-content:confluence'],
    handle: getDirectChildren,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/descendants',
    scopes: ['read:hierarchical-content:confluence'],
    handle: getDescendants,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/ancestors',
    scopes: ['read:content.metadata:confluence'],
    handle: getAncestors,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/footer-comments',
    scopes: ['read:comment:confluence'],
    handle: getPageComments('footer'),
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/inline-comments',
    scopes: ['read:comment:confluence'],
    handle: getPageComments('inline'),
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/footer-comments/{id}/children',
    scopes: ['read:comment:confluence'],
    handle: getCommentChildren('footer'),
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/inline-comments/{id}/children',
    scopes: ['read:comment:confluence'],
    handle: getCommentChildren('inline'),
  },
  {
    method: 'POST',
    api: 'v2',
    template: '/inline-comments',
    scopes: ['write:comment:confluence'],
    handle: createInlineComment,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/versions',
    scopes: ['read:page:confluence'],
    handle: getPageVersions,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/labels',
    scopes: ['read:page:confluence'],
    handle: getPageLabels,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/pages/{id}/attachments',
    scopes: ['read:attachment:confluence'],
    handle: getPageAttachments,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/attachments/{id}',
    scopes: ['read:attachment:confluence'],
    handle: getAttachment,
  },
  { method: 'POST', api: 'v2', template: '/users-bulk', scopes: ['read:user:confluence'], handle: usersBulk },
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
  // Labels, uploads, downloads and users still have no v2 write (or read) operation.
  {
    method: 'POST',
    api: 'v1',
    template: '/wiki/rest/api/content/{id}/label',
    scopes: ['write:confluence-content'],
    handle: addLabels,
  },
  {
    method: 'DELETE',
    api: 'v1',
    template: '/wiki/rest/api/content/{id}/label/{label}',
    scopes: ['write:confluence-content'],
    handle: removeLabel,
  },
  {
    method: 'POST',
    api: 'v1',
    template: '/wiki/rest/api/content/{id}/child/attachment',
    scopes: ['write:confluence-file'],
    handle: uploadAttachment,
  },
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download',
    scopes: ['readonly:content.attachment:confluence'],
    handle: downloadAttachment,
  },
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/user/current',
    scopes: ['read:confluence-user', 'read:user:confluence'],
    handle: currentUser,
  },
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/search/user',
    scopes: ['read:confluence-user'],
    handle: searchUsers,
  },
];

export const ALL_OPERATIONS = [...V2_OPERATIONS, ...V1_OPERATIONS];

/** The path as the emulator serves it (api.atlassian.com style, with the cloud id). */
export function honoPath(operation: ConfluenceOperation): string {
  const path = operation.template.replace(/\{([\w-]+)\}/g, ':$1');
  return operation.api === 'v2'
    ? `/ex/confluence/:cloudId/wiki/api/v2${path}`
    : `/ex/confluence/:cloudId${path}`;
}

/** The operation's name in stats and violations, e.g. `GET /wiki/api/v2/pages/{id}`. */
export function operationName(operation: ConfluenceOperation): string {
  return `${operation.method} ${operation.api === 'v2' ? '/wiki/api/v2' : ''}${operation.template}`;
}
