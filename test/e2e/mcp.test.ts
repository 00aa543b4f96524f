/**
 * The MCP door as real MCP clients use it: the official v1 SDK client (2025-era `initialize`
 * handshake) and the v2 client pinned to 2026-07-28 (per-request `_meta`, `server/discover`),
 * against the production bundle in workerd and the Atlassian emulator, over loopback HTTP.
 */
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { SEED } from '../../dev/emulator/seed.ts';
import { tools as registry } from '../../src/tools/registry.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { type ClientFactory, connectV1, connectV2, type McpTestClient } from '../support/mcp-clients.ts';
import { type SandboxServers, startSandboxServers } from '../support/sandbox-servers.ts';

const ALLOWED_ORIGIN = 'https://agents.example.com';

let servers: SandboxServers;
let integrationId: string;
let otherIntegrationId: string;
let agentToken: string;
let otherAgentToken: string;

beforeAll(async () => {
  servers = await startSandboxServers({
    autoApprove: true,
    sitePreset: 'single',
    settings: { MCP_ALLOWED_ORIGINS: ALLOWED_ORIGIN },
  });
  const connect = (name: string) =>
    connectOverHttp({
      gatewayUrl: servers.gatewayUrl,
      serviceToken: servers.serviceToken,
      ownerId: 'mcp',
      name,
    });
  integrationId = await connect('MCP');
  otherIntegrationId = await connect('MCP other');
  agentToken = await newAgentToken(integrationId);
  otherAgentToken = await newAgentToken(otherIntegrationId);
}, 120_000);

afterAll(() => servers?.close());

async function newAgentToken(id: string): Promise<string> {
  const answer = await servers.serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {});
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { token: string }).token;
}

/**
 * Each tool's result schema, closed: a result field its `output` does not describe fails here,
 * though the published outputSchema stays open to new fields.
 */
const closedResultSchemas = new Map(
  registry.map((tool) => [
    tool.name,
    new Ajv({ strict: false, allErrors: true }).compile(
      z.toJSONSchema(tool.output ?? z.never(), { io: 'output', target: 'draft-07' }),
    ),
  ]),
);

function expectDescribedByOutputSchema(name: string, structuredContent: unknown): void {
  const validate = closedResultSchemas.get(name);
  expect(validate?.(structuredContent), JSON.stringify(validate?.errors)).toBe(true);
}

// biome-ignore lint/suspicious/noExplicitAny: REST answers are compared field by field
async function restCall(name: string, args: Record<string, unknown>): Promise<any> {
  const answer = await servers.serviceApi(
    'POST',
    `/api/v1/integrations/${integrationId}/tools/${name}`,
    args,
  );
  return answer.json();
}

