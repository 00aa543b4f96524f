import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { downloadAttachment, getAttachment, getPageAttachments, uploadAttachment } from './attachments.ts';
import { createBlogPost, updateBlogPost } from './blogposts.ts';
import { updateInlineComment } from './comment-resolution.ts';
import {
  createFooterComment,
  createInlineComment,
  getComment,
  getCommentChildren,
  getPageComments,
} from './comments.ts';
import { createContainer, deleteContainer, getContainer } from './containers.ts';
import { addLabels, getPageLabels, removeLabel } from './labels.ts';
import { createPage, deletePage, updatePage } from './page-writes.ts';
import { getBlogPost, getPage, getPages, getSpaceBlogPosts, getSpacePages } from './pages.ts';
import { currentUser, searchUsers, usersBulk } from './people.ts';
import {
  createPageProperty,
  deletePageProperty,
  getPageProperties,
  getPageProperty,
  updatePageProperty,
} from './properties.ts';
import { changeRestriction, getRestrictions } from './restrictions.ts';
import { search } from './search.ts';
import { getSpaces } from './spaces.ts';
import { getTask, getTasks, updateTask } from './tasks.ts';
import { getPageTemplates, getTemplate } from './templates.ts';
import { getAncestors, getDescendants, getDirectChildren, type TreeRoot } from './tree.ts';
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

/** The tree reads every tree node has: children, descendants, ancestors. */
function treeOperations(type: TreeRoot): ConfluenceOperation[] {
  const base = `/${type}s/{id}`;
  return [
    {
      method: 'GET',
      api: 'v2',
      template: `${base}/direct-children`,
      scopes: ['read:hierarchical-content:confluence'],
      handle: getDirectChildren(type),
    },
    {
      method: 'GET',
      api: 'v2',
      template: `${base}/descendants`,
      scopes: ['read:hierarchical-content:confluence'],
      handle: getDescendants(type),
    },
    {
      method: 'GET',
      api: 'v2',
      template: `${base}/ancestors`,
      scopes: ['read:content.metadata:confluence'],
      handle: getAncestors(type),
    },
  ];
}

/** Folders, whiteboards, databases and smart links: a metadata read each, and their tree reads. */
const CONTAINER_OPERATIONS: ConfluenceOperation[] = (
  ['folder', 'whiteboard', 'database', 'embed'] as const
).flatMap((type): ConfluenceOperation[] => [
  {
    method: 'GET',
    api: 'v2',
    template: `/${type}s/{id}`,
    scopes: [`read:${type}:confluence`],
    handle: getContainer(type),
  },
  ...treeOperations(type),
]);

/** Blog posts: a space's list, read, create, update, and their comments. */
const BLOG_POST_OPERATIONS: ConfluenceOperation[] = [
  {
    method: 'GET',
    api: 'v2',
    template: '/spaces/{id}/blogposts',
    scopes: ['read:page:confluence'],
    handle: getSpaceBlogPosts,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/blogposts/{id}',
    scopes: ['read:page:confluence'],
    handle: getBlogPost,
  },
  {
    method: 'POST',
    api: 'v2',
    template: '/blogposts',
    scopes: ['write:page:confluence'],
    handle: createBlogPost,
  },
  {
    method: 'PUT',
    api: 'v2',
    template: '/blogposts/{id}',
    scopes: ['write:page:confluence'],
    handle: updateBlogPost,
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/blogposts/{id}/footer-comments',
    scopes: ['read:comment:confluence'],
    handle: getPageComments('footer', 'blogpost'),
  },
  {
    method: 'GET',
    api: 'v2',
    template: '/blogposts/{id}/inline-comments',
    scopes: ['read:comment:confluence'],
    handle: getPageComments('inline', 'blogpost'),
  },
];

/** Creating folders, whiteboards and databases; deleting whiteboards and databases (to the trash). */
const CONTAINER_WRITES: ConfluenceOperation[] = [
  ...(['folder', 'whiteboard', 'database'] as const).map(
    (type): ConfluenceOperation => ({
      method: 'POST',
      api: 'v2',
      template: `/${type}s`,
      scopes: [`write:${type}:confluence`],
      handle: createContainer(type),
    }),
  ),
  ...(['whiteboard', 'database'] as const).map(
    (type): ConfluenceOperation => ({
      method: 'DELETE',
      api: 'v2',
      template: `/${type}s/{id}`,
      scopes: [`delete:${type}:confluence`],
      handle: deleteContainer(type),
    }),
  ),
];

