import { createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLOUD_IDS } from '../../dev/emulator/sites.ts';
import app from '../../src/index.ts';
import { approveConsent } from './support/connect.ts';
import { emulatorControl } from './support/http.ts';
import {
  authorizeUrl,
  CLIENT_REDIRECT,
  connectMcpClient,
  ORIGIN,
  pkcePair,
  registerClient,
} from './support/mcp-oauth.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

/** The gateway on https://gateway.test (where sign-in exists), with some settings changed. */
async function gatewayWith(settings: Record<string, string>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(new URL(path, ORIGIN), { redirect: 'manual', ...init }),
    { ...env, CONFLUENCE_REDIRECT_URI: `${ORIGIN}/integrations/confluence/callback`, ...settings },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

function register(address: string, settings: Record<string, string> = {}) {
  return gatewayWith(settings, '/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': address },
    body: JSON.stringify({
      client_name: 'Looping script',
      redirect_uris: [CLIENT_REDIRECT],
      token_endpoint_auth_method: 'none',
    }),
  });
}

async function clientExpiration(clientId: string): Promise<number | undefined> {
  const { keys } = await env.CONFLUENCE_KV.list({ prefix: `client:${clientId}` });
  expect(keys).toHaveLength(1);
  return keys[0]?.expiration;
}

describe('the open sign-in routes', () => {
  it('are rate-limited per client address by the platform’s limiter: POST /register', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await register('203.0.113.7')).status);
    // 20 a minute (wrangler.toml); the platform's count is approximate, so a little more may pass.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(201));
    expect(statuses.at(-1)).toBe(429);
    const refused = await register('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another address is not affected, nor a loopback one (local development).
    expect((await register('198.51.100.4')).status).toBe(201);
    for (let i = 0; i < 25; i++) expect((await register('127.0.0.1')).status).toBe(201);
  });

  it('are rate-limited per client address: GET /authorize and the connect link', async () => {
    for (const path of ['/authorize?client_id=x', '/integrations/confluence/connect?session=cs_nope']) {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        const response = await gatewayWith({}, path, { headers: { 'cf-connecting-ip': '192.0.2.9' } });
        await response.body?.cancel();
        statuses.push(response.status);
      }
      expect([path, statuses.at(-1)]).toEqual([path, 429]);
      expect(statuses.slice(0, 20)).not.toContain(429);
    }
  });
});

describe('registered clients', () => {
  it('expire after 24 hours unless a sign-in completes with them', async () => {
    const unused = await registerClient({ client_name: 'Never used' });
    const expires = await clientExpiration(unused.client_id);
    const day = Date.now() / 1000 + 24 * 3600;
    expect(expires).toBeGreaterThan(day - 120);
    expect(expires).toBeLessThan(day + 120);

    const { clientId } = await connectMcpClient({ preset: 'single' });
    expect(await clientExpiration(clientId)).toBeUndefined();
  });
});

describe('MCP_SIGN_IN=off', () => {
  it('closes registration and the authorization endpoint, and /mcp no longer points clients there', async () => {
    const off = { MCP_SIGN_IN: 'off' };
    const registration = await register('203.0.113.8', off);
    expect(registration.status).toBe(403);
    expect(((await registration.json()) as { error: { message: string } }).error.message).toMatch(
      /MCP_SIGN_IN=off/,
    );
    const { challenge } = await pkcePair();
    const authorize = await gatewayWith(off, authorizeUrl('any-client', challenge));
    expect(authorize.status).toBe(403);
    expect(await authorize.text()).toContain('MCP_SIGN_IN=off');
    const mcp = await gatewayWith(off, '/mcp', { method: 'POST', body: '{}' });
    expect(mcp.status).toBe(401);
    expect(mcp.headers.get('www-authenticate')).not.toContain('resource_metadata');
  });
});

describe('MCP_SIGN_IN_SITES', () => {
  async function consentSites(settings: Record<string, string>): Promise<Response> {
    await emulatorControl('POST', '/config', { auto_approve: true, site_preset: 'default' });
    const client = await registerClient();
    const { challenge } = await pkcePair();
    const authorize = await gatewayWith(settings, authorizeUrl(client.client_id, challenge));
    const connect = await gatewayWith(settings, authorize.headers.get('location') as string);
    const cookie = (connect.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const callback = await approveConsent(connect.headers.get('location') as string);
    return gatewayWith(settings, callback, { headers: { cookie } });
  }

  it('offers only the allowed sites, by host or cloud id', async () => {
    for (const allowed of ['globex.atlassian.net', CLOUD_IDS.globex, 'https://globex.atlassian.net']) {
      const page = await consentSites({ MCP_SIGN_IN_SITES: allowed });
      expect(page.status).toBe(200);
      const offered = [...(await page.text()).matchAll(/name="site_id" value="([^"]+)"/g)].map((m) => m[1]);
      expect([allowed, offered]).toEqual([allowed, [CLOUD_IDS.globex]]);
    }
  });

  it('refuses the sign-in when no shared site is allowed, connecting nothing', async () => {
    const answer = await consentSites({ MCP_SIGN_IN_SITES: 'elsewhere.atlassian.net' });
    expect(answer.status).toBe(302);
    expect(new URL(answer.headers.get('location') as string).searchParams.get('error')).toBe(
      'site_not_allowed',
    );
  });
});
