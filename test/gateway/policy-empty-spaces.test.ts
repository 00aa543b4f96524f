import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  connectAcme,
  injectFault,
  SEED,
} from './support/tools.ts';

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
});

async function patchPolicy(policy: Record<string, unknown>): Promise<void> {
  expect((await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy })).status).toBe(200);
}

describe('an agent token whose allowed_spaces no longer overlap its integration’s', () => {
  it('is refused every space-bound call with 403 allowed_spaces, and nothing reaches Confluence', async () => {
    await patchPolicy({ allowed_spaces: ['ENG', 'OPS'] });
    const issued = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {
      policy: { allowed_spaces: ['OPS'] },
    });
    const { token } = (await issued.json()) as { token: string };
    await patchPolicy({ allowed_spaces: ['ENG'] });
    await clearRequestLog();
    for (const [tool, args] of [
      ['get_confluence_spaces', {}],
      ['get_confluence_page', { page_id: SEED.pages.architecture }],
      ['get_confluence_space_pages', { space_key: 'ENG' }],
      ['search_confluence_pages', { cql: 'type = page' }],
      ['create_confluence_page', { space_key: 'ENG', title: 'x', body: 'x' }],
    ] as const) {
      const answer = await callTool(id, tool, args, token);
      expect([tool, answer.status]).toEqual([tool, 403]);
      expect(answer.body.error).toMatchObject({ code: 'forbidden', rule: 'allowed_spaces' });
      expect(answer.body.error.message).toMatch(/no longer overlap/);
    }
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('space lists under allowed_spaces', () => {
  it('are held to the allowed keys whatever Confluence answers to the key filter', async () => {
    await patchPolicy({ allowed_spaces: ['ENG'] });
    const everySpace = (await callTool(id, 'get_confluence_spaces', { limit: 250 })).body.spaces;
    expect(everySpace.map((space: { key: string }) => space.key)).toEqual(['ENG']);
    // A Confluence that ignores `keys` and lists every space.
    const results = [
      { id: SEED.spaces.eng.id, key: 'ENG', name: 'Engineering', type: 'global', status: 'current' },
      { id: SEED.spaces.ops.id, key: 'OPS', name: 'Operations', type: 'global', status: 'current' },
    ];
    await injectFault({
      match: { method: 'GET', path_contains: '/wiki/api/v2/spaces' },
      status: 200,
      body: { results, _links: {} },
    });
    const answer = await callTool(id, 'get_confluence_spaces', { limit: 250 });
    expect(answer.status).toBe(200);
    expect(answer.body.spaces.map((space: { key: string }) => space.key)).toEqual(['ENG']);
  });

  it('hold search results to the allowed keys whatever Confluence made of the wrapped query', async () => {
    await patchPolicy({ allowed_spaces: ['ENG'] });
    const result = (id: string, key: string) => ({
      content: { id, type: 'page', status: 'current', title: `Page ${id}` },
      title: `Page ${id}`,
      excerpt: '',
      url: `/spaces/${key}/pages/${id}`,
      lastModified: '2026-12-01T00:00:00.000Z',
      entityType: 'content',
      resultGlobalContainer: { title: key, displayUrl: `/spaces/${key}` },
    });
    await injectFault({
      match: { method: 'GET', path_contains: '/wiki/rest/api/search' },
      status: 200,
      body: { results: [result('1', 'ENG'), result('2', 'OPS')], start: 0, limit: 25, size: 2, _links: {} },
    });
    const answer = await callTool(id, 'search_confluence_pages', { cql: 'type = page' });
    expect(answer.status).toBe(200);
    expect(
      answer.body.pages.map((page: { id: string; space_key: string }) => [page.id, page.space_key]),
    ).toEqual([['1', 'ENG']]);
  });
});
