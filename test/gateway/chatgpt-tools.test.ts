/**
 * ChatGPT's connector pair, `search` and `fetch`, through the REST door: ChatGPT's shapes, and the
 * policy holding on them as on every tool (the MCP side, with ChatGPT's text results, is
 * test/e2e/mcp-toolsets.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { serviceApi } from './support/http.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});

describe('search', () => {
  it('answers results of {id, title, url} only, with absolute web URLs', async () => {
    const { status, body } = await callTool(id, 'search', { query: 'deploy' });
    expect(status).toBe(200);
    // `points` (what the call cost of Atlassian's quota) goes beside `success` on the REST door.
    const { success: _, points: __, ...result } = body;
    expect(Object.keys(result)).toEqual(['results']);
    expect(result.results.length).toBeGreaterThan(0);
    for (const hit of result.results) {
      expect(Object.keys(hit).sort()).toEqual(['id', 'title', 'url']);
      expect(hit.url).toMatch(/^https:\/\/.*\/wiki\//);
    }
    expect(result.results.map((hit: { id: string }) => hit.id)).toContain(SEED.pages.deployRunbook);
    await expectNoSpecViolations();
  });

  it('runs a text search of pages, whatever quotes, backslashes or wildcards the words hold', async () => {
    const { status } = await callTool(id, 'search', { query: '*deploy "runbook\\' });
    expect(status).toBe(200);
    const [request] = await confluenceRequests();
    expect(request?.query.cql).toBe('type = page AND text ~ "deploy \\"runbook"');
  });

  it('answers no results for a query of wildcards alone, without asking Confluence', async () => {
    const { status, body } = await callTool(id, 'search', { query: '**' });
    expect(status).toBe(200);
    expect(body.results).toEqual([]);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('stays inside the allowed spaces', async () => {
    await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { allowed_spaces: ['OPS'] } });
    const { body } = await callTool(id, 'search', { query: 'deploy' });
    expect(body.results.map((hit: { id: string }) => hit.id)).not.toContain(SEED.pages.deployRunbook);
    const [request] = await confluenceRequests();
    expect(request?.query.cql).toMatch(/^space in \("OPS"\) AND /);
  });
});

describe('fetch', () => {
  it('answers {id, title, text, url, metadata} with the page as Markdown', async () => {
    const { status, body } = await callTool(id, 'fetch', { id: SEED.pages.architecture });
    expect(status).toBe(200);
    // `points` (what the call cost of Atlassian's quota) goes beside `success` on the REST door.
    const { success: _, points: __, ...result } = body;
    expect(Object.keys(result).sort()).toEqual(['id', 'metadata', 'text', 'title', 'url']);
    expect(result).toMatchObject({
      id: SEED.pages.architecture,
      title: 'Architecture Overview',
      url: expect.stringMatching(/^https:\/\/.*\/wiki\//),
      metadata: { space_id: SEED.spaces.eng.id, version: 5, truncated: false },
    });
    expect(result.metadata.last_modified).toEqual(expect.any(String));
    // Markdown, not storage format.
    expect(result.text).not.toMatch(/<p>|<h[1-6]>/);
    expect(result.text).toMatch(/^#{1,6} /m);
  });

  it('answers a missing page as not_found', async () => {
    const { status, body } = await callTool(id, 'fetch', { id: '999999999' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});
