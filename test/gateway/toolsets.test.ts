/**
 * Toolsets on the REST side: every tool in one set, `?toolsets=` narrowing the catalog, and
 * `policy.toolsets` on the integration and the agent token refusing tools of other sets (the MCP
 * side is test/e2e/mcp-toolsets.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CHATGPT_INSTRUCTIONS, TOOL_INSTRUCTIONS } from '../../src/tools/instructions.ts';
import { tools } from '../../src/tools/registry.ts';
import { DEFAULT_TOOLSETS, TOOLSETS } from '../../src/tools/toolsets.ts';
import { gateway, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { agentToken, callTool, confluenceRequests, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});

interface Listed {
  tools: { name: string; toolset: string }[];
  instructions: string;
  policy?: Record<string, unknown>;
}

async function list(path: string, token = SERVICE_TOKEN): Promise<{ status: number; body: Listed }> {
  const answer = await gateway(path, { headers: { authorization: `Bearer ${token}` } });
  return { status: answer.status, body: (await answer.json()) as Listed };
}

function setPolicy(policy: Record<string, unknown>) {
  return serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy });
}

const namesOf = (sets: readonly string[]) =>
  tools.filter((tool) => sets.includes(tool.toolset)).map((tool) => tool.name);

describe('the catalog by toolset', () => {
  it('names each tool’s one toolset, every one of them a known set', async () => {
    const { body } = await list('/api/v1/tools');
    expect(body.tools).toHaveLength(tools.length);
    for (const entry of body.tools) expect(TOOLSETS).toContain(entry.toolset);
    // The core of documentation work is all there by default on MCP: each default set holds tools.
    for (const set of DEFAULT_TOOLSETS) expect(namesOf([set]).length).toBeGreaterThan(0);
  });

  it('?toolsets=a,b lists only the tools of those sets; all lists everything', async () => {
    const narrowed = await list('/api/v1/tools?toolsets=pages,chatgpt');
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.tools.map((tool) => tool.name)).toEqual(namesOf(['pages', 'chatgpt']));
    expect(narrowed.body.tools.map((tool) => tool.name)).toContain('search');
    const all = await list('/api/v1/tools?toolsets=all');
    expect(all.body.tools).toHaveLength(tools.length);
  });

  it('instructions beside ChatGPT’s pair alone speak of search and fetch, not of tools it does not list', async () => {
    expect((await list('/api/v1/tools?toolsets=chatgpt')).body.instructions).toBe(CHATGPT_INSTRUCTIONS);
    expect((await list('/api/v1/tools?toolsets=pages,chatgpt')).body.instructions).toBe(TOOL_INSTRUCTIONS);
    // A policy that confines the integration to the pair gets them too, with no toolsets on the URL.
    await setPolicy({ toolsets: ['chatgpt'] });
    expect((await list(`/api/v1/integrations/${id}/tools`)).body.instructions).toBe(CHATGPT_INSTRUCTIONS);
    for (const name of namesOf(TOOLSETS.filter((set) => set !== 'chatgpt'))) {
      expect(CHATGPT_INSTRUCTIONS).not.toContain(name);
    }
  });

  it('an unknown toolset is refused with the list of valid ones', async () => {
    const answer = await gateway('/api/v1/tools?toolsets=pages,wiki', {
      headers: { authorization: `Bearer ${SERVICE_TOKEN}` },
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('"wiki"');
    for (const set of TOOLSETS) expect(body.error.message).toContain(set);
  });
});

describe('policy.toolsets', () => {
  it('confines the integration to its sets: other tools are refused before Confluence is called, naming the rule', async () => {
    const patched = await setPolicy({ toolsets: ['pages', 'comments'] });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { policy: unknown }).policy).toMatchObject({
      toolsets: ['pages', 'comments'],
    });
    const read = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(read.status).toBe(200);
    const before = (await confluenceRequests()).length;
    const refused = await callTool(id, 'search_confluence_pages', { cql: 'text ~ "deploy"' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', rule: 'toolsets', policy: 'integration' });
    expect(refused.body.error.message).toContain('search_confluence_pages belongs to search');
    expect(await confluenceRequests()).toHaveLength(before);
  });

  it('GET /:id/tools lists only the allowed sets, and ?toolsets= there narrows and never widens', async () => {
    await setPolicy({ toolsets: ['pages', 'comments'] });
    const listed = await list(`/api/v1/integrations/${id}/tools`);
    expect(listed.body.tools.map((tool) => tool.name)).toEqual(namesOf(['pages', 'comments']));
    const narrowed = await list(`/api/v1/integrations/${id}/tools?toolsets=comments,search`);
    expect(narrowed.body.tools.map((tool) => tool.name)).toEqual(namesOf(['comments']));
  });

  it('an agent token narrows further, and cannot be issued with a set its integration lacks', async () => {
    await setPolicy({ toolsets: ['pages', 'search'] });
    const widening = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {
      policy: { toolsets: ['pages', 'attachments'] },
    });
    expect(widening.status).toBe(400);
    expect(((await widening.json()) as { error: { message: string } }).error.message).toContain(
      'toolsets names attachments',
    );
    const issued = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {
      policy: { toolsets: ['search'] },
    });
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    const refused = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture }, token);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', rule: 'toolsets', policy: 'agent_token' });
    expect((await callTool(id, 'search_confluence_pages', { cql: 'text ~ "deploy"' }, token)).status).toBe(
      200,
    );
    const listed = await list(`/api/v1/integrations/${id}/tools`, token);
    expect(listed.body.tools.map((tool) => tool.name)).toEqual(namesOf(['search']));
    expect(listed.body.policy).toMatchObject({ toolsets: ['search'] });
  });

  it('refuses a policy naming no toolset, saying which are', async () => {
    const answer = await setPolicy({ toolsets: ['pages', 'everything'] });
    expect(answer.status).toBe(400);
    const { error } = (await answer.json()) as { error: { message: string } };
    expect(error.message).toContain('toolsets.1');
    expect(error.message).toContain('whiteboards_databases');
  });

  it('null lifts the restriction again', async () => {
    await setPolicy({ toolsets: ['pages'] });
    await setPolicy({ toolsets: null });
    const token = await agentToken(id);
    expect((await callTool(id, 'search_confluence_pages', { cql: 'text ~ "deploy"' }, token)).status).toBe(
      200,
    );
  });
});
