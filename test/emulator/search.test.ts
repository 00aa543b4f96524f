import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../dev/emulator/seed.ts';
import { type LooseJson, startTestEmulator, type TestEmulator } from './test-client.ts';

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

async function search(cql: string, extra: Record<string, string> = {}) {
  const params = new URLSearchParams({ cql, ...extra });
  const response = await emulator.confluence(token, `/wiki/rest/api/search?${params}`);
  return { status: response.status, body: (await response.json()) as LooseJson };
}
const ids = (body: LooseJson) => body.results.map((r: { content: { id: string } }) => r.content.id);
const titles = (body: LooseJson) => body.results.map((r: { title: string }) => r.title);

describe('CQL search', () => {
  it('answers in the v1 shape', async () => {
    const { status, body } = await search('text ~ "deploy" and type = page');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      start: 0,
      limit: 25,
      cqlQuery: 'text ~ "deploy" and type = page',
      _links: { base: 'https://acme.atlassian.net/wiki', context: '/wiki' },
    });
    expect(body.size).toBe(body.results.length);
    expect(body.totalSize).toBe(body.results.length);
    expect(body.results[0]).toMatchObject({
      content: {
        id: expect.any(String),
        type: 'page',
        status: 'current',
        title: expect.any(String),
        _links: { webui: expect.any(String) },
      },
      excerpt: expect.stringContaining('@@@hl@@@'),
      url: expect.stringMatching(/^\/spaces\//),
      entityType: 'content',
      resultGlobalContainer: { title: expect.any(String), displayUrl: expect.stringMatching(/^\/spaces\//) },
    });
  });

  it('matches text in bodies and titles, all terms required', async () => {
    // ENG only: pages of the storage-format corpus (DOCS) mention rollbacks too.
    expect(ids((await search('space = ENG and text ~ "rollback"')).body)).toEqual([
      SEED.pages.deployRunbook.id,
    ]);
    expect((await search('text ~ "rollback unicorn"')).body.totalSize).toBe(0);
  });

  it('matches quoted phrases with escaped quotes', async () => {
    expect(ids((await search('text ~ "\\"blast radius\\""')).body)).toEqual([SEED.pages.glossary.id]);
    expect((await search('text ~ "\\"radius blast\\""')).body.totalSize).toBe(0);
  });

  it('supports ? and * wildcards inside quotes, not first', async () => {
    expect((await search('title ~ "Bulk Page 00?"')).body.totalSize).toBe(9);
    expect(titles((await search('space = ENG and title ~ "Runb*" order by title')).body)).toEqual([
      'Deploy Runbook',
      'Runbooks',
    ]);
    expect((await search('title ~ "*book"')).status).toBe(400);
  });

  it('filters by space, space in, type and label', async () => {
    expect(titles((await search('space = OPS and label = oncall')).body)).toEqual(['On-call Schedule']);
    expect((await search('space in (ENG, OPS) and label = oncall')).body.totalSize).toBe(2);
    expect(titles((await search('type = blogpost')).body)).toEqual([SEED.pages.blogPost.title]);
    expect((await search('type = comment')).body.totalSize).toBe(6);
  });

  it('compares created and lastModified with dates and functions', async () => {
    const range = await search(
      'space = ENG and created >= "2026/01/10" and created < "2026-01-13" order by created asc',
    );
    expect(titles(range.body)).toEqual(['API Guidelines', 'Large Design Document', 'Huge Export']);
    expect((await search('space = ENG and created = "2026-01-06"')).body.totalSize).toBe(1);
    expect((await search('lastModified > now("-7d")')).body.totalSize).toBe(0);
    await emulator.confluence(token, '/wiki/api/v2/pages', {
      method: 'POST',
      body: JSON.stringify({
        spaceId: SEED.spaces.ops.id,
        status: 'current',
        title: 'Today',
        body: { representation: 'storage', value: '<p>new</p>' },
      }),
    });
    expect(titles((await search('lastModified > now("-7d")')).body)).toEqual(['Today']);
    expect(titles((await search('created >= startOfDay()')).body)).toEqual(['Today']);
  });

  it('combines AND, OR, NOT and parentheses', async () => {
    const { body } = await search('NOT space = BULK and (label = api OR label = oncall) order by title');
    expect(titles(body)).toEqual(['API Guidelines', 'Incident Response', 'On-call Schedule']);
  });

  it('orders by title desc', async () => {
    expect(titles((await search('space = OPS order by title desc')).body)).toEqual([
      'Postmortem Template',
      'Operations Home',
      'On-call Schedule',
    ]);
  });

  it('excludes archived spaces unless includeArchivedSpaces=true', async () => {
    expect((await search('text ~ "ftp"')).body.totalSize).toBe(0);
    expect(ids((await search('text ~ "ftp"', { includeArchivedSpaces: 'true' })).body)).toEqual([
      SEED.pages.archivedDeploy.id,
    ]);
  });

  it('never shows restricted pages', async () => {
    expect((await search('text ~ "confidential"')).body.totalSize).toBe(0);
    expect((await search(`id = ${SEED.pages.restricted.id}`)).body.totalSize).toBe(0);
  });

  it('pages with a cursor in _links.next until the end', async () => {
    const seen: string[] = [];
    let params: Record<string, string> = { limit: '100' };
    for (let calls = 0; calls < 10; calls++) {
      const { body } = await search('space = BULK and type = page', params);
      seen.push(...ids(body));
      if (!body._links.next) break;
      expect(body._links.next).toMatch(/^\/rest\/api\/search\?.*cursor=/);
      params = Object.fromEntries(new URL(body._links.next, 'http://x').searchParams);
      delete params.cql;
    }
    expect(seen).toHaveLength(SEED.bulkPageCount);
    expect(new Set(seen).size).toBe(SEED.bulkPageCount);
  });

  it('expands content.space and content.version when asked', async () => {
    const { body } = await search('type = page and title ~ "Architecture"', {
      expand: 'content.space,content.version',
    });
    expect(body.results[0].content.space).toMatchObject({ key: 'ENG', name: 'Engineering' });
    expect(body.results[0].content.version).toMatchObject({ number: 5 });
  });

  it('answers CQL that does not parse with 400 in the v1 error shape', async () => {
    const { status, body } = await search('text ~ "deploy" and');
    expect(status).toBe(400);
    expect(body).toEqual({
      statusCode: 400,
      message:
        'com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : text ~ "deploy" and',
      reason: 'Bad Request',
    });
  });

  it('answers a malformed cursor with 400', async () => {
    expect((await search('type = page', { cursor: '!!!' })).status).toBe(400);
  });
});
