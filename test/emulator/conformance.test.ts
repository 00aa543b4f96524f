/**
 * Conformance with Atlassian's published OpenAPI specs: every operation the emulator serves is
 * driven through its happy paths and its error answers, and the emulator's own validator
 * (`/_emulator/violations`) must find the traffic clean, or, for requests that break the spec on
 * purpose, must name the request and never blame the response.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_OPERATIONS, operationName } from './confluence/operations.ts';
import { encodeCursor } from './confluence/paging.ts';
import { loadSpecs, SPEC_SOURCES, specDirectory } from './openapi.ts';
import { SEED } from './seed.ts';
import { startTestEmulator, type TestEmulator } from './test-client.ts';

const specs = loadSpecs();
const missingSpecs =
  `Atlassian's OpenAPI specs are not in ${specDirectory()} (set ATLASSIAN_SPEC_DIR): spec validation is skipped. ` +
  `Atlassian publishes them at ${SPEC_SOURCES.v1} (v1) and ${SPEC_SOURCES.v2} (v2).`;
if (!specs) console.warn(missingSpecs);

interface Scenario {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
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
const cql = (query: string, extra = '') => `/wiki/rest/api/search?cql=${encodeURIComponent(query)}${extra}`;

/** Every operation the emulator serves, by the name `operationName` gives it. */
const SCENARIOS: Record<string, Scenario[]> = {
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
  'GET /wiki/rest/api/user/current': [
    { name: 'the consenting account', method: 'GET', path: '/wiki/rest/api/user/current', status: 200 },
    { name: 'no token', method: 'GET', path: '/wiki/rest/api/user/current', status: 401, anonymous: true },
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

async function drive(scenario: Scenario) {
  const response = await emulator.confluence(scenario.anonymous ? '' : token, scenario.path, {
    method: scenario.method,
    body: scenario.body === undefined ? undefined : JSON.stringify(scenario.body),
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
      expect(scenarios.some((s) => s.status < 300)).toBe(true);
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
