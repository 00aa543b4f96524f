/**
 * Toolsets and the catalog's cost, as the official MCP clients meet them: the default connection
 * lists the core of documentation work, `?toolsets=` narrows (never past the policy), ChatGPT's pair
 * answers in ChatGPT's shapes, and tools/list stays within the token budgets a model can afford
 * (gpt-tokenizer, o200k_base). Production bundle in workerd, emulator.
 */

import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../dev/emulator/seed.ts';
import { CHATGPT_INSTRUCTIONS } from '../../src/tools/instructions.ts';
import { tools as registry } from '../../src/tools/registry.ts';
import { DEFAULT_TOOLSETS } from '../../src/tools/toolsets.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { type ClientFactory, connectV1, connectV2 } from '../support/mcp-clients.ts';
import { type SandboxServers, startSandboxServers } from '../support/sandbox-servers.ts';

/**
 * Token budgets of the catalog: what a listing costs a model's context. The default listing is held
 * to 4,000, every tool to 12,000 (MCP) and 9,000 (REST, with the instructions). With 46 tools they
 * measure 11,339 and 8,512 (docs/performance.md): arguments are described only where their
 * name, type, enum and default do not already say it, and what many tools share (a space by id or
 * key, version_number, slices, body_format, allow_removal) is said once, in the instructions.
 */
const BUDGET = { defaultMcp: 4_000, allMcp: 12_000, allRest: 9_000 };

let servers: SandboxServers;
let integrationId: string;
let agentToken: string;

beforeAll(async () => {
  servers = await startSandboxServers({ autoApprove: true, sitePreset: 'single' });
  integrationId = await connectOverHttp({
    gatewayUrl: servers.gatewayUrl,
    serviceToken: servers.serviceToken,
    ownerId: 'mcp-toolsets',
    name: 'MCP toolsets',
  });
  agentToken = await newAgentToken(integrationId);
}, 120_000);

afterAll(() => servers?.close());

async function newAgentToken(id: string, policy?: Record<string, unknown>): Promise<string> {
  const answer = await servers.serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, { policy });
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { token: string }).token;
}

const tokens = (value: unknown) => encode(JSON.stringify(value)).length;
const namesIn = (sets: readonly string[]) =>
  registry.filter((tool) => sets.includes(tool.toolset)).map((tool) => tool.name);

