/**
 * An MCP client given nothing but the gateway's `/mcp` URL: the official v2 client's OAuth support
 * discovers the authorization server, registers, sends the "browser" through the gateway's
 * /authorize, Atlassian's (the emulator's) consent and the gateway's consent page with its site
 * picker, exchanges the code and calls tools, then refreshes. Production bundle in workerd,
 * emulator in Node, over loopback HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS } from '../../dev/emulator/users.ts';
import {
  CookieBrowser,
  connectWithOAuth,
  firstConnection,
  InMemoryOAuthClient,
  refreshNow,
} from '../support/mcp-oauth-client.ts';
import { type SandboxServers, startSandboxServers } from '../support/sandbox-servers.ts';

let servers: SandboxServers;
let mcpUrl: string;

beforeAll(async () => {
  servers = await startSandboxServers({ autoApprove: true, sitePreset: 'default' });
  mcpUrl = `${servers.gatewayUrl}/mcp`;
}, 120_000);

afterAll(() => servers?.close());

/** The user's part: Atlassian consent (auto-approved), then Allow on the gateway's consent page for `site`. */
function signInChoosing(siteIndex: number, seen: { consentPage?: string } = {}) {
  return async (authorizationUrl: URL): Promise<URL> => {
    const browser = new CookieBrowser();
    const atConsent = await browser.open(authorizationUrl);
    const html = (await atConsent.response?.text()) ?? '';
    seen.consentPage = html;
    const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1];
    const sites = [...html.matchAll(/name="site_id" value="([^"]+)"/g)].map((match) => match[1] as string);
    if (!pending)
      throw new Error(`no consent page at ${atConsent.url}: ${atConsent.response?.status} ${html}`);
    const back = await browser.open(new URL('/integrations/confluence/finalize', servers.gatewayUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        pending,
        site_id: sites[siteIndex] as string,
        decision: 'allow',
      }).toString(),
    });
    return back.url;
  };
}

describe('an MCP client with only the /mcp URL', () => {
  const provider = new InMemoryOAuthClient('SDK test client');
  let integrationId: string;

  it('discovers, registers, signs in through Atlassian and the site picker, and lists tools', async () => {
    const seen: { consentPage?: string } = {};
    const { client } = await firstConnection(mcpUrl, provider, signInChoosing(1, seen));
    expect(seen.consentPage).toContain('<strong>SDK test client</strong>');
    expect(provider.information?.client_id).toEqual(expect.any(String));
    expect(provider.stored?.refresh_token).toEqual(expect.any(String));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('get_confluence_spaces');
    await client.close();

    integrationId = (provider.stored?.access_token ?? '').split(':')[0] as string;
    const record = (await (
      await servers.serviceApi('GET', `/api/v1/integrations/${integrationId}`)
    ).json()) as {
      owner_id: string;
    };
    expect(record.owner_id).toBe(`atlassian:${USERS.current.accountId}`);
  });

  it('calls a tool on the integration it signed in to', async () => {
    const { client } = await connectWithOAuth(mcpUrl, provider);
    const result = await client.callTool({ name: 'get_confluence_spaces', arguments: { limit: 5 } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { spaces: unknown[] }).spaces.length).toBeGreaterThan(0);
    await client.close();
  });

  it('refreshes its tokens and keeps working with the new access token', async () => {
    const before = provider.stored;
    expect(await refreshNow(mcpUrl, provider)).toBe('AUTHORIZED');
    expect(provider.stored?.access_token).not.toBe(before?.access_token);
    expect(provider.stored?.refresh_token).not.toBe(before?.refresh_token);
    const { client } = await connectWithOAuth(mcpUrl, provider);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('reuses the same integration when a second client signs in for the same account and site', async () => {
    const second = new InMemoryOAuthClient('Second SDK client');
    const { client } = await firstConnection(mcpUrl, second, signInChoosing(1));
    await client.close();
    expect((second.stored?.access_token ?? '').split(':')[0]).toBe(integrationId);
    const grants = (await (
      await servers.serviceApi('GET', `/api/v1/integrations/${integrationId}/mcp-grants`)
    ).json()) as { grants: { client_name: string; last_used_at: string | null }[] };
    expect(grants.grants.map((grant) => grant.client_name).sort()).toEqual([
      'SDK test client',
      'Second SDK client',
    ]);
  });

  it('gets a tool error saying to reconnect once the Atlassian grant is gone', async () => {
    await fetch(`${servers.emulatorUrl}/_emulator/tokens/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { client } = await connectWithOAuth(mcpUrl, provider);
    const result = await client.callTool({ name: 'get_confluence_spaces', arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.structuredContent ?? result.content)).toMatch(/needs_reauth/);
    expect(JSON.stringify(result.content)).toMatch(/reconnect/i);
    await client.close();
  });

  it('is turned away with 401 once its integration is deleted', async () => {
    expect((await servers.serviceApi('DELETE', `/api/v1/integrations/${integrationId}`)).status).toBe(204);
    const answer = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.stored?.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(answer.status).toBe(401);
  });
});
