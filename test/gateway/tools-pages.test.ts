import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

describe('get_confluence_page', () => {
  it('returns the page with its storage content, version, labels and web url', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.page).toMatchObject({
      id: '65538',
      status: 'current',
      title: 'Architecture Overview',
      space_id: SEED.spaces.eng.id,
      parent_id: SEED.pages.engHome,
      parent_type: 'page',
      version: { number: 5, message: expect.any(String), created_at: expect.any(String) },
      content_format: 'storage',
      url: 'https://acme.atlassian.net/wiki/spaces/ENG/pages/65538/Architecture+Overview',
      truncated: false,
      offset: 0,
    });
    expect(body.page.content).toMatch(/^<h1>Architecture Overview<\/h1>/);
    expect(body.page.total_chars).toBe(body.page.content.length);
    expect(body.page.next_offset).toBeUndefined();
    expect(body.page.labels.map((l: { name: string }) => l.name).sort()).toEqual(['architecture', 'design']);
    expect(body.page.labels[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      prefix: 'global',
    });
    const [request] = await confluenceRequests();
    expect(request?.query).toMatchObject({ 'body-format': 'storage', 'include-labels': 'true' });
  });

  it('slices a 1 MB page into max_chars pieces that reassemble into the whole content', async () => {
    const first = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.huge });
    expect(first.status).toBe(200);
    const total = first.body.page.total_chars;
    expect(total).toBeGreaterThan(900_000);
    expect(first.body.page.content).toHaveLength(20_000);
    expect(first.body.page).toMatchObject({ truncated: true, next_offset: 20_000, offset: 0 });

    let content = '';
    let offset = 0;
    for (let round = 0; round < 10; round++) {
      const { body } = await callTool(id, 'get_confluence_page', {
        page_id: SEED.pages.huge,
        max_chars: 200_000,
        offset,
      });
      expect(body.page.content.length).toBeLessThanOrEqual(200_000);
      content += body.page.content;
      if (!body.page.truncated) break;
      offset = body.page.next_offset;
    }
    expect(content).toHaveLength(total);
    expect(content.startsWith(first.body.page.content)).toBe(true);
  });

  it('refuses max_chars above 200000 before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.huge,
      max_chars: 1_000_000,
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/max_chars/);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('returns the other body formats when asked', async () => {
    const adf = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
      body_format: 'atlas_doc_format',
    });
    expect(adf.body.page.content_format).toBe('atlas_doc_format');
    expect(JSON.parse(adf.body.page.content)).toMatchObject({ type: 'doc' });
    const view = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
      body_format: 'view',
    });
    expect(view.body.page.content_format).toBe('view');
    // Rendered HTML of the same page: its text is there, Confluence's storage macros are not.
    expect(view.body.page.content).toContain('Architecture Overview');
    expect(view.body.page.content).toContain('billing-api');
    expect(view.body.page.content).toContain('pickService');
    expect(view.body.page.content).not.toContain('<ac:');
    expect(view.body.page.total_chars).toBe(view.body.page.content.length);
  });

  it('reads a draft only with get_draft, and says so when it is missing', async () => {
    const hidden = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.draft });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
    expect(hidden.body.error.message).toMatch(/get_draft/);
    const draft = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.draft, get_draft: true });
    expect(draft.status).toBe(200);
    expect(draft.body.page.status).toBe('draft');
  });

  it('answers 404 not_found for a page the user may not see, saying it may not exist or be hidden', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.restricted });
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'not_found', retryable: false });
    expect(body.error.message).toMatch(/does not exist or the connected user may not view it/);
  });

  it('refuses a page id that is not numeric before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page', { page_id: 'Architecture Overview' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
    expect(body.error.message).toMatch(/page_id.*numeric/);
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('get_confluence_space_pages', () => {
  it('lists a space by id with the fields Potpie agents read', async () => {
    const { status, body } = await callTool(id, 'get_confluence_space_pages', {
      space_id: SEED.spaces.eng.id,
      limit: 3,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      space_id: SEED.spaces.eng.id,
      total: 3,
      status_filter: 'current',
      has_more: true,
      next_cursor: expect.any(String),
    });
    expect(body.pages[0]).toEqual({
      id: SEED.pages.engHome,
      status: 'current',
      title: 'Engineering Home',
      space_id: SEED.spaces.eng.id,
      parent_id: null,
      parent_type: null,
      position: expect.any(Number),
      author_id: expect.any(String),
      created_at: expect.any(String),
      version: 1,
      url: 'https://acme.atlassian.net/wiki/spaces/ENG/pages/65537/Engineering+Home',
    });
  });

  it('accepts a space key instead, resolving it with GET /spaces?keys=', async () => {
    const byKey = await callTool(id, 'get_confluence_space_pages', { space_key: 'ENG', limit: 5 });
    const byId = await callTool(id, 'get_confluence_space_pages', { space_id: SEED.spaces.eng.id, limit: 5 });
    expect(byKey.status).toBe(200);
    expect(byKey.body.space_id).toBe(SEED.spaces.eng.id);
    expect(byKey.body.pages).toEqual(byId.body.pages);
    const [lookup] = await confluenceRequests();
    expect(lookup?.path).toMatch(/\/wiki\/api\/v2\/spaces$/);
    expect(lookup?.query.keys).toBe('ENG');
  });

  it('resolves a space key once, then remembers it for this integration', async () => {
    await callTool(id, 'get_confluence_space_pages', { space_key: 'OPS', limit: 5 });
    await callTool(id, 'get_confluence_space_pages', { space_key: 'OPS', limit: 5 });
    const lookups = (await confluenceRequests()).filter((r) => r.query.keys === 'OPS');
    expect(lookups).toHaveLength(1);
  });

  it('answers 404 not_found naming a space key that does not exist', async () => {
    const { status, body } = await callTool(id, 'get_confluence_space_pages', { space_key: 'NOPE' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toContain('"NOPE"');
    expect(body.error.message).toMatch(/get_confluence_spaces/);
  });

  it('answers 404 not_found for a space id that does not exist', async () => {
    const { status, body } = await callTool(id, 'get_confluence_space_pages', { space_id: '424242' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('needs exactly one of space_id and space_key', async () => {
    const neither = await callTool(id, 'get_confluence_space_pages', {});
    expect(neither.status).toBe(400);
    expect(neither.body.error.message).toMatch(/space_id.*space_key/);
    const both = await callTool(id, 'get_confluence_space_pages', {
      space_id: SEED.spaces.eng.id,
      space_key: 'ENG',
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/not both/);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('passes the status filter, and "any" as no filter', async () => {
    const archived = await callTool(id, 'get_confluence_space_pages', {
      space_id: SEED.spaces.eng.id,
      status: 'archived',
    });
    expect(archived.status).toBe(200);
    // ENG has no archived pages: the filter reached Confluence.
    expect(archived.body).toMatchObject({ status_filter: 'archived', pages: [], total: 0, has_more: false });
    await callTool(id, 'get_confluence_space_pages', { space_id: SEED.spaces.eng.id, status: 'any' });
    const [first, second] = await confluenceRequests();
    expect(first?.query.status).toBe('archived');
    expect(second?.query.status).toBeUndefined();
    const draft = await callTool(id, 'get_confluence_space_pages', {
      space_id: SEED.spaces.eng.id,
      status: 'draft',
    });
    expect(draft.status).toBe(400);
  });

  it('pages through a space of more than 250 pages to the end, every page once', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    for (;;) {
      const { status, body } = await callTool(id, 'get_confluence_space_pages', {
        space_key: SEED.spaces.bulk.key,
        limit: 100,
        ...(cursor && { cursor }),
      });
      calls++;
      expect(status).toBe(200);
      expect(body.total).toBe(body.pages.length);
      ids.push(...body.pages.map((p: { id: string }) => p.id));
      if (!body.has_more) {
        expect(body.next_cursor).toBeUndefined();
        break;
      }
      cursor = body.next_cursor;
      expect(calls).toBeLessThan(10);
    }
    expect(calls).toBe(3);
    expect(ids).toHaveLength(SEED.bulkPageCount);
    expect(new Set(ids).size).toBe(SEED.bulkPageCount);
  });

  it('turns a cursor Confluence does not recognise into invalid_arguments', async () => {
    const { status, body } = await callTool(id, 'get_confluence_space_pages', {
      space_id: SEED.spaces.eng.id,
      cursor: 'not-a-cursor',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
    expect(body.error.message).toMatch(/next_cursor/);
  });
});
