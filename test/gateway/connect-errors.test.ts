import { listDurableObjectIds, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import app from '../../src/index.ts';
import {
  approveConsent,
  type Browser,
  createConnectSession,
  kvDump,
  RETURN_URL,
  startConnect,
} from './support/connect.ts';
import { emulatorControl, gateway, serviceApi } from './support/http.ts';

let refreshersBefore: number;

beforeEach(async () => {
  await reset();
  refreshersBefore = (await listDurableObjectIds(env.TOKEN_REFRESHER)).length;
  await emulatorControl('POST', '/reset');
  await emulatorControl('POST', '/config', { auto_approve: true, site_preset: 'single' });
});
afterEach(() => vi.useRealTimers());

/** A flow up to Atlassian's redirect back: the browser that started it and the callback URL. */
async function reachCallback(session: Record<string, unknown> = {}) {
  const connect = await createConnectSession({
    owner_id: 'owner-1',
    name: 'Wiki',
    return_url: RETURN_URL,
    ...session,
  });
  const browser = await startConnect(connect.connect_url);
  const callbackUrl = await approveConsent(browser.authorizeUrl);
  return { browser, callbackUrl, session: connect };
}

/** Proves a failed flow left nothing behind: no record, no tokens, no pending choice, no refresher. */
async function expectNothingStored(expected: { unusedStates?: number } = {}) {
  const dump = await kvDump();
  const kinds = [...dump.keys()].map((key) => key.split(':')[0]);
  expect(kinds.filter((kind) => kind !== 'connect-session' && kind !== 'oauth-state')).toEqual([]);
  // A used state leaves only a marker ({"used":true}) behind, which holds nothing of the session.
  const states = [...dump].filter(([key]) => key.startsWith('oauth-state:')).map(([, value]) => value);
  expect(states.filter((value) => value === '{"used":true}').length + (expected.unusedStates ?? 0)).toBe(
    states.length,
  );
  expect(await listDurableObjectIds(env.TOKEN_REFRESHER)).toHaveLength(refreshersBefore);
  const list = await (await serviceApi('GET', '/api/v1/integrations?owner_id=owner-1')).json();
  expect(list).toEqual({ integrations: [] });
}

function errorOf(response: Response): string | null {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') as string);
  expect(location.origin + location.pathname).toBe(RETURN_URL);
  expect(location.searchParams.get('integration_id')).toBeNull();
  return location.searchParams.get('error');
}

describe('POST /api/v1/connect-sessions refuses bad input', () => {
  it.each([
    ['a relative return_url', { return_url: '/done' }, 'return_url'],
    ['a javascript: return_url', { return_url: 'javascript:alert(1)' }, 'return_url'],
    ['an ftp return_url', { return_url: 'ftp://files.example.com/' }, 'return_url'],
    ['no owner_id', { owner_id: undefined }, 'owner_id'],
    ['an empty name', { name: '  ' }, 'name'],
  ])('%s: 400 naming the field', async (_, patch, field) => {
    const response = await serviceApi('POST', '/api/v1/connect-sessions', { owner_id: 'owner-1', ...patch });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain(`${field}:`);
  });

  it('a body that is not JSON: 400', async () => {
    const response = await gateway('/api/v1/connect-sessions', {
      method: 'POST',
      headers: {
        authorization: 'Bearer test-service-token-0123456789abcdef',
        'content-type': 'application/json',
      },
      body: 'owner_id=1',
    });
    expect(response.status).toBe(400);
  });

  it('an unknown integration_id to reconnect: 404 integration_not_found', async () => {
    const response = await serviceApi('POST', '/api/v1/connect-sessions', {
      owner_id: 'owner-1',
      integration_id: 'int_doesnotexist',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'integration_not_found' } });
  });

  it('without the service token: 401', async () => {
    const response = await gateway('/api/v1/connect-sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owner_id: 'owner-1' }),
    });
    expect(response.status).toBe(401);
  });
});