describe.each([
  ['the v1 SDK client (2025-era initialize handshake)', connectV1],
  ['the v2 client pinned to 2026-07-28', connectV2],
] as [string, ClientFactory][])('%s', (_label, connect) => {
  let client: McpTestClient;

  beforeAll(async () => {
    client = await connect(`${servers.gatewayUrl}/mcp?toolsets=all`, agentToken);
  });
  afterAll(() => client?.close());

  it('lists every tool of the REST catalog, with the same input schemas, annotations and an output schema', async () => {
    const rest = (await (await servers.serviceApi('GET', '/api/v1/tools')).json()) as {
      tools: { name: string; description: string; input_schema: unknown }[];
    };
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(rest.tools.map((tool) => tool.name));
    for (const [index, tool] of tools.entries()) {
      const entry = rest.tools[index] as (typeof rest.tools)[number];
      expect(tool.description).toBe(entry.description);
      expect(tool.inputSchema).toEqual(entry.input_schema);
      expect(tool.title).toEqual(expect.any(String));
      expect(tool.outputSchema).toMatchObject({
        type: 'object',
        anyOf: [{ type: 'object' }, { required: ['error'] }],
      });
      expect(typeof tool.annotations.readOnlyHint).toBe('boolean');
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    // The spec's defaults (openWorldHint true, idempotentHint false) go unsaid.
    expect(byName.get('get_confluence_page').annotations).toEqual({ readOnlyHint: true });
    expect(byName.get('update_confluence_page').annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
  });

  it('gives the model instructions for the workflow', () => {
    expect(client.instructions()).toMatch(/version_number/);
    expect(client.instructions()).toMatch(/next_cursor/);
    expect(client.instructions()).toMatch(/offset/);
  });

  it('reads a page: structuredContent is the REST answer without success and points, and the text carries the same JSON', async () => {
    const args = { page_id: SEED.pages.architecture.id, max_chars: 500 };
    const result = await client.callTool('get_confluence_page', args);
    const { success, points, ...rest } = await restCall('get_confluence_page', args);
    expect(success).toBe(true);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(rest);
    // The price goes beside the result (REST: points; MCP: _meta), not into it.
    expect(result._meta?.points).toBeGreaterThanOrEqual(0);
    expect(points).toBeGreaterThanOrEqual(0);
    expect(result.content).toHaveLength(1);
    expect(JSON.parse(result.content[0].text)).toEqual(rest);
  });

  it('answers every read tool with a result its output schema describes', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['get_confluence_spaces', { limit: 2 }],
      ['get_confluence_space_pages', { space_key: SEED.spaces.eng.key, limit: 3 }],
      ['search_confluence_pages', { cql: 'type = page AND text ~ "deploy"', limit: 2 }],
      ['get_confluence_page', { page_id: SEED.pages.large.id }],
    ];
    for (const [name, args] of calls) {
      const result = await client.callTool(name, args);
      expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
      expectDescribedByOutputSchema(name, result.structuredContent);
    }
  });

  it('creates a page through the same tool code as REST', async () => {
    const title = `Created over MCP ${client.era}`;
    const result = await client.callTool('create_confluence_page', {
      space_key: SEED.spaces.eng.key,
      title,
      body: 'Written by an MCP client.',
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.page).toMatchObject({ title, version: 1 });
    expectDescribedByOutputSchema('create_confluence_page', result.structuredContent);
    const pageId = result.structuredContent.page.id;
    const read = await restCall('get_confluence_page', { page_id: pageId });
    expect(read.page.content).toBe('<p>Written by an MCP client.</p>');

    const updated = await client.callTool('update_confluence_page', {
      page_id: pageId,
      version_number: 1,
      body: 'Changed by an MCP client.',
    });
    expect(updated.structuredContent.page.version).toBe(2);
    expectDescribedByOutputSchema('update_confluence_page', updated.structuredContent);
    const commented = await client.callTool('add_confluence_comment', {
      page_id: pageId,
      comment: 'Looks right.',
    });
    expect(commented.structuredContent.comment.page_id).toBe(pageId);
    expectDescribedByOutputSchema('add_confluence_comment', commented.structuredContent);
  });

  it('answers a stale version_number with an isError version_conflict, as REST does', async () => {
    const result = await client.callTool('update_confluence_page', {
      page_id: SEED.pages.architecture.id,
      version_number: 1,
      title: 'Never saved',
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({
      code: 'version_conflict',
      retryable: false,
      current_version: { number: SEED.pages.architecture.version },
    });
  });

  it('answers a missing page with an isError result carrying the REST error', async () => {
    const result = await client.callTool('get_confluence_page', { page_id: '999999999' });
    const rest = await restCall('get_confluence_page', { page_id: '999999999' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({ error: rest.error });
    expect(result.structuredContent.error).toMatchObject({ code: 'not_found', retryable: false });
    expect(JSON.parse(result.content[0].text)).toEqual({ error: rest.error });
  });

  it('answers arguments that fail the schema with an isError result naming the field (SEP-1303)', async () => {
    const result = await client.callTool('get_confluence_page', { page_id: 'abc' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({ code: 'invalid_arguments', retryable: false });
    expect(result.structuredContent.error.message).toMatch(/page_id/);
  });

  it('answers an unknown tool with the protocol error -32602', async () => {
    await expect(client.callTool('delete_everything', {})).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/No tool "delete_everything"/),
    });
  });
});

describe('who may call', () => {
  const post = (path: string, headers: Record<string, string>) =>
    fetch(`${servers.gatewayUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });

  it('answers no token with 401 and a Bearer challenge', async () => {
    const answer = await post('/mcp', {});
    expect(answer.status).toBe(401);
    // It also tells an MCP client where to sign in (RFC 9728; the gateway is on loopback here).
    expect(answer.headers.get('www-authenticate')).toBe(
      `Bearer realm="confluence-agent-gateway", resource_metadata="${servers.gatewayUrl}/.well-known/oauth-protected-resource/mcp", scope="confluence"`,
    );
    await expect(connectV1(`${servers.gatewayUrl}/mcp`, 'not-a-token')).rejects.toMatchObject({ code: 401 });
  });

  it('answers a revoked agent token with 401 invalid_token', async () => {
    const created = await servers.serviceApi(
      'POST',
      `/api/v1/integrations/${integrationId}/agent-tokens`,
      {},
    );
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect((await post('/mcp', { authorization: `Bearer ${token}` })).status).toBe(200);
    await servers.serviceApi('DELETE', `/api/v1/integrations/${integrationId}/agent-tokens/${id}`);
    const answer = await post('/mcp', { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it("answers another integration's agent token with 403 on the integration's route", async () => {
    const answer = await post(`/api/v1/integrations/${integrationId}/mcp`, {
      authorization: `Bearer ${otherAgentToken}`,
    });
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it("serves the integration's route to the service token and to that integration's agent token", async () => {
    for (const token of [servers.serviceToken, agentToken]) {
      const client = await connectV2(`${servers.gatewayUrl}/api/v1/integrations/${integrationId}/mcp`, token);
      const result = await client.callTool('get_confluence_spaces', { limit: 1 });
      expect(result.structuredContent.spaces).toHaveLength(1);
      await client.close();
    }
  });

  it('refuses the service token on /mcp, which names no integration', async () => {
    const answer = await post('/mcp', { authorization: `Bearer ${servers.serviceToken}` });
    expect(answer.status).toBe(403);
  });

  it('refuses a foreign browser Origin, and allows its own and the listed ones', async () => {
    const auth = { authorization: `Bearer ${agentToken}` };
    const foreign = await post('/mcp', { ...auth, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toMatch(
      /MCP_ALLOWED_ORIGINS/,
    );
    expect((await post('/mcp', { ...auth, origin: servers.gatewayUrl })).status).toBe(200);
    const listed = await post('/mcp', { ...auth, origin: ALLOWED_ORIGIN });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('answers a CORS preflight for a listed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${servers.gatewayUrl}/mcp`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
        },
      });
    const listed = await preflight(ALLOWED_ORIGIN);
    expect(listed.status).toBe(204);
    expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(listed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers GET and DELETE with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      for (const path of ['/mcp', `/api/v1/integrations/${integrationId}/mcp`]) {
        const answer = await fetch(`${servers.gatewayUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${agentToken}` },
        });
        expect(answer.status).toBe(405);
        expect(answer.headers.get('allow')).toBe('POST');
      }
    }
  });
});
