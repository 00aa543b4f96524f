import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, serviceApi } from './support/http.ts';
import { connectMcpClient, grantOf, onHttps, refresh, serviceOnHttps } from './support/mcp-oauth.ts';
import { callTool, connectAcme } from './support/tools.ts';

/**
 * A revoked credential stops working everywhere at once, although KV (which holds it) may serve its
 * record in other locations for up to a minute: each test puts the record back after the revocation,
 * as such a location would still serve it.
 */
beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

/** Every KV entry whose key starts with one of `prefixes`, to put back later as a stale location serves them. */
async function snapshot(prefixes: string[]): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const prefix of prefixes) {
    const { keys } = await env.CONFLUENCE_KV.list({ prefix });
    for (const { name } of keys) values.set(name, (await env.CONFLUENCE_KV.get(name)) as string);
  }
  return values;
}

async function serveStale(values: Map<string, string>): Promise<void> {
  for (const [key, value] of values) await env.CONFLUENCE_KV.put(key, value);
}

function listTools(token: string) {
  return onHttps('/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}

describe('revocation', () => {
  it('of an agent token holds even where KV still serves the token’s record', async () => {
    const id = await connectAcme();
    const issued = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {});
    const { id: tokenId, token } = (await issued.json()) as { id: string; token: string };
    expect((await callTool(id, 'get_confluence_spaces', {}, token)).status).toBe(200);
    const records = await snapshot(['agent-token:', 'agent-token-of:']);

    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/agent-tokens/${tokenId}`)).status).toBe(
      204,
    );
    await serveStale(records);
    const answer = await callTool(id, 'get_confluence_spaces', {}, token);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it('of an MCP grant holds even where KV still serves the grant and its tokens', async () => {
    const { tokens } = await connectMcpClient({ preset: 'single' });
    const { integrationId, grantId } = grantOf(tokens.access_token);
    expect((await listTools(tokens.access_token)).status).toBe(200);
    const records = await snapshot([`grant:${integrationId}:`, `token:${integrationId}:`]);

    const revoked = await serviceOnHttps(
      'DELETE',
      `/api/v1/integrations/${integrationId}/mcp-grants/${grantId}`,
    );
    expect(revoked.status).toBe(204);
    await serveStale(records);
    expect((await listTools(tokens.access_token)).status).toBe(401);
  });

  it('of an MCP grant whose retired refresh token came back holds even where KV still serves it', async () => {
    const { clientId, tokens } = await connectMcpClient({ preset: 'single' });
    const { integrationId } = grantOf(tokens.access_token);
    const rotated = await refresh(clientId, tokens.refresh_token);
    const fresh = (await rotated.json()) as { access_token: string; refresh_token: string };
    // The new refresh token is used, which retires the first one for good.
    expect((await refresh(clientId, fresh.refresh_token)).status).toBe(200);
    const records = await snapshot([`grant:${integrationId}:`, `token:${integrationId}:`]);
    expect((await refresh(clientId, tokens.refresh_token)).status).toBe(400);
    await serveStale(records);
    expect((await listTools(fresh.access_token)).status).toBe(401);
  });

  it('by deleting the integration holds for its agent tokens even where KV still serves it', async () => {
    const id = await connectAcme();
    const issued = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {});
    const { token } = (await issued.json()) as { token: string };
    const records = await snapshot(['agent-token:', `integration:${id}`]);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    await serveStale(records);
    const answer = await callTool(id, 'get_confluence_spaces', {}, token);
    expect(answer.status).toBe(401);
  });
});
