/**
 * Conformance with Atlassian's published OpenAPI specs: every operation the emulator serves is
 * driven through its happy paths and its error answers, and the emulator's own validator
 * (`/_emulator/violations`) must find the traffic clean, or, for requests that break the spec on
 * purpose, must name the request and never blame the response.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_OPERATIONS, operationName } from '../../dev/emulator/confluence/operations.ts';
import { encodeCursor } from '../../dev/emulator/confluence/paging.ts';
import { loadSpecs, SPEC_SOURCES, specDirectory } from '../../dev/emulator/openapi.ts';
import { SEED } from '../../dev/emulator/seed.ts';
import { startTestEmulator, type TestEmulator } from './test-client.ts';

const specs = loadSpecs();
const missingSpecs =
  `Atlassian's OpenAPI specs are not in ${specDirectory()} (set ATLASSIAN_SPEC_DIR): spec validation is skipped. ` +
  `Atlassian publishes them at ${SPEC_SOURCES.v1} (v1) and ${SPEC_SOURCES.v2} (v2).`;
if (!specs) console.warn(missingSpecs);

interface Scenario {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** A multipart/form-data body instead of JSON. */
  form?: Record<string, string | File>;
  headers?: Record<string, string>;
  status: number;
  /** The request itself breaks the spec on purpose: a request violation must be recorded. */
  invalidRequest?: boolean;
  /** Send no access token. */
  anonymous?: boolean;
}

const { eng, bulk } = SEED.spaces;
const P = SEED.pages;
const storage = (value: string) => ({ representation: 'storage', value });
const update = (version: number, title: string = P.architecture.title) => ({
  id: P.architecture.id,
  status: 'current',
  title,
  body: storage('<p>Updated</p>'),
  version: { number: version, message: 'Conformance edit' },
});
const C = SEED.comments;
const A = SEED.attachments;
const T = SEED.tree;
const file = (name: string, text: string, type = 'text/plain') => new File([text], name, { type });
const content = (id: string, rest: string) => `/wiki/rest/api/content/${id}${rest}`;
const download = (attachment: string, extra = '') =>
  content(P.architecture.id, `/child/attachment/${attachment}/download${extra}`);
const cql = (query: string, extra = '') => `/wiki/rest/api/search?cql=${encodeURIComponent(query)}${extra}`;

/** Folders, whiteboards, databases and smart links: the metadata read and the three tree reads of each. */
function containerScenarios(): Record<string, Scenario[]> {
  const nodes = { folder: T.folder, whiteboard: T.whiteboard, database: T.database, embed: T.embed };
  const scenarios: Record<string, Scenario[]> = {};
  for (const [type, node] of Object.entries(nodes)) {
    const base = `/wiki/api/v2/${type}s`;
    const missing = (rest: string): Scenario => ({
      name: 'a page id, not this type',
      method: 'GET',
      path: `${base}/${P.runbooks.id}${rest}`,
      status: 404,
    });
    scenarios[`GET ${base}/{id}`] = [
      { name: 'its metadata', method: 'GET', path: `${base}/${node.id}`, status: 200 },
      {
        name: 'with the include flags',
        method: 'GET',
        path: `${base}/${node.id}?include-properties=false&include-operations=false&include-direct-children=false&include-collaborators=false`,
        status: 200,
      },
      missing(''),
    ];
    scenarios[`GET ${base}/{id}/direct-children`] = [
      {
        name: 'its children',
        method: 'GET',
        path: `${base}/${node.id}/direct-children?limit=5`,
        status: 200,
      },
      missing('/direct-children'),
    ];
    scenarios[`GET ${base}/{id}/descendants`] = [
      { name: 'two levels', method: 'GET', path: `${base}/${node.id}/descendants?depth=2`, status: 200 },
      missing('/descendants'),
    ];
    scenarios[`GET ${base}/{id}/ancestors`] = [
      { name: 'the path above', method: 'GET', path: `${base}/${node.id}/ancestors`, status: 200 },
      missing('/ancestors'),
    ];
  }
  return scenarios;
}

