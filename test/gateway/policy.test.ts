import { beforeEach, describe, expect, it } from 'vitest';
import { tools } from '../../src/tools/registry.ts';
import { writeCalls } from '../support/write-calls.ts';
import { serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  freshAcme,
  SEED,
  type ToolAnswer,
} from './support/tools.ts';

/** A page of the OPS space (dev/emulator/seed.ts). */
const OPS_PAGE = '65602';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});

async function setPolicy(policy: Record<string, unknown>, integrationId = id) {
  const response = await serviceApi('PATCH', `/api/v1/integrations/${integrationId}`, { policy });
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  return { status: response.status, body: (await response.json()) as any };
}

async function tokenWith(policy?: Record<string, unknown>): Promise<string> {
  const response = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {
    label: 'narrow agent',
    ...(policy && { policy }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

function expectForbidden(answer: ToolAnswer, rule: string, source = 'integration') {
  expect(answer.status).toBe(403);
  expect(answer.body.error).toMatchObject({ code: 'forbidden', rule, policy: source, retryable: false });
}

const WRITES = {
  create_confluence_page: { space_key: 'ENG', title: 'New', body: 'x' },
  add_confluence_comment: { page_id: SEED.pages.architecture, comment: 'x' },
};

describe('PATCH /api/v1/integrations/:id', () => {
  it('sets a policy that is part of the Integration resource; omitted fields keep their value', async () => {
    const before = await serviceApi('GET', `/api/v1/integrations/${id}`);
    expect((await before.json()) as object).toMatchObject({
      policy: {
        read_only: false,
        allowed_tools: null,
        denied_tools: [],
        allowed_spaces: null,
        toolsets: null,
      },
    });
    const first = await setPolicy({ read_only: true, allowed_spaces: ['ENG'] });
    expect(first.status).toBe(200);
    const second = await setPolicy({ denied_tools: ['search_confluence_pages'] });
    const expected = {
      read_only: true,
      allowed_tools: null,
      denied_tools: ['search_confluence_pages'],
      allowed_spaces: ['ENG'],
      toolsets: null,
    };
    expect(second.body.policy).toEqual(expected);
    const after = (await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()) as object;
    expect(after).toMatchObject({ policy: expected });
  });

  it('renames an integration', async () => {
    const response = await serviceApi('PATCH', `/api/v1/integrations/${id}`, { name: 'Docs wiki' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { name: string }).name).toBe('Docs wiki');
  });

  it('refuses unknown tool names listing the valid ones, malformed space keys and unknown fields', async () => {
    const tool = await setPolicy({ denied_tools: ['delete_everything'] });
    expect(tool.status).toBe(400);
    expect(tool.body.error.message).toMatch(/denied_tools\.0/);
    expect(tool.body.error.message).toMatch(/delete_everything/);
    expect(tool.body.error.message).toContain('get_confluence_page');
    expect(tool.body.error.message).toContain('create_confluence_page');

    const key = await setPolicy({ allowed_spaces: ['ENG") OR space = "OPS'] });
    expect(key.status).toBe(400);
    expect(key.body.error.message).toMatch(/allowed_spaces\.0: expected a space key/);

    // The fence resolves the keys in one request of 250: more would leave some silently unusable.
    const many = await setPolicy({ allowed_spaces: Array.from({ length: 251 }, (_, n) => `S${n}`) });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/allowed_spaces: at most 250 space keys/);

    const field = await setPolicy({ readonly: true });
    expect(field.status).toBe(400);
    expect(field.body.error.message).toMatch(/read_only, allowed_tools, denied_tools, allowed_spaces/);

    const nothing = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {});
    expect(nothing.status).toBe(400);
    const policy = (await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()) as object;
    expect(policy).toMatchObject({ policy: { denied_tools: [], allowed_spaces: null } });
  });

  it('needs the service token', async () => {
    const token = await tokenWith();
    const response = await serviceApi('PATCH', `/api/v1/integrations/int_unknown`, { name: 'x' });
    expect(response.status).toBe(404);
    const asAgent = await fetchAsAgent(token);
    expect(asAgent.status).toBe(401);
  });
});

async function fetchAsAgent(token: string): Promise<Response> {
  const { gateway } = await import('./support/http.ts');
  return gateway(`/api/v1/integrations/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ policy: { read_only: false } }),
  });
}

describe('tool rules, in the REST door', () => {
  it('read_only refuses every write with 403 forbidden naming the rule, before any upstream call; reads work', async () => {
    await setPolicy({ read_only: true });
    for (const [name, args] of writeCalls()) {
      const answer = await callTool(id, name, args);
      expectForbidden(answer, 'read_only');
      expect(answer.body.error.message).toMatch(/read-only/);
    }
    expect(await confluenceRequests()).toEqual([]);
    expect((await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture })).status).toBe(
      200,
    );
    expect((await callTool(id, 'search_confluence_pages', { cql: 'type = page' })).status).toBe(200);
  });

  it('allowed_tools allows only the tools it names', async () => {
    await setPolicy({ allowed_tools: ['get_confluence_page'] });
    expect((await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture })).status).toBe(
      200,
    );
    await clearRequestLog();
    const refused = await callTool(id, 'get_confluence_spaces', {});
    expectForbidden(refused, 'allowed_tools');
    expect(refused.body.error.message).toContain('get_confluence_page');
    expect(await confluenceRequests()).toEqual([]);
  });

  it('denied_tools refuses the tools it names', async () => {
    await setPolicy({ denied_tools: ['add_confluence_comment'] });
    expectForbidden(
      await callTool(id, 'add_confluence_comment', WRITES.add_confluence_comment),
      'denied_tools',
    );
    expect(await confluenceRequests()).toEqual([]);
    expect((await callTool(id, 'create_confluence_page', WRITES.create_confluence_page)).status).toBe(200);
  });

  it('the integration catalog lists only the tools the policy allows; the global one stays whole', async () => {
    await setPolicy({ read_only: true, denied_tools: ['search_confluence_pages'] });
    const response = await serviceApi('GET', `/api/v1/integrations/${id}/tools`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      tools: { name: string; input_schema: object }[];
      policy: object;
    };
    const reads = tools.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);
    expect(body.tools.map((tool) => tool.name)).toEqual(
      reads.filter((name) => name !== 'search_confluence_pages'),
    );
    expect(body.tools.map((tool) => tool.name)).toContain('get_confluence_page');
    expect(body.tools[0]?.input_schema).toMatchObject({ type: 'object' });
    expect(body.policy).toMatchObject({ read_only: true });
    const global = (await (await serviceApi('GET', '/api/v1/tools')).json()) as { tools: unknown[] };
    expect(global.tools).toHaveLength(tools.length);
  });

  it('applies the integration policy to the service token too', async () => {
    await setPolicy({ read_only: true });
    expectForbidden(await callTool(id, 'create_confluence_page', WRITES.create_confluence_page), 'read_only');
  });
});

describe('agent token policies', () => {
  it('a token narrows a wider integration policy: read-only and one space under a two-space integration', async () => {
    await setPolicy({ allowed_spaces: ['ENG', 'OPS'] });
    const narrow = await tokenWith({ read_only: true, allowed_spaces: ['OPS'] });

    const write = await callTool(
      id,
      'create_confluence_page',
      { ...WRITES.create_confluence_page, space_key: 'OPS' },
      narrow,
    );
    expectForbidden(write, 'read_only', 'agent_token');
    expect((await callTool(id, 'get_confluence_page', { page_id: OPS_PAGE }, narrow)).status).toBe(200);
    const eng = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture }, narrow);
    expect(eng.status).toBe(404);
    expect(eng.body.error.code).toBe('not_found');

    // The service token, under the integration's policy alone, may do both.
    expect((await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture })).status).toBe(
      200,
    );
    const created = await callTool(id, 'create_confluence_page', {
      ...WRITES.create_confluence_page,
      space_key: 'OPS',
    });
    expect(created.status).toBe(200);

    const catalog = await (await import('./support/http.ts')).gateway(`/api/v1/integrations/${id}/tools`, {
      headers: { authorization: `Bearer ${narrow}` },
    });
    const body = (await catalog.json()) as { tools: { name: string }[]; policy: object };
    expect(body.tools.map((tool) => tool.name)).not.toContain('create_confluence_page');
    expect(body.policy).toEqual({
      read_only: true,
      allowed_tools: null,
      denied_tools: [],
      allowed_spaces: ['OPS'],
      toolsets: null,
    });
  });

  it('a token cannot widen its integration policy: issuing one that would is refused, saying what', async () => {
    await setPolicy({ read_only: true, allowed_spaces: ['ENG'] });
    const response = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {
      policy: { allowed_tools: ['create_confluence_page'], allowed_spaces: ['ENG', 'OPS'] },
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(/create_confluence_page.*read_only/);
    expect(error.message).toMatch(/OPS/);
  });

  it('a token issued before its integration was narrowed is held to the narrower policy', async () => {
    const token = await tokenWith({ allowed_spaces: ['ENG', 'OPS'] });
    await setPolicy({ read_only: true, allowed_spaces: ['ENG'] });
    expectForbidden(
      await callTool(id, 'add_confluence_comment', WRITES.add_confluence_comment, token),
      'read_only',
    );
    expect((await callTool(id, 'get_confluence_page', { page_id: OPS_PAGE }, token)).status).toBe(404);
  });
});
