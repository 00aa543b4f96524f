import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

describe('search_confluence_pages', () => {
  it('runs the CQL on v1 search and returns Potpie-shaped results with absolute urls', async () => {
    const cql = 'type=page AND space=ENG AND title ~ "Architecture"';
    const { status, body } = await callTool(id, 'search_confluence_pages', { cql });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, query: cql, has_more: false, limit: expect.any(Number) });
    expect(body.total).toBe(1);
    expect(body.pages[0]).toEqual({
      id: SEED.pages.architecture,
      status: 'current',
      title: 'Architecture Overview',
      url: 'https://acme.atlassian.net/wiki/spaces/ENG/pages/65538/Architecture+Overview',
      excerpt: expect.any(String),
      last_modified: expect.any(String),
      entity_type: 'content',
      type: 'page',
      space_key: 'ENG',
      space_name: 'Engineering',
      version: 5,
    });
    const [request] = await confluenceRequests();
    expect(request?.path).toMatch(/\/wiki\/rest\/api\/search$/);
    expect(request?.query).toMatchObject({ cql, limit: '25', includeArchivedSpaces: 'false' });
  });

  it("leaves Confluence's highlight markers out of excerpts", async () => {
    const { body } = await callTool(id, 'search_confluence_pages', { cql: 'text ~ "deploy"' });
    expect(body.pages.length).toBeGreaterThan(0);
    const excerpts = body.pages.map((p: { excerpt: string }) => p.excerpt).join(' ');
    expect(excerpts.toLowerCase()).toContain('deploy');
    expect(excerpts).not.toContain('@@@');
  });

  it('pages with next_cursor until has_more is false, each result once, total counting every match', async () => {
    const cql = 'space=BULK AND type=page';
    const ids: string[] = [];
    let cursor: string | undefined;
    let totalSize: number | undefined;
    for (let round = 0; round < 10; round++) {
      const { status, body } = await callTool(id, 'search_confluence_pages', { cql, limit: 100, cursor });
      expect(status).toBe(200);
      totalSize ??= body.total;
      ids.push(...body.pages.map((p: { id: string }) => p.id));
      if (!body.has_more) break;
      cursor = body.next_cursor;
    }
    expect(ids).toHaveLength(SEED.bulkPageCount);
    expect(new Set(ids).size).toBe(SEED.bulkPageCount);
    expect(totalSize).toBe(SEED.bulkPageCount);
    // Confluence's own cursor went back with next=true, as its _links.next does.
    const followUps = (await confluenceRequests()).slice(1);
    for (const request of followUps)
      expect(request.query).toMatchObject({ next: 'true', cursor: expect.any(String) });
  });

  it('maps include_archived to includeArchivedSpaces', async () => {
    const cql = 'title ~ "Legacy Deploy"';
    const without = await callTool(id, 'search_confluence_pages', { cql });
    expect(without.body.pages).toEqual([]);
    const withArchived = await callTool(id, 'search_confluence_pages', { cql, include_archived: true });
    expect(withArchived.body.pages.map((p: { title: string }) => p.title)).toEqual(['Legacy Deploy Process']);
    const [, second] = await confluenceRequests();
    expect(second?.query.includeArchivedSpaces).toBe('true');
  });

  it('turns CQL that does not parse into invalid_arguments quoting Confluence and saying how to fix it', async () => {
    const { status, body } = await callTool(id, 'search_confluence_pages', { cql: 'text ~ "unclosed AND' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
    expect(body.error.message).toMatch(/Could not parse cql/);
    expect(body.error.message).not.toMatch(/com\.atlassian/);
    expect(body.error.message).toMatch(/quote phrases/);
  });

  it('refuses an empty query before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'search_confluence_pages', { cql: '   ' });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/cql/);
    expect(await confluenceRequests()).toEqual([]);
  });
});