/** Blog posts: a space's list, read, create, update, comments. */
function blogPostScenarios(): Record<string, Scenario[]> {
  const post = P.blogPost.id;
  const postUpdate = (version: number) => ({
    id: post,
    status: 'current',
    title: P.blogPost.title,
    body: storage('<p>Updated</p>'),
    version: { number: version, message: 'Conformance edit' },
  });
  return {
    'GET /wiki/api/v2/spaces/{id}/blogposts': [
      {
        name: 'storage bodies, newest first',
        method: 'GET',
        path: `/wiki/api/v2/spaces/${eng.id}/blogposts?body-format=storage&sort=-created-date&limit=5`,
        status: 200,
      },
      { name: 'an unknown space', method: 'GET', path: '/wiki/api/v2/spaces/4242/blogposts', status: 404 },
    ],
    'GET /wiki/api/v2/blogposts/{id}': [
      {
        name: 'storage body and labels',
        method: 'GET',
        path: `/wiki/api/v2/blogposts/${post}?body-format=storage&include-labels=true`,
        status: 200,
      },
      {
        name: 'ADF body',
        method: 'GET',
        path: `/wiki/api/v2/blogposts/${post}?body-format=atlas_doc_format`,
        status: 200,
      },
      { name: 'a page id', method: 'GET', path: `/wiki/api/v2/blogposts/${P.architecture.id}`, status: 404 },
    ],
    'POST /wiki/api/v2/blogposts': [
      {
        name: 'a new blog post',
        method: 'POST',
        path: '/wiki/api/v2/blogposts',
        body: { spaceId: eng.id, status: 'current', title: 'Conformance Post', body: storage('<p>Hi</p>') },
        status: 200,
      },
      {
        name: 'an unknown space',
        method: 'POST',
        path: '/wiki/api/v2/blogposts',
        body: { spaceId: '4242', title: 'Nowhere', body: storage('<p>Hi</p>') },
        status: 404,
      },
    ],
    'PUT /wiki/api/v2/blogposts/{id}': [
      {
        name: 'the next version',
        method: 'PUT',
        path: `/wiki/api/v2/blogposts/${post}`,
        body: postUpdate(2),
        status: 200,
      },
      {
        name: 'a stale version',
        method: 'PUT',
        path: `/wiki/api/v2/blogposts/${post}`,
        body: postUpdate(1),
        status: 409,
      },
    ],
    'GET /wiki/api/v2/blogposts/{id}/footer-comments': [
      {
        name: 'storage bodies',
        method: 'GET',
        path: `/wiki/api/v2/blogposts/${post}/footer-comments?body-format=storage&sort=created-date`,
        status: 200,
      },
      {
        name: 'a page id',
        method: 'GET',
        path: `/wiki/api/v2/blogposts/${P.architecture.id}/footer-comments`,
        status: 404,
      },
    ],
    'GET /wiki/api/v2/blogposts/{id}/inline-comments': [
      {
        name: 'storage bodies',
        method: 'GET',
        path: `/wiki/api/v2/blogposts/${post}/inline-comments?body-format=storage`,
        status: 200,
      },
      {
        name: 'a page id',
        method: 'GET',
        path: `/wiki/api/v2/blogposts/${P.architecture.id}/inline-comments`,
        status: 404,
      },
    ],
  };
}

