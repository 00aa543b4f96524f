/**
 * Null means absent: a model in OpenAI's strict mode sends null for every optional argument it
 * leaves out, and clients pass those nulls on. The REST door is tested here; the MCP door shares
 * callTool and is tested through real clients (test/e2e/agent-clients.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { callTool, confluenceRequests, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});

describe('an optional argument sent as null', () => {
  it('is read as absent: the default applies', async () => {
    const withNulls = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
      body_format: null,
      get_draft: null,
      max_chars: null,
      offset: null,
    });
    const without = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(withNulls.status).toBe(200);
    expect(withNulls.body).toEqual(without.body);
    expect(withNulls.body.page.content_format).toBe('storage');
  });

  it('is read as absent on a write too, and on a paged list', async () => {
    const created = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      space_id: null,
      title: 'Null means absent',
      body: 'Words.',
      parent_id: null,
      status: null,
      body_format: null,
    });
    expect(created.status).toBe(200);
    expect(created.body.page.status).toBe('current');
    const listed = await callTool(id, 'get_confluence_spaces', {
      limit: null,
      cursor: null,
      space_type: null,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.spaces.length).toBeGreaterThan(0);
  });
});

describe('a required argument sent as null', () => {
  it('is refused naming the field, with nothing sent to Confluence', async () => {
    const answer = await callTool(id, 'get_confluence_page', { page_id: null });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_arguments');
    expect(answer.body.error.message).toMatch(/^Invalid arguments: page_id: .*got null/);
    expect(await confluenceRequests()).toEqual([]);
  });
});