describe.each([
  ['the v1 SDK client', connectV1],
  ['the v2 client (2026-07-28)', connectV2],
] as [string, ClientFactory][])('%s', (_label, connect) => {
  it('a URL naming no toolsets lists the core of documentation work, within 4,000 tokens', async () => {
    const client = await connect(`${servers.gatewayUrl}/mcp`, agentToken);
    const { tools } = await client.listTools();
    expect(tools.map((tool: { name: string }) => tool.name)).toEqual(namesIn(DEFAULT_TOOLSETS));
    for (const core of ['get_confluence_page', 'search_confluence_pages', 'create_confluence_page']) {
      expect(tools.map((tool: { name: string }) => tool.name)).toContain(core);
    }
    expect(tokens(tools)).toBeLessThanOrEqual(BUDGET.defaultMcp);
    await client.close();
  });

  it('?toolsets=all lists every tool within 12,000 tokens', async () => {
    const client = await connect(`${servers.gatewayUrl}/mcp?toolsets=all`, agentToken);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(registry.length);
    expect(tokens(tools)).toBeLessThanOrEqual(BUDGET.allMcp);
    await client.close();
  });

  it('a tool outside the selected sets is refused, saying which URL selects it; nothing is sent', async () => {
    const client = await connect(`${servers.gatewayUrl}/mcp?toolsets=pages`, agentToken);
    const { tools } = await client.listTools();
    expect(tools.map((tool: { name: string }) => tool.name)).toEqual(namesIn(['pages']));
    const refused = await client.callTool('get_confluence_page_history', {
      page_id: SEED.pages.architecture.id,
    });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent.error).toMatchObject({ code: 'forbidden', rule: 'toolsets' });
    expect(refused.structuredContent.error.message).toContain('?toolsets=pages,history');
    await client.close();
  });

  it('?toolsets= never widens past the policy: the token’s sets bound what the URL selects', async () => {
    const token = await newAgentToken(integrationId, { toolsets: ['pages'] });
    const client = await connect(`${servers.gatewayUrl}/mcp?toolsets=pages,search,history`, token);
    const { tools } = await client.listTools();
    expect(tools.map((tool: { name: string }) => tool.name)).toEqual(namesIn(['pages']));
    const refused = await client.callTool('search_confluence_pages', { cql: 'text ~ "deploy"' });
    expect(refused.structuredContent.error).toMatchObject({
      code: 'forbidden',
      rule: 'toolsets',
      policy: 'agent_token',
    });
    await client.close();
  });

  it('?toolsets=chatgpt serves search and fetch alone, each answering one text item in ChatGPT’s shape', async () => {
    const client = await connect(`${servers.gatewayUrl}/mcp?toolsets=chatgpt`, agentToken);
    const { tools } = await client.listTools();
    expect(tools.map((tool: { name: string }) => tool.name)).toEqual(['search', 'fetch']);
    expect(tools.map((tool: { inputSchema: { required: string[] } }) => tool.inputSchema.required)).toEqual([
      ['query'],
      ['id'],
    ]);

    const found = await client.callTool('search', { query: 'deploy' });
    expect(found.content).toHaveLength(1);
    expect(found.content[0].type).toBe('text');
    const { results } = JSON.parse(found.content[0].text);
    expect(Object.keys(JSON.parse(found.content[0].text))).toEqual(['results']);
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(Object.keys(result).sort()).toEqual(['id', 'title', 'url']);

    const fetched = await client.callTool('fetch', { id: results[0].id });
    expect(fetched.content).toHaveLength(1);
    const document = JSON.parse(fetched.content[0].text);
    expect(Object.keys(document).sort()).toEqual(['id', 'metadata', 'text', 'title', 'url']);
    expect(document.id).toBe(results[0].id);
    expect(document.metadata).toMatchObject({ space_id: expect.any(String), version: expect.any(Number) });
    await client.close();
  });

  it('?toolsets=chatgpt gives instructions about search and fetch, naming no tool it does not list', async () => {
    const client = await connect(`${servers.gatewayUrl}/mcp?toolsets=chatgpt`, agentToken);
    const instructions = client.instructions() ?? '';
    expect(instructions).toMatch(/\bsearch\b/);
    expect(instructions).toMatch(/\bfetch\b/);
    const unlisted = registry.filter((tool) => tool.toolset !== 'chatgpt').map((tool) => tool.name);
    expect(unlisted.filter((name) => instructions.includes(name))).toEqual([]);
    await client.close();
  });

  it('gives the same instructions when the token’s policy, not the URL, leaves only search and fetch', async () => {
    const token = await newAgentToken(integrationId, { toolsets: ['chatgpt'] });
    const client = await connect(`${servers.gatewayUrl}/mcp?toolsets=all`, token);
    expect((await client.listTools()).tools.map((tool: { name: string }) => tool.name)).toEqual([
      'search',
      'fetch',
    ]);
    expect(client.instructions()).toBe(CHATGPT_INSTRUCTIONS);
    await client.close();
  });

  it('reads null as absent for an optional argument', async () => {
    const client = await connect(`${servers.gatewayUrl}/mcp`, agentToken);
    const result = await client.callTool('get_confluence_page', {
      page_id: SEED.pages.architecture.id,
      body_format: null,
      get_draft: null,
      max_chars: null,
      offset: null,
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.page.content_format).toBe('storage');
    await client.close();
  });
});

describe('the catalogs', () => {
  it('GET /api/v1/tools lists every tool within 9,000 tokens', async () => {
    const answer = await servers.serviceApi('GET', '/api/v1/tools');
    const catalog = (await answer.json()) as { tools: unknown[] };
    expect(catalog.tools).toHaveLength(registry.length);
    expect(tokens(catalog)).toBeLessThanOrEqual(BUDGET.allRest);
  });

  it('writes no schema with a type list, which single-type dialects (Gemini’s) refuse', async () => {
    const client = await connectV1(`${servers.gatewayUrl}/mcp?toolsets=all`, agentToken);
    const { tools } = await client.listTools();
    const typeLists: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [index, item] of node.entries()) walk(item, `${path}[${index}]`);
      } else if (typeof node === 'object' && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'type' && Array.isArray(value)) typeLists.push(path);
          walk(value, `${path}.${key}`);
        }
      }
    };
    for (const tool of tools) walk({ input: tool.inputSchema, output: tool.outputSchema }, tool.name);
    expect(typeLists).toEqual([]);
    await client.close();
  });

  it('an unknown toolset on the MCP URL is a 400 naming the valid ones', async () => {
    const answer = await fetch(`${servers.gatewayUrl}/mcp?toolsets=pages,wiki`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${agentToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('"wiki"');
    expect(body.error.message).toContain('chatgpt');
  });
});