/** A page's content properties: the seeded one read, updated and deleted, a new one created. */
function propertyScenarios(): Record<string, Scenario[]> {
  const page = P.architecture.id;
  const review = SEED.properties.review;
  const base = `/wiki/api/v2/pages/${page}/properties`;
  return {
    'GET /wiki/api/v2/pages/{page-id}/properties': [
      { name: 'by key', method: 'GET', path: `${base}?key=${review.key}&sort=key&limit=5`, status: 200 },
      { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999/properties', status: 404 },
    ],
    'POST /wiki/api/v2/pages/{page-id}/properties': [
      {
        name: 'a new key',
        method: 'POST',
        path: base,
        body: { key: 'conformance', value: { ok: true } },
        status: 200,
      },
      {
        name: 'a key the page has',
        method: 'POST',
        path: base,
        body: { key: review.key, value: 1 },
        status: 400,
      },
    ],
    'GET /wiki/api/v2/pages/{page-id}/properties/{property-id}': [
      { name: 'one property', method: 'GET', path: `${base}/${review.id}`, status: 200 },
      { name: 'a missing property', method: 'GET', path: `${base}/999999`, status: 404 },
    ],
    'PUT /wiki/api/v2/pages/{page-id}/properties/{property-id}': [
      {
        name: 'the next version',
        method: 'PUT',
        path: `${base}/${review.id}`,
        body: { key: review.key, value: { state: 'approved' }, version: { number: 3 } },
        status: 200,
      },
      {
        name: 'a stale version',
        method: 'PUT',
        path: `${base}/${review.id}`,
        body: { key: review.key, value: { state: 'late' }, version: { number: 2 } },
        status: 409,
      },
    ],
    'DELETE /wiki/api/v2/pages/{page-id}/properties/{property-id}': [
      { name: 'the property', method: 'DELETE', path: `${base}/${review.id}`, status: 204 },
      { name: 'a missing property', method: 'DELETE', path: `${base}/999999`, status: 404 },
    ],
  };
}

/** Tasks: filtered lists, one read, marking one done. */
function taskScenarios(): Record<string, Scenario[]> {
  const task = SEED.tasks.reviewDiagram.id;
  return {
    'GET /wiki/api/v2/tasks': [
      {
        name: 'assigned to the user, incomplete, due soon',
        method: 'GET',
        path: `/wiki/api/v2/tasks?assigned-to=${SEED.users.current.accountId}&status=incomplete&due-at-to=${Date.UTC(2027, 0, 1)}&body-format=storage&limit=10`,
        status: 200,
      },
      {
        name: 'on one page of one space',
        method: 'GET',
        path: `/wiki/api/v2/tasks?page-id=${P.architecture.id}&space-id=${eng.id}&include-blank-tasks=false`,
        status: 200,
      },
      {
        name: 'an unknown status',
        method: 'GET',
        path: '/wiki/api/v2/tasks?status=done',
        status: 400,
        invalidRequest: true,
      },
    ],
    'GET /wiki/api/v2/tasks/{id}': [
      {
        name: 'one task',
        method: 'GET',
        path: `/wiki/api/v2/tasks/${task}?body-format=storage`,
        status: 200,
      },
      { name: 'a missing task', method: 'GET', path: '/wiki/api/v2/tasks/999999', status: 404 },
    ],
    'PUT /wiki/api/v2/tasks/{id}': [
      {
        name: 'marked complete',
        method: 'PUT',
        path: `/wiki/api/v2/tasks/${task}?body-format=storage`,
        body: { id: task, status: 'complete' },
        status: 200,
      },
      {
        name: 'a missing task',
        method: 'PUT',
        path: '/wiki/api/v2/tasks/999999',
        body: { status: 'complete' },
        status: 404,
      },
    ],
  };
}

/** Creating folders, whiteboards and databases; trashing whiteboards and databases. */
function containerWriteScenarios(): Record<string, Scenario[]> {
  const scenarios: Record<string, Scenario[]> = {};
  for (const type of ['folder', 'whiteboard', 'database']) {
    scenarios[`POST /wiki/api/v2/${type}s`] = [
      {
        name: 'under a page',
        method: 'POST',
        path: `/wiki/api/v2/${type}s`,
        body: { spaceId: eng.id, title: `Conformance ${type}`, parentId: P.runbooks.id },
        status: 200,
      },
      {
        name: 'an unknown space',
        method: 'POST',
        path: `/wiki/api/v2/${type}s`,
        body: { spaceId: '4242', title: 'Nowhere' },
        status: 404,
      },
    ];
  }
  const nodes = { whiteboard: T.whiteboard.id, database: T.database.id };
  for (const [type, id] of Object.entries(nodes)) {
    scenarios[`DELETE /wiki/api/v2/${type}s/{id}`] = [
      { name: 'to the trash', method: 'DELETE', path: `/wiki/api/v2/${type}s/${id}`, status: 204 },
      { name: 'a page id', method: 'DELETE', path: `/wiki/api/v2/${type}s/${P.runbooks.id}`, status: 404 },
    ];
  }
  return scenarios;
}

/** Page restrictions (v1): read them, add and remove a user and a group. */
function restrictionScenarios(): Record<string, Scenario[]> {
  const base = `/wiki/rest/api/content/${P.apiGuidelines.id}/restriction/byOperation`;
  const bob = SEED.users.bob.accountId;
  return {
    'GET /wiki/rest/api/content/{id}/restriction/byOperation': [
      { name: 'read and update', method: 'GET', path: base, status: 200 },
      {
        name: 'a missing page',
        method: 'GET',
        path: '/wiki/rest/api/content/999999/restriction/byOperation',
        status: 404,
      },
    ],
    'PUT /wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}/user': [
      { name: 'a user may update', method: 'PUT', path: `${base}/update/user?accountId=${bob}`, status: 200 },
      { name: 'an unknown user', method: 'PUT', path: `${base}/update/user?accountId=nobody`, status: 400 },
    ],
    'DELETE /wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}/user': [
      { name: 'the user again', method: 'DELETE', path: `${base}/update/user?accountId=${bob}`, status: 200 },
      {
        name: 'a missing page',
        method: 'DELETE',
        path: `/wiki/rest/api/content/999999/restriction/byOperation/update/user?accountId=${bob}`,
        status: 404,
      },
    ],
    'PUT /wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}/group/{groupName}': [
      { name: 'a group may update', method: 'PUT', path: `${base}/update/group/engineering`, status: 200 },
      { name: 'an unknown group', method: 'PUT', path: `${base}/update/group/nobody`, status: 404 },
    ],
    'DELETE /wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}/group/{groupName}': [
      { name: 'the group again', method: 'DELETE', path: `${base}/update/group/engineering`, status: 200 },
      { name: 'an unknown group', method: 'DELETE', path: `${base}/update/group/nobody`, status: 404 },
    ],
  };
}

/** A blog post's content properties: one created, read, updated and deleted. */
function blogPostPropertyScenarios(): Record<string, Scenario[]> {
  const base = `/wiki/api/v2/blogposts/${P.blogPost.id}/properties`;
  const audience = SEED.properties.audience;
  return {
    'GET /wiki/api/v2/blogposts/{blogpost-id}/properties': [
      { name: 'all', method: 'GET', path: `${base}?limit=5`, status: 200 },
      {
        name: 'a page id',
        method: 'GET',
        path: `/wiki/api/v2/blogposts/${P.architecture.id}/properties`,
        status: 404,
      },
    ],
    'POST /wiki/api/v2/blogposts/{blogpost-id}/properties': [
      {
        name: 'a new key',
        method: 'POST',
        path: base,
        body: { key: 'region', value: ['eu'] },
        status: 200,
      },
      { name: 'no value', method: 'POST', path: base, body: { key: 'empty' }, status: 400 },
    ],
    'GET /wiki/api/v2/blogposts/{blogpost-id}/properties/{property-id}': [
      { name: 'one property', method: 'GET', path: `${base}/${audience.id}`, status: 200 },
      { name: 'a missing property', method: 'GET', path: `${base}/999999`, status: 404 },
    ],
    'PUT /wiki/api/v2/blogposts/{blogpost-id}/properties/{property-id}': [
      {
        name: 'the next version',
        method: 'PUT',
        path: `${base}/${audience.id}`,
        body: { key: audience.key, value: ['everyone'], version: { number: 2 } },
        status: 200,
      },
      {
        name: 'a missing property',
        method: 'PUT',
        path: `${base}/999999`,
        body: { key: 'audience', value: 1, version: { number: 2 } },
        status: 404,
      },
    ],
    'DELETE /wiki/api/v2/blogposts/{blogpost-id}/properties/{property-id}': [
      { name: 'the property', method: 'DELETE', path: `${base}/${audience.id}`, status: 204 },
      { name: 'a missing property', method: 'DELETE', path: `${base}/999999`, status: 404 },
    ],
  };
}

/** Every operation the emulator serves, by the name `operationName` gives it. */
const SCENARIOS: Record<string, Scenario[]> = {
  ...blogPostPropertyScenarios(),
  ...restrictionScenarios(),
  'GET /wiki/rest/api/template/page': [
    { name: "the site's", method: 'GET', path: '/wiki/rest/api/template/page?limit=10', status: 200 },
    {
      name: "a space's, with bodies",
      method: 'GET',
      path: '/wiki/rest/api/template/page?spaceKey=ENG&start=0&limit=5&expand=body',
      status: 200,
    },
    {
      name: 'an unknown space',
      method: 'GET',
      path: '/wiki/rest/api/template/page?spaceKey=NOPE',
      status: 403,
    },
  ],
  'GET /wiki/rest/api/template/{contentTemplateId}': [
    {
      name: 'one template',
      method: 'GET',
      path: `/wiki/rest/api/template/${SEED.templates.meetingNotes.id}`,
      status: 200,
    },
    { name: 'a missing template', method: 'GET', path: '/wiki/rest/api/template/99999', status: 404 },
  ],
  ...containerWriteScenarios(),
  'PUT /wiki/api/v2/inline-comments/{comment-id}': [
    {
      name: 'resolve the open thread',
      method: 'PUT',
      path: `/wiki/api/v2/inline-comments/${C.inline.id}`,
      body: { version: { number: 2 }, body: storage('<p>Looks good.</p>'), resolved: true },
      status: 200,
    },
    {
      name: 'a stale version',
      method: 'PUT',
      path: `/wiki/api/v2/inline-comments/${C.inline.id}`,
      body: { version: { number: 1 }, resolved: false },
      status: 409,
    },
    {
      name: 'a reply',
      method: 'PUT',
      path: `/wiki/api/v2/inline-comments/${C.inlineReply.id}`,
      body: { version: { number: 2 }, resolved: true },
      status: 400,
    },
  ],
  ...taskScenarios(),
  ...propertyScenarios(),
  ...containerScenarios(),
  ...blogPostScenarios(),
  'GET /wiki/api/v2/spaces': [
    { name: 'default listing', method: 'GET', path: '/wiki/api/v2/spaces', status: 200 },
    {
      name: 'every filter',
      method: 'GET',
      path: '/wiki/api/v2/spaces?keys=ENG,OPS&type=global&status=current&sort=-name&description-format=plain&include-icon=true&limit=5',
      status: 200,
    },
    {
      name: 'ids filter',
      method: 'GET',
      path: `/wiki/api/v2/spaces?ids=${eng.id}&description-format=view`,
      status: 200,
    },
    {
      name: 'a followed cursor',
      method: 'GET',
      path: `/wiki/api/v2/spaces?limit=2&cursor=${encodeCursor(2)}`,
      status: 200,
    },
    { name: 'personal spaces', method: 'GET', path: '/wiki/api/v2/spaces?type=personal', status: 200 },
    {
      name: 'limit out of range',
      method: 'GET',
      path: '/wiki/api/v2/spaces?limit=251',
      status: 400,
      invalidRequest: true,
    },
    { name: 'a malformed cursor', method: 'GET', path: '/wiki/api/v2/spaces?cursor=bogus', status: 400 },
    { name: 'no token', method: 'GET', path: '/wiki/api/v2/spaces', status: 401, anonymous: true },
  ],
  'GET /wiki/api/v2/spaces/{id}/pages': [
    {
      name: 'pages with storage bodies',
      method: 'GET',
      path: `/wiki/api/v2/spaces/${eng.id}/pages?body-format=storage&limit=50`,
      status: 200,
    },
    {
      name: 'ADF bodies, title filter',
      method: 'GET',
      path: `/wiki/api/v2/spaces/${eng.id}/pages?body-format=atlas_doc_format&title=${encodeURIComponent(P.deployRunbook.title)}`,
      status: 200,
    },
    {
      name: 'status list, sort, depth',
      method: 'GET',
      path: `/wiki/api/v2/spaces/${eng.id}/pages?status=current&status=archived&sort=-modified-date&depth=root`,
      status: 200,
    },
    {
      name: 'a full page of BULK',
      method: 'GET',
      path: `/wiki/api/v2/spaces/${bulk.id}/pages?limit=250&sort=title`,
      status: 200,
    },
    {
      name: 'the last page of BULK',
      method: 'GET',
      path: `/wiki/api/v2/spaces/${bulk.id}/pages?limit=100&cursor=${encodeCursor(200)}`,
      status: 200,
    },
    { name: 'an unknown space', method: 'GET', path: '/wiki/api/v2/spaces/4242/pages', status: 404 },
    {
      name: 'a status the operation does not know',
      method: 'GET',
      path: `/wiki/api/v2/spaces/${eng.id}/pages?status=draft`,
      status: 400,
      invalidRequest: true,
    },
    {
      name: 'a space id that is not a number',
      method: 'GET',
      path: '/wiki/api/v2/spaces/ENG/pages',
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/api/v2/pages': [
    {
      name: 'by ids',
      method: 'GET',
      path: `/wiki/api/v2/pages?id=${P.engHome.id},${P.runbooks.id}&limit=250`,
      status: 200,
    },
    {
      name: 'a space, sorted, with bodies',
      method: 'GET',
      path: `/wiki/api/v2/pages?space-id=${eng.id}&sort=-title&body-format=storage&limit=5`,
      status: 200,
    },
    {
      name: 'an id that is not a number',
      method: 'GET',
      path: '/wiki/api/v2/pages?id=ENG',
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/api/v2/pages/{id}': [
    { name: 'metadata only', method: 'GET', path: `/wiki/api/v2/pages/${P.architecture.id}`, status: 200 },
    {
      name: 'storage with labels and versions',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}?body-format=storage&include-labels=true&include-versions=true`,
      status: 200,
    },
    {
      name: 'view',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}?body-format=view`,
      status: 200,
    },
    {
      name: 'atlas_doc_format',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.deployRunbook.id}?body-format=atlas_doc_format`,
      status: 200,
    },
    {
      name: 'without version',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}?include-version=false`,
      status: 200,
    },
    {
      name: 'an older version',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}?version=2`,
      status: 200,
    },
    {
      name: 'a draft',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.draft.id}?get-draft=true&body-format=storage`,
      status: 200,
    },
    {
      name: 'the 1 MB page',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.huge.id}?body-format=storage`,
      status: 200,
    },
    { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999', status: 404 },
    { name: 'a restricted page', method: 'GET', path: `/wiki/api/v2/pages/${P.restricted.id}`, status: 404 },
    {
      name: 'an unknown body-format',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}?body-format=html`,
      status: 400,
      invalidRequest: true,
    },
  ],
  'PUT /wiki/api/v2/pages/{id}': [
    {
      name: 'an update',
      method: 'PUT',
      path: `/wiki/api/v2/pages/${P.architecture.id}`,
      body: update(6),
      status: 200,
    },
    {
      name: 'a nested ADF body',
      method: 'PUT',
      path: `/wiki/api/v2/pages/${P.architecture.id}`,
      body: {
        ...update(6),
        body: {
          atlas_doc_format: {
            representation: 'atlas_doc_format',
            value:
              '{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"hi"}]}]}',
          },
        },
      },
      status: 200,
    },
    {
      name: 'a stale version',
      method: 'PUT',
      path: `/wiki/api/v2/pages/${P.architecture.id}`,
      body: update(5),
      status: 409,
    },
    {
      name: 'a duplicate title',
      method: 'PUT',
      path: `/wiki/api/v2/pages/${P.architecture.id}`,
      body: update(6, P.deployRunbook.title),
      status: 400,
    },
    {
      name: 'a restricted page',
      method: 'PUT',
      path: `/wiki/api/v2/pages/${P.restricted.id}`,
      body: { ...update(2), id: P.restricted.id },
      status: 404,
    },
    {
      name: 'no version',
      method: 'PUT',
      path: `/wiki/api/v2/pages/${P.architecture.id}`,
      body: { ...update(6), version: undefined },
      status: 400,
      invalidRequest: true,
    },
  ],
  'POST /wiki/api/v2/pages': [
    {
      name: 'a page',
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: { spaceId: eng.id, status: 'current', title: 'Conformance page', body: storage('<p>Hi</p>') },
      status: 200,
    },
    {
      name: 'a child page',
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: {
        spaceId: eng.id,
        status: 'current',
        title: 'Conformance child',
        parentId: P.runbooks.id,
        body: storage('<p>Hi</p>'),
      },
      status: 200,
    },
    {
      name: 'a root-level page',
      method: 'POST',
      path: '/wiki/api/v2/pages?root-level=true',
      body: { spaceId: eng.id, title: 'Conformance root', body: storage('<p>Hi</p>') },
      status: 200,
    },
    {
      name: 'an untitled draft',
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: { spaceId: eng.id, status: 'draft', body: storage('<p>Draft</p>') },
      status: 200,
    },
    {
      name: 'a duplicate title',
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: { spaceId: eng.id, status: 'current', title: P.architecture.title, body: storage('<p/>') },
      status: 400,
    },
    {
      name: 'an unknown space',
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: { spaceId: '4242', status: 'current', title: 'Nowhere', body: storage('<p/>') },
      status: 404,
    },
    {
      name: 'a body over 5 MB',
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: { spaceId: eng.id, status: 'current', title: 'Huge', body: storage('x'.repeat(5 * 1024 * 1024)) },
      status: 413,
    },
    {
      name: 'no spaceId',
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: { status: 'current', title: 'Lost', body: storage('<p/>') },
      status: 400,
      invalidRequest: true,
    },
  ],
  'POST /wiki/api/v2/footer-comments': [
    {
      name: 'a comment on a page',
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body: { pageId: P.architecture.id, body: storage('<p>Nice</p>') },
      status: 201,
    },
    {
      name: 'a reply, nested body',
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body: { parentCommentId: SEED.comments.onArchitecture.id, body: { storage: storage('<p>Agreed</p>') } },
      status: 201,
    },
    {
      name: 'a comment on a blog post',
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body: { blogPostId: P.blogPost.id, body: storage('<p>Ship it</p>') },
      status: 201,
    },
    {
      name: 'a restricted page',
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body: { pageId: P.restricted.id, body: storage('<p>x</p>') },
      status: 404,
    },
    {
      name: 'no container',
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body: { body: storage('<p>x</p>') },
      status: 400,
    },
    {
      name: 'a body of the wrong type',
      method: 'POST',
      path: '/wiki/api/v2/footer-comments',
      body: { pageId: P.architecture.id, body: 'plain' },
      status: 400,
      invalidRequest: true,
    },
  ],
  'DELETE /wiki/api/v2/pages/{id}': [
    { name: 'to the trash', method: 'DELETE', path: `/wiki/api/v2/pages/${P.glossary.id}`, status: 204 },
    {
      name: 'a draft',
      method: 'DELETE',
      path: `/wiki/api/v2/pages/${P.draft.id}?draft=true`,
      status: 204,
    },
    { name: 'a missing page', method: 'DELETE', path: '/wiki/api/v2/pages/999999', status: 404 },
    {
      name: 'purging a page that is not in the trash',
      method: 'DELETE',
      path: `/wiki/api/v2/pages/${P.glossary.id}?purge=true`,
      status: 400,
    },
    {
      name: 'a purge flag that is not a boolean',
      method: 'DELETE',
      path: `/wiki/api/v2/pages/${P.glossary.id}?purge=yes`,
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/api/v2/pages/{id}/direct-children': [
    {
      name: 'pages, a folder and a database',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.engHome.id}/direct-children?limit=3`,
      status: 200,
    },
    {
      name: 'a followed cursor',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.bulkHome.id}/direct-children?limit=100&cursor=${encodeCursor(200)}`,
      status: 200,
    },
    { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999/direct-children', status: 404 },
    {
      name: 'limit out of range',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.engHome.id}/direct-children?limit=0`,
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/api/v2/pages/{id}/descendants': [
    {
      name: 'three levels',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.engHome.id}/descendants?depth=3&limit=50`,
      status: 200,
    },
    {
      name: 'default depth',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.runbooks.id}/descendants`,
      status: 200,
    },
    {
      name: 'a restricted page',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.restricted.id}/descendants`,
      status: 404,
    },
    {
      name: 'depth over 10',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.engHome.id}/descendants?depth=11`,
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/api/v2/pages/{id}/ancestors': [
    {
      name: 'under a folder',
      method: 'GET',
      path: `/wiki/api/v2/pages/${T.meetingNotes.id}/ancestors`,
      status: 200,
    },
    {
      name: 'a root page',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.engHome.id}/ancestors?limit=5`,
      status: 200,
    },
    { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999/ancestors', status: 404 },
  ],
  'GET /wiki/api/v2/pages/{id}/footer-comments': [
    {
      name: 'storage bodies, sorted',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/footer-comments?body-format=storage&sort=-created-date`,
      status: 200,
    },
    {
      name: 'ADF bodies, one at a time',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/footer-comments?body-format=atlas_doc_format&limit=1`,
      status: 200,
    },
    { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999/footer-comments', status: 404 },
    {
      name: 'an unknown body-format',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/footer-comments?body-format=view`,
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/api/v2/pages/{id}/inline-comments': [
    {
      name: 'storage bodies',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/inline-comments?body-format=storage`,
      status: 200,
    },
    {
      name: 'resolved only',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/inline-comments?resolution-status=resolved`,
      status: 200,
    },
    {
      name: 'a restricted page',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.restricted.id}/inline-comments`,
      status: 404,
    },
  ],
  'GET /wiki/api/v2/footer-comments/{comment-id}': [
    {
      name: 'a comment',
      method: 'GET',
      path: `/wiki/api/v2/footer-comments/${C.onArchitecture.id}`,
      status: 200,
    },
    {
      name: 'an inline comment is not a footer one',
      method: 'GET',
      path: `/wiki/api/v2/footer-comments/${C.inline.id}`,
      status: 404,
    },
  ],
  'GET /wiki/api/v2/inline-comments/{comment-id}': [
    { name: 'a comment', method: 'GET', path: `/wiki/api/v2/inline-comments/${C.inline.id}`, status: 200 },
    { name: 'a missing comment', method: 'GET', path: '/wiki/api/v2/inline-comments/999999', status: 404 },
  ],
  'GET /wiki/api/v2/footer-comments/{id}/children': [
    {
      name: 'replies',
      method: 'GET',
      path: `/wiki/api/v2/footer-comments/${C.onArchitecture.id}/children?body-format=storage`,
      status: 200,
    },
    {
      name: 'a missing comment',
      method: 'GET',
      path: '/wiki/api/v2/footer-comments/999999/children',
      status: 404,
    },
  ],
  'GET /wiki/api/v2/inline-comments/{id}/children': [
    {
      name: 'replies',
      method: 'GET',
      path: `/wiki/api/v2/inline-comments/${C.inline.id}/children?body-format=storage&limit=5`,
      status: 200,
    },
    {
      name: 'a footer comment is not inline',
      method: 'GET',
      path: `/wiki/api/v2/inline-comments/${C.onArchitecture.id}/children`,
      status: 404,
    },
  ],
  'POST /wiki/api/v2/inline-comments': [
    {
      name: 'on a selection',
      method: 'POST',
      path: '/wiki/api/v2/inline-comments',
      body: {
        pageId: P.architecture.id,
        body: storage('<p>Which services?</p>'),
        inlineCommentProperties: {
          textSelection: 'stateless services',
          textSelectionMatchCount: 1,
          textSelectionMatchIndex: 0,
        },
      },
      status: 201,
    },
    {
      name: 'a reply',
      method: 'POST',
      path: '/wiki/api/v2/inline-comments',
      body: { parentCommentId: C.inline.id, body: storage('<p>Agreed</p>') },
      status: 201,
    },
    {
      name: 'a selection that is not on the page',
      method: 'POST',
      path: '/wiki/api/v2/inline-comments',
      body: {
        pageId: P.architecture.id,
        body: storage('<p>?</p>'),
        inlineCommentProperties: {
          textSelection: 'not on the page',
          textSelectionMatchCount: 1,
          textSelectionMatchIndex: 0,
        },
      },
      status: 400,
    },
  ],
  'GET /wiki/api/v2/pages/{id}/versions': [
    {
      name: 'newest first with bodies',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/versions?sort=-modified-date&body-format=storage&limit=2`,
      status: 200,
    },
    {
      name: 'oldest first',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/versions?sort=modified-date`,
      status: 200,
    },
    { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999/versions', status: 404 },
    {
      name: 'an unknown sort',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/versions?sort=number`,
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/api/v2/pages/{id}/labels': [
    {
      name: 'labels',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/labels?limit=1`,
      status: 200,
    },
    { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999/labels', status: 404 },
  ],
  'GET /wiki/api/v2/pages/{id}/attachments': [
    {
      name: 'every attachment',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/attachments`,
      status: 200,
    },
    {
      name: 'filtered by name and type',
      method: 'GET',
      path: `/wiki/api/v2/pages/${P.architecture.id}/attachments?filename=notes.txt&mediaType=text%2Fplain&limit=2`,
      status: 200,
    },
    { name: 'a missing page', method: 'GET', path: '/wiki/api/v2/pages/999999/attachments', status: 404 },
  ],
  'GET /wiki/api/v2/attachments/{id}': [
    { name: 'an attachment', method: 'GET', path: `/wiki/api/v2/attachments/${A.notes.id}`, status: 200 },
    { name: 'a missing attachment', method: 'GET', path: '/wiki/api/v2/attachments/att999999', status: 404 },
    {
      name: 'an id that is not one',
      method: 'GET',
      path: '/wiki/api/v2/attachments/notes.txt',
      status: 400,
      invalidRequest: true,
    },
  ],
  'POST /wiki/api/v2/users-bulk': [
    {
      name: 'two accounts',
      method: 'POST',
      path: '/wiki/api/v2/users-bulk',
      body: { accountIds: [SEED.users.alice.accountId, SEED.users.bob.accountId] },
      status: 200,
    },
    {
      name: 'no ids',
      method: 'POST',
      path: '/wiki/api/v2/users-bulk',
      body: { accountIds: [] },
      status: 400,
      invalidRequest: true,
    },
  ],
  'GET /wiki/rest/api/search': [
    { name: 'text search', method: 'GET', path: cql('text ~ "deploy" and type = page'), status: 200 },
    {
      name: 'expanded space and version',
      method: 'GET',
      path: cql('space = ENG order by title', '&expand=content.space,content.version&limit=5'),
      status: 200,
    },
    {
      name: 'every excerpt strategy',
      method: 'GET',
      path: cql('title ~ "Runbook"', '&excerpt=indexed'),
      status: 200,
    },
    {
      name: 'no excerpt, archived spaces',
      method: 'GET',
      path: cql('text ~ "ftp"', '&excerpt=none&includeArchivedSpaces=true'),
      status: 200,
    },
    { name: 'comments', method: 'GET', path: cql('type = comment'), status: 200 },
    {
      name: 'a followed cursor',
      method: 'GET',
      path: cql('space = BULK', `&limit=100&next=true&cursor=${encodeCursor(200)}`),
      status: 200,
    },
    { name: 'no hits', method: 'GET', path: cql('text ~ "zyzzyva"'), status: 200 },
    { name: 'CQL that does not parse', method: 'GET', path: cql('text ~ '), status: 400 },
    {
      name: 'no cql',
      method: 'GET',
      path: '/wiki/rest/api/search?limit=5',
      status: 400,
      invalidRequest: true,
    },
  ],
  'POST /wiki/rest/api/content/{id}/label': [
    {
      name: 'two labels',
      method: 'POST',
      path: content(P.architecture.id, '/label'),
      body: [
        { prefix: 'global', name: 'reviewed' },
        { prefix: 'global', name: 'q1' },
      ],
      status: 200,
    },
    {
      name: 'a label with a space',
      method: 'POST',
      path: content(P.architecture.id, '/label'),
      body: [{ prefix: 'global', name: 'two words' }],
      status: 400,
    },
    {
      name: 'a missing page',
      method: 'POST',
      path: content('999999', '/label'),
      body: [{ prefix: 'global', name: 'x' }],
      status: 404,
    },
  ],
  'DELETE /wiki/rest/api/content/{id}/label/{label}': [
    { name: 'a label', method: 'DELETE', path: content(P.architecture.id, '/label/design'), status: 204 },
    {
      name: 'a label not there',
      method: 'DELETE',
      path: content(P.architecture.id, '/label/nope'),
      status: 404,
    },
  ],
  'POST /wiki/rest/api/content/{id}/child/attachment': [
    {
      name: 'a new file',
      method: 'POST',
      path: content(P.architecture.id, '/child/attachment'),
      form: { file: file('todo.txt', 'ship it'), minorEdit: 'true', comment: 'first' },
      headers: { 'x-atlassian-token': 'no-check' },
      status: 200,
    },
    {
      name: 'a new version of a file',
      method: 'POST',
      path: content(P.architecture.id, '/child/attachment'),
      form: { file: file('notes.txt', 'v3'), minorEdit: 'false' },
      headers: { 'x-atlassian-token': 'no-check' },
      status: 200,
    },
    {
      name: 'without the XSRF header',
      method: 'POST',
      path: content(P.architecture.id, '/child/attachment'),
      form: { file: file('todo.txt', 'x'), minorEdit: 'true' },
      status: 403,
    },
    {
      name: 'without minorEdit',
      method: 'POST',
      path: content(P.architecture.id, '/child/attachment'),
      form: { file: file('todo.txt', 'x') },
      headers: { 'x-atlassian-token': 'no-check' },
      status: 200,
      invalidRequest: true,
    },
  ],
  'GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download': [
    { name: 'the latest version', method: 'GET', path: download(A.notes.id), status: 302 },
    { name: 'an older version', method: 'GET', path: download(A.notes.id, '?version=1'), status: 302 },
    { name: 'a version not there', method: 'GET', path: download(A.notes.id, '?version=9'), status: 400 },
    { name: 'a missing attachment', method: 'GET', path: download('att999999'), status: 404 },
  ],
  'GET /wiki/rest/api/user/current': [
    { name: 'the current user', method: 'GET', path: '/wiki/rest/api/user/current', status: 200 },
    { name: 'no token', method: 'GET', path: '/wiki/rest/api/user/current', status: 401, anonymous: true },
  ],
  'GET /wiki/rest/api/search/user': [
    {
      name: 'by name',
      method: 'GET',
      path: `/wiki/rest/api/search/user?cql=${encodeURIComponent('user.fullname ~ "al"')}&limit=10`,
      status: 200,
    },
    {
      name: 'by account id',
      method: 'GET',
      path: `/wiki/rest/api/search/user?cql=${encodeURIComponent(`user.accountid = "${SEED.users.bob.accountId}"`)}`,
      status: 200,
    },
    {
      name: 'CQL that is not about users',
      method: 'GET',
      path: `/wiki/rest/api/search/user?cql=${encodeURIComponent('space = ENG')}`,
      status: 400,
    },
    { name: 'no cql', method: 'GET', path: '/wiki/rest/api/search/user', status: 400, invalidRequest: true },
  ],
};

let emulator: TestEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control('/reset', {});
  token = (await emulator.connect()).access_token;
});

interface Violation {
  direction: 'request' | 'response';
  message: string;
}

/** A multipart body as fetch would send it: its bytes and its content type with the boundary. */
async function multipart(form: Record<string, string | File>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(form)) data.append(name, value);
  const request = new Request('http://multipart.test', { method: 'POST', body: data });
  return { body: await request.arrayBuffer(), type: request.headers.get('content-type') as string };
}

async function drive(scenario: Scenario) {
  const form = scenario.form && (await multipart(scenario.form));
  const response = await emulator.confluence(scenario.anonymous ? '' : token, scenario.path, {
    method: scenario.method,
    body: form ? form.body : scenario.body === undefined ? undefined : JSON.stringify(scenario.body),
    headers: { ...scenario.headers, ...(form && { 'content-type': form.type }) },
    redirect: 'manual',
  });
  await response.arrayBuffer();
  const { violations } = await emulator.control<{ violations: Violation[] }>('/violations');
  return { status: response.status, violations };
}

describe('coverage', () => {
  it('has scenarios for every operation the emulator serves, and nothing else', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(ALL_OPERATIONS.map(operationName).sort());
  });

  it('drives an error answer as well as a success for every operation', () => {
    for (const scenarios of Object.values(SCENARIOS)) {
      expect(scenarios.some((s) => s.status < 400)).toBe(true);
      expect(scenarios.some((s) => s.status >= 400)).toBe(true);
    }
  });
});

describe.skipIf(!specs)(
  specs ? "conformance with Atlassian's OpenAPI specs" : `SKIPPED: ${missingSpecs}`,
  () => {
    it('serves only operations the specs define, guarded by the scopes they name', () => {
      for (const operation of ALL_OPERATIONS) {
        const found = specs?.find(operation.api, operation.method, operation.template);
        expect(found, operationName(operation)).toBeDefined();
        const security = (found?.operation.definition.security ?? []) as Array<Record<string, string[]>>;
        const specScopes = security.flatMap((s) => s.oAuthDefinitions ?? []);
        for (const scope of specScopes) expect(operation.scopes).toContain(scope);
      }
    });

    const cases = Object.entries(SCENARIOS).flatMap(([operation, scenarios]) =>
      scenarios.map((scenario) => ({
        label: `${operation}: ${scenario.name} → ${scenario.status}`,
        scenario,
      })),
    );

    it.each(cases)('$label', async ({ scenario }) => {
      const { status, violations } = await drive(scenario);
      expect(status).toBe(scenario.status);
      const responseViolations = violations.filter((v) => v.direction === 'response');
      const requestViolations = violations.filter((v) => v.direction === 'request');
      expect(responseViolations).toEqual([]);
      if (scenario.invalidRequest) expect(requestViolations.length).toBeGreaterThan(0);
      else expect(requestViolations).toEqual([]);
    });

    it('reports a response that breaks the spec (the validator can fail)', () => {
      const found = specs?.find('v2', 'GET', `/pages/${P.architecture.id}`);
      if (!specs || !found) throw new Error('getPageById not found');
      const problems = specs.checkResponse(found.operation, 200, 'application/json', () => ({
        id: 65538,
        version: { number: '5' },
        createdAt: 'yesterday',
      }));
      expect(problems).toEqual(
        expect.arrayContaining([
          'response/id must be string',
          'response/version/number must be integer',
          'response/createdAt must match format "date-time"',
        ]),
      );
      expect(specs.checkResponse(found.operation, 201, 'application/json', () => ({}))).toEqual([
        'status 201 is not documented',
      ]);
    });

    it('reports query parameters the operation does not declare', async () => {
      const { violations } = await drive({
        name: 'extra',
        method: 'GET',
        path: '/wiki/api/v2/spaces?expand=all',
        status: 200,
      });
      expect(violations).toEqual([
        expect.objectContaining({
          direction: 'request',
          message: 'query.expand is not a parameter of this operation',
        }),
      ]);
    });

    it('clears violations on DELETE and on reset', async () => {
      await drive(SCENARIOS['GET /wiki/api/v2/spaces']?.find((s) => s.invalidRequest) as Scenario);
      await emulator.control('/violations', undefined, 'DELETE');
      expect((await emulator.control<{ violations: unknown[] }>('/violations')).violations).toEqual([]);
      await drive(SCENARIOS['GET /wiki/api/v2/spaces']?.find((s) => s.invalidRequest) as Scenario);
      await emulator.control('/reset', {});
      expect((await emulator.control<{ violations: unknown[] }>('/violations')).violations).toEqual([]);
    });
  },
);

describe('validate: false', () => {
  it('skips validation entirely', async () => {
    const unchecked = await startTestEmulator({ validate: false });
    try {
      const tokens = await unchecked.connect();
      const response = await unchecked.confluence(
        tokens.access_token,
        '/wiki/api/v2/spaces?limit=999&bogus=1',
      );
      expect(response.status).toBe(400);
      expect((await unchecked.control<{ violations: unknown[] }>('/violations')).violations).toEqual([]);
    } finally {
      await unchecked.close();
    }
  });
});