/** Content properties of pages and blog posts; writes need the read scope as well, as the spec says. */
const PROPERTY_OPERATIONS: ConfluenceOperation[] = ['/pages/{page-id}', '/blogposts/{blogpost-id}'].flatMap(
  (base): ConfluenceOperation[] => [
    {
      method: 'GET',
      api: 'v2',
      template: `${base}/properties`,
      scopes: ['read:page:confluence'],
      handle: getPageProperties,
    },
    {
      method: 'POST',
      api: 'v2',
      template: `${base}/properties`,
      scopes: ['read:page:confluence', 'write:page:confluence'],
      handle: createPageProperty,
    },
    {
      method: 'GET',
      api: 'v2',
      template: `${base}/properties/{property-id}`,
      scopes: ['read:page:confluence'],
      handle: getPageProperty,
    },
    {
      method: 'PUT',
      api: 'v2',
      template: `${base}/properties/{property-id}`,
      scopes: ['read:page:confluence', 'write:page:confluence'],
      handle: updatePageProperty,
    },
    {
      method: 'DELETE',
      api: 'v2',
      template: `${base}/properties/{property-id}`,
      scopes: ['read:page:confluence', 'write:page:confluence'],
      handle: deletePageProperty,
    },
  ],
);

const TASK_OPERATIONS: ConfluenceOperation[] = [
  { method: 'GET', api: 'v2', template: '/tasks', scopes: ['read:task:confluence'], handle: getTasks },
  { method: 'GET', api: 'v2', template: '/tasks/{id}', scopes: ['read:task:confluence'], handle: getTask },
  {
    method: 'PUT',
    api: 'v2',
    template: '/tasks/{id}',
    scopes: ['write:task:confluence'],
    handle: updateTask,
  },
];

export const V2_OPERATIONS: ConfluenceOperation[] = [
  {
    method: 'PUT',
    api: 'v2',
    template: '/inline-comments/{comment-id}',
    scopes: ['write:comment:confluence'],
    handle: updateInlineComment,
  },
  ...CONTAINER_OPERATIONS,
  ...CONTAINER_WRITES,
  ...TASK_OPERATIONS,
  ...BLOG_POST_OPERATIONS,
  ...PROPERTY_OPERATIONS,
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
  ...treeOperations('page'),
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

/** Page templates have no v2 API: v1 only, which Atlassian is retiring from the OAuth gateway. */
const TEMPLATE_OPERATIONS: ConfluenceOperation[] = [
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/template/page',
    scopes: ['read:confluence-content.summary'],
    handle: getPageTemplates,
  },
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/template/{contentTemplateId}',
    scopes: ['read:confluence-content.summary'],
    handle: getTemplate,
  },
];

/** Page restrictions have no v2 API either. */
const RESTRICTION_OPERATIONS: ConfluenceOperation[] = [
  {
    method: 'GET',
    api: 'v1',
    template: '/wiki/rest/api/content/{id}/restriction/byOperation',
    scopes: ['read:confluence-content.all'],
    handle: getRestrictions,
  },
  ...(['PUT', 'DELETE'] as const).flatMap((method): ConfluenceOperation[] => [
    {
      method,
      api: 'v1',
      template: '/wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}/user',
      scopes: ['write:confluence-content'],
      handle: changeRestriction('user', method === 'PUT' ? 'add' : 'remove'),
    },
    {
      method,
      api: 'v1',
      template: '/wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}/group/{groupName}',
      scopes: ['write:confluence-content'],
      handle: changeRestriction('group', method === 'PUT' ? 'add' : 'remove'),
    },
  ]),
];

export const ALL_OPERATIONS = [
  ...V2_OPERATIONS,
  ...V1_OPERATIONS,
  ...TEMPLATE_OPERATIONS,
  ...RESTRICTION_OPERATIONS,
];

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
