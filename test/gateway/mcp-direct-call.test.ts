/**
 * The direct tools/call path (src/mcp/direct-call.ts) answers exactly as the SDK does: the same
 * request, sent through the gateway's route and straight to the SDK's handler, gets equal answers.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { mcpHandler } from '../../src/mcp/server.ts';
import { emulatorControl, GATEWAY, gateway, SERVICE_TOKEN } from './support/http.ts';
import { connectAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme('owner-mcp-direct');
});

const ERAS = {
  legacy: { headers: { 'mcp-protocol-version': '2025-11-25' }, meta: undefined },
  modern: {
    headers: { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' },
    meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'tests', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
} as const;

function toolCallRequest(
  url: string,
  era: keyof typeof ERAS,
  name: string,
  args: unknown,
  extra = {},
): Request {
  const { headers, meta } = ERAS[era];
  return new Request(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${SERVICE_TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
      ...(era === 'modern' && { 'mcp-name': name }),
      ...extra,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 42,
      method: 'tools/call',
      params: { name, arguments: args, ...(meta && { _meta: meta }) },
    }),
  });
}

/** The JSON-RPC message of an answer, whether it came as JSON or as one SSE event. */
async function message(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return JSON.parse(text);
  const data = text.split('\n').find((line) => line.startsWith('data: '));
  return JSON.parse(data?.slice('data: '.length) ?? 'null');
}

async function bothWays(era: keyof typeof ERAS, name: string, args: unknown) {
  const url = `${GATEWAY}/api/v1/integrations/${id}/mcp`;
  const direct = await gateway(url, toolCallRequest(url, era, name, args));
  const sdk = await mcpHandler.fetch(toolCallRequest(url, era, name, args), {
    authInfo: {
      token: 'service',
      clientId: id,
      scopes: [],
      extra: { toolCall: { env: env as unknown as Env, caller: { kind: 'service' }, integrationId: id } },
    },
  });
  expect(direct.status).toBe(200);
  expect(sdk.status).toBe(200);
  // The direct path answers as JSON; the SDK answers a 2025-era request as an SSE stream.
  expect(direct.headers.get('content-type')).toMatch(/^application\/json/);
  return { direct: await message(direct), sdk: await message(sdk) };
}

describe.each(['legacy', 'modern'] as const)('a %s-era tools/call', (era) => {
  it('gets the SDK answer for a read', async () => {
    const { direct, sdk } = await bothWays(era, 'get_confluence_page', { page_id: SEED.pages.large });
    expect(direct).toEqual(sdk);
    expect(direct).toMatchObject({
      jsonrpc: '2.0',
      id: 42,
      result: { structuredContent: { page: { id: SEED.pages.large } } },
    });
  });

  it('gets the SDK answer for a tool failure', async () => {
    const { direct, sdk } = await bothWays(era, 'get_confluence_page', { page_id: '999999999' });
    expect(direct).toEqual(sdk);
    expect(direct).toMatchObject({
      result: { isError: true, structuredContent: { error: { code: 'not_found' } } },
    });
  });

  it('gets the SDK answer for an unknown tool', async () => {
    const { direct, sdk } = await bothWays(era, 'no_such_tool', {});
    expect(direct).toEqual(sdk);
    expect(direct).toMatchObject({ error: { code: -32602 } });
  });
});

describe('what the direct path leaves to the SDK', () => {
  it('a 2026-07-28 call whose Mcp-Name header disagrees with the body: 400 from the SDK', async () => {
    const url = `${GATEWAY}/api/v1/integrations/${id}/mcp`;
    const answer = await gateway(
      url,
      toolCallRequest(
        url,
        'modern',
        'get_confluence_page',
        { page_id: SEED.pages.large },
        { 'mcp-name': 'other' },
      ),
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: -32020 } });
  });

  it('arguments that are not an object: the protocol error -32602', async () => {
    const url = `${GATEWAY}/api/v1/integrations/${id}/mcp`;
    const answer = await gateway(url, toolCallRequest(url, 'legacy', 'get_confluence_page', 'page 65538'));
    expect(await message(answer)).toMatchObject({ id: 42, error: { code: -32602 } });
  });

  it('a body that is not JSON: the parse error', async () => {
    const answer = await gateway(`/api/v1/integrations/${id}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SERVICE_TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc": "2.0",',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: -32700 } });
  });
});