describe('GET /integrations/confluence/connect', () => {
  it('an unknown session gets an error page that says to start again, and no redirect', async () => {
    const response = await gateway('/integrations/confluence/connect?session=cs_notarealsessionid0123456789');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('This connect link is not valid');
    expect(html).toContain('start connecting again');
  });

  it('stores the state only as a hash, with a TTL', async () => {
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const browser = await startConnect(session.connect_url);
    const state = new URL(browser.authorizeUrl).searchParams.get('state') as string;
    const dump = await kvDump();
    const stateKeys = [...dump.keys()].filter((key) => key.startsWith('oauth-state:'));
    expect(stateKeys).toHaveLength(1);
    for (const [key, value] of dump) {
      expect(key).not.toContain(state);
      expect(value).not.toContain(state);
      expect(key).not.toContain(session.id);
      expect(value).not.toContain(session.id);
    }
    const listed = await env.CONFLUENCE_KV.list({ prefix: 'oauth-state:' });
    // Accepted for 10 minutes; the KV copy lingers one more so a late callback is told it expired.
    const expiration = listed.keys[0]?.expiration ?? Number.POSITIVE_INFINITY;
    expect(expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 11 * 60);
  });

  it('binds the flow to the browser with an HttpOnly, SameSite=Lax cookie scoped to the connect routes', async () => {
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const response = await gateway(session.connect_url, { redirect: 'manual' });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^confluence_connect=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/integrations/confluence');
    expect(cookie).not.toContain('Secure'); // the test gateway is plain http
  });

  it('marks the cookie Secure when the gateway is served over https', async () => {
    const httpsEnv = {
      ...env,
      CONFLUENCE_REDIRECT_URI: 'https://gateway.test/integrations/confluence/callback',
    };
    const session = (await (
      await app.fetch(
        new Request('https://gateway.test/api/v1/connect-sessions', {
          method: 'POST',
          headers: {
            authorization: 'Bearer test-service-token-0123456789abcdef',
            'content-type': 'application/json',
          },
          body: JSON.stringify({ owner_id: 'owner-1' }),
        }),
        httpsEnv,
      )
    ).json()) as { connect_url: string };
    expect(session.connect_url).toMatch(/^https:\/\/gateway\.test\//);
    const response = await app.fetch(new Request(session.connect_url, { redirect: 'manual' }), httpsEnv);
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toContain('Secure');
  });

  it('sends a browser on another host to the callback host first, so the cookie lands where it is needed', async () => {
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const elsewhere = session.connect_url.replace('http://gateway.test', 'http://internal.gateway.test');
    const response = await gateway(elsewhere, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(session.connect_url);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('answers 503 with a page naming a missing setting (never its value)', async () => {
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const response = await app.fetch(new Request(session.connect_url), {
      ...env,
      CONFLUENCE_CLIENT_ID: undefined,
    });
    expect(response.status).toBe(503);
    const html = await response.text();
    expect(html).toContain('CONFLUENCE_CLIENT_ID');
    expect(html).not.toContain('test-client-secret');
  });
});

describe('GET /integrations/confluence/callback refuses, and stores nothing, when', () => {
  it('the user denies consent: back to the application with error=access_denied', async () => {
    await emulatorControl('POST', '/config', { auto_approve: false });
    const session = await createConnectSession({ owner_id: 'owner-1', return_url: RETURN_URL });
    const browser = await startConnect(session.connect_url);
    const response = await browser.get(await approveConsent(browser.authorizeUrl, 'deny'));
    expect(errorOf(response)).toBe('access_denied');
    await expectNothingStored();
    const stats = await emulatorControl<{ token_requests: { authorization_code: number } }>('GET', '/stats');
    expect(stats.token_requests.authorization_code).toBe(0);
  });

  it('the user denies consent and there is no return_url: a page that says what happened and what to do', async () => {
    await emulatorControl('POST', '/config', { auto_approve: false });
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const browser = await startConnect(session.connect_url);
    const response = await browser.get(await approveConsent(browser.authorizeUrl, 'deny'));
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain('Access was not granted');
    expect(html).toContain('choose Accept');
    await expectNothingStored();
  });

  it('a replayed state is refused, with a page that says the link was used and how to start again', async () => {
    const { browser, callbackUrl } = await reachCallback();
    expect((await browser.get(callbackUrl)).status).toBe(302);
    const replay = await browser.get(callbackUrl);
    expect(replay.status).toBe(400);
    const html = await replay.text();
    expect(html).toContain('This page was already used');
    expect(html).toContain('start connecting again from the application');
    expect(html).toContain('<code>link_used</code>');
    const list = (await (await serviceApi('GET', '/api/v1/integrations?owner_id=owner-1')).json()) as {
      integrations: unknown[];
    };
    expect(list.integrations).toHaveLength(1);
    const stats = await emulatorControl<{ token_requests: { authorization_code: number } }>('GET', '/stats');
    expect(stats.token_requests.authorization_code).toBe(1);
  });

  it('the state is unknown, or missing', async () => {
    const { browser, callbackUrl } = await reachCallback();
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'x'.repeat(43));
    expect((await browser.get(forged.toString())).status).toBe(400);
    forged.searchParams.delete('state');
    expect((await browser.get(forged.toString())).status).toBe(400);
    // The real state was not touched by the forgeries and still works.
    expect((await browser.get(callbackUrl)).status).toBe(302);
  });

  it('the state has expired (10 minutes)', async () => {
    const { browser, callbackUrl } = await reachCallback();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1000);
    const response = await browser.get(callbackUrl);
    vi.useRealTimers();
    expect(errorOf(response)).toBe('invalid_state');
    await expectNothingStored();
  });

  it('the callback comes from another browser (state valid, cookie missing)', async () => {
    const { browser, callbackUrl } = await reachCallback();
    const withoutCookie = await gateway(callbackUrl, { redirect: 'manual' });
    expect(errorOf(withoutCookie)).toBe('invalid_state');
    await expectNothingStored();
    // The state was consumed by that first use, so the right browser cannot finish with it either.
    expect((await browser.get(callbackUrl)).status).toBe(400);
    await expectNothingStored();
  });

  it("the callback carries another browser's cookie", async () => {
    const { callbackUrl } = await reachCallback();
    const other = await startConnect((await createConnectSession({ owner_id: 'owner-2' })).connect_url);
    expect(errorOf(await other.get(callbackUrl))).toBe('invalid_state');
    await expectNothingStored({ unusedStates: 1 }); // the other browser's own, never used
  });

  it('the cookie was tampered with (bad signature)', async () => {
    const { browser, callbackUrl } = await reachCallback();
    const [name, value] = (browser.cookie as string).split('=') as [string, string];
    const tampered: Browser = {
      ...browser,
      cookie: `${name}=${value.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
    };
    expect(
      errorOf(
        await gateway(callbackUrl, { redirect: 'manual', headers: { cookie: tampered.cookie as string } }),
      ),
    ).toBe('invalid_state');
    await expectNothingStored();
  });

  it('the code exchange fails: error=exchange_failed', async () => {
    const { browser, callbackUrl } = await reachCallback();
    await emulatorControl('POST', '/faults', {
      match: { method: 'POST', path_contains: '/oauth/token' },
      status: 503,
    });
    expect(errorOf(await browser.get(callbackUrl))).toBe('exchange_failed');
    await expectNothingStored();
  });

  it('accessible-resources fails: error=exchange_failed', async () => {
    const { browser, callbackUrl } = await reachCallback();
    await emulatorControl('POST', '/faults', {
      match: { path_contains: 'accessible-resources' },
      status: 500,
    });
    expect(errorOf(await browser.get(callbackUrl))).toBe('exchange_failed');
    await expectNothingStored();
  });

  it('the account has no Confluence site (Jira only): error=no_confluence_site', async () => {
    await emulatorControl('POST', '/config', { site_preset: 'jira_only' });
    const { browser, callbackUrl } = await reachCallback();
    expect(errorOf(await browser.get(callbackUrl))).toBe('no_confluence_site');
    await expectNothingStored();
  });

  it('the grant carries no refresh token (offline_access left out of the scopes)', async () => {
    const scopedEnv = { ...env, CONFLUENCE_OAUTH_SCOPE: 'read:page:confluence read:space:confluence' };
    const session = await createConnectSession({ owner_id: 'owner-1', name: 'Wiki', return_url: RETURN_URL });
    const start = await app.fetch(new Request(session.connect_url), scopedEnv);
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const callbackUrl = await approveConsent(start.headers.get('location') as string);
    const response = await app.fetch(new Request(callbackUrl, { headers: { cookie } }), scopedEnv);
    expect(errorOf(response)).toBe('missing_offline_access');
    await expectNothingStored();
  });

  it('Atlassian sends back an error other than a denial: error=authorization_failed', async () => {
    const { browser, callbackUrl } = await reachCallback();
    const url = new URL(callbackUrl);
    url.searchParams.delete('code');
    url.searchParams.set('error', 'server_error');
    expect(errorOf(await browser.get(url.toString()))).toBe('authorization_failed');
    await expectNothingStored();
  });
});
