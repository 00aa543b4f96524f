import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, gateway, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { callTool, connectAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
});

describe('arguments as LLMs send them', () => {
  it('accepts a page id given as a number, as its decimal string', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page', {
      page_id: Number(SEED.pages.architecture),
    });
    expect(status).toBe(200);
    expect(body.page.id).toBe(SEED.pages.architecture);
  });

  it('accepts an integer given as a numeric string', async () => {
    const { status, body } = await callTool(id, 'get_confluence_spaces', { limit: '2' });
    expect(status).toBe(200);
    expect(body.spaces).toHaveLength(2);
  });

  it('still refuses what is not a number or an id, naming the field', async () => {
    const bad = await callTool(id, 'get_confluence_spaces', { limit: 'two' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('limit');
    const fractional = await callTool(id, 'get_confluence_page', { page_id: 65538.5 });
    expect(fractional.status).toBe(400);
    expect(fractional.body.error.message).toContain('page_id');
  });

  it('keeps the published JSON Schemas exact', async () => {
    const response = await gateway('/api/v1/tools', {
      headers: { authorization: `Bearer ${SERVICE_TOKEN}` },
    });
    const { tools } = (await response.json()) as {
      tools: { name: string; input_schema: { properties: Record<string, { type: string }> } }[];
    };
    const page = tools.find((t) => t.name === 'get_confluence_page');
    expect(page?.input_schema.properties.page_id?.type).toBe('string');
    const spaces = tools.find((t) => t.name === 'get_confluence_spaces');
    expect(spaces?.input_schema.properties.limit?.type).toBe('integer');
  });

  it('names a near miss when a required field is missing', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page', { pageId: SEED.pages.architecture });
    expect(status).toBe(400);
    expect(body.error.message).toContain('you sent "pageId": did you mean "page_id"?');
    const session = await serviceApi('POST', '/api/v1/connect-sessions', { ownerId: 'someone' });
    expect(session.status).toBe(400);
    const refused = (await session.json()) as { error: { message: string } };
    expect(refused.error.message).toContain('did you mean "owner_id"?');
  });
});

describe('errors carry only the hints that apply', () => {
  it('tells a duplicate title about titles, not about XHTML', async () => {
    const first = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Twice',
      body: 'x',
    });
    expect(first.status).toBe(200);
    expect(first.body.message).toContain('in space ENG');
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Twice',
      body: 'x',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/title must be unique/);
    expect(body.error.message).not.toMatch(/XHTML/);
  });

  it('tells bad CQL about CQL, not about cursors', async () => {
    const { status, body } = await callTool(id, 'search_confluence_pages', { cql: 'text ~ ' });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/Check the CQL/);
    expect(body.error.message).not.toMatch(/cursor/);
  });

  it('tells a bad cursor about cursors, not about CQL', async () => {
    const { status, body } = await callTool(id, 'search_confluence_pages', {
      cql: 'type = page',
      cursor: 'garbage',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/next_cursor/);
    expect(body.error.message).not.toMatch(/Check the CQL/);
  });

  it('tells a mistyped bearer token on a tool route it is neither the service token nor an agent token', async () => {
    const { status, body } = await callTool(
      id,
      'get_confluence_spaces',
      {},
      `${SERVICE_TOKEN.slice(0, -1)}X`,
    );
    expect(status).toBe(401);
    expect(body.error.message).toMatch(/neither the service API token nor a valid agent token/);
  });
});
