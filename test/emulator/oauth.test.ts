import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT, REDIRECT_URI, startTestEmulator, type TestEmulator } from './test-client.ts';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control('/reset', {}));

const authorizeParams = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    audience: 'api.atlassian.com',
    client_id: CLIENT.client_id,
    scope: 'read:page:confluence offline_access',
    redirect_uri: REDIRECT_URI,
    state: 'state-123',
    response_type: 'code',
    prompt: 'consent',
    ...overrides,
  });

async function consent(decision: 'allow' | 'deny', overrides: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...Object.fromEntries(authorizeParams(overrides)), decision }),
  });
  return { status: response.status, location: new URL(response.headers.get('location') ?? 'http://none/') };
}

const exchange = (code: string, overrides: Record<string, string> = {}) =>
  emulator.token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    ...CLIENT,
    ...overrides,
  });

const refresh = (refreshToken: string) =>
  emulator.token({ grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT });

describe('authorize', () => {
  it('shows a consent page naming the app, the scopes and the sites, with Allow and Deny buttons', async () => {
    const response = await fetch(`${emulator.url}/authorize?${authorizeParams()}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('<strong>Confluence Agent Gateway (test)</strong> is requesting access');
    expect(html).toContain('<h3>Read Confluence content, spaces and users</h3>');
    expect(html).toContain('read:page:confluence');
    expect(html).toContain('acme.atlassian.net');
    expect(html).toMatch(/<button[^>]*id="allow"[^>]*>Accept<\/button>/);
    expect(html).toMatch(/<button[^>]*id="deny"[^>]*>Deny<\/button>/);
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['a wrong audience', { audience: 'example.com' }],
    ['a wrong response_type', { response_type: 'token' }],
    ['a missing redirect_uri', { redirect_uri: '' }],
  ])('answers %s with an error page, never a redirect', async (_name, overrides) => {
    const response = await fetch(`${emulator.url}/authorize?${authorizeParams(overrides)}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('id="error"');
  });

  it('redirects Allow with a code and the state', async () => {
    const { status, location } = await consent('allow');
    expect(status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{40,}$/);
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('redirects Deny with access_denied and the state', async () => {
    const { location } = await consent('deny');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('redirects at once with auto-approve on', async () => {
    await emulator.control('/config', { auto_approve: true });
    const response = await fetch(`${emulator.url}/authorize?${authorizeParams()}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();
  });
});

describe('authorization code exchange', () => {
  it('answers tokens shaped as Atlassian does, with a refresh token for offline_access', async () => {
    const { location } = await consent('allow');
    const { status, body } = await exchange(location.searchParams.get('code') ?? '');
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{60,}$/),
      refresh_token: expect.stringMatching(/^[\w-]{60,}$/),
      expires_in: 3600,
      scope: 'read:page:confluence offline_access',
      token_type: 'Bearer',
    });
  });

  it('gives no refresh token without offline_access', async () => {
    const { location } = await consent('allow', { scope: 'read:page:confluence' });
    const { body } = await exchange(location.searchParams.get('code') ?? '');
    expect(body.access_token).toBeTruthy();
    expect(body.refresh_token).toBeUndefined();
  });

  it('accepts a JSON body and HTTP Basic client credentials', async () => {
    const code1 = (await consent('allow')).location.searchParams.get('code');
    const json = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: code1,
        redirect_uri: REDIRECT_URI,
        ...CLIENT,
      }),
    });
    expect(json.status).toBe(200);
    const code2 = (await consent('allow')).location.searchParams.get('code') ?? '';
    const basic = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code2,
        redirect_uri: REDIRECT_URI,
      }),
    });
    expect(basic.status).toBe(200);
  });

  it('uses a code once: a replay is invalid_grant', async () => {
    const code = (await consent('allow')).location.searchParams.get('code') ?? '';
    expect((await exchange(code)).status).toBe(200);
    const replay = await exchange(code);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('expires a code after 10 minutes (stale code: 400 invalid_request)', async () => {
    const code = (await consent('allow')).location.searchParams.get('code') ?? '';
    await emulator.control('/clock', { advance_seconds: 601 });
    expect(await exchange(code)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('refuses a redirect_uri other than the one authorised', async () => {
    const code = (await consent('allow')).location.searchParams.get('code') ?? '';
    const answer = await exchange(code, { redirect_uri: 'http://evil.test/cb' });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('answers a wrong client secret with 401 access_denied', async () => {
    const code = (await consent('allow')).location.searchParams.get('code') ?? '';
    const answer = await exchange(code, { client_secret: 'wrong' });
    expect(answer).toEqual({
      status: 401,
      body: { error: 'access_denied', error_description: 'Unauthorized' },
    });
  });

  it('registers more clients through the control plane', async () => {
    await emulator.control('/clients', {
      client_id: 'sandbox-client-id',
      client_secret: 'sandbox-client-secret',
    });
    const { location } = await consent('allow', { client_id: 'sandbox-client-id' });
    const answer = await exchange(location.searchParams.get('code') ?? '', {
      client_id: 'sandbox-client-id',
      client_secret: 'sandbox-client-secret',
    });
    expect(answer.status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh returns a new refresh token', async () => {
    const first = await emulator.connect();
    const second = await refresh(first.refresh_token ?? '');
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBeTruthy();
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
  });

  it('tolerate reuse of a rotated-out token within the 10-minute leeway', async () => {
    const first = await emulator.connect();
    await refresh(first.refresh_token ?? '');
    await emulator.control('/clock', { advance_seconds: 540 });
    const reuse = await refresh(first.refresh_token ?? '');
    expect(reuse.status).toBe(200);
    expect(reuse.body.refresh_token).toBeTruthy();
  });

  it('revoke the whole family when a rotated-out token is reused after the leeway', async () => {
    const first = await emulator.connect();
    const second = await refresh(first.refresh_token ?? '');
    await emulator.control('/clock', { advance_seconds: 601 });
    const reuse = await refresh(first.refresh_token ?? '');
    expect(reuse).toEqual({
      status: 403,
      body: { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' },
    });
    // The newest refresh token and its access token die with the family.
    expect((await refresh(second.body.refresh_token ?? '')).status).toBe(403);
    // A revoked token it issued gets the same 404 on v2 as an expired one (docs/reference/atlassian/FACTS.md), not a 401.
    const api = await emulator.confluence(second.body.access_token, '/wiki/api/v2/spaces');
    expect(api.status).toBe(404);
  });

  it('answer an unknown refresh token with 403 invalid_grant', async () => {
    expect(await refresh('not-a-token')).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });

  it('stop working once the family is revoked through the control plane', async () => {
    const tokens = await emulator.connect();
    expect(await emulator.control('/tokens/revoke', { refresh_token: tokens.refresh_token })).toEqual({
      revoked: 1,
    });
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(403);
  });
});

describe('access tokens', () => {
  it('expire after access_token_ttl_seconds of virtual time', async () => {
    await emulator.control('/config', { access_token_ttl_seconds: 60 });
    const tokens = await emulator.connect();
    expect(tokens.expires_in).toBe(60);
    expect((await emulator.confluence(tokens.access_token, '/wiki/api/v2/spaces')).status).toBe(200);
    await emulator.control('/clock', { advance_seconds: 61 });
    expect((await emulator.confluence(tokens.access_token, '/wiki/api/v2/spaces')).status).toBe(404);
  });

  it('once expired, are answered 404 on v2 and 403 on v1 (not 401), while a token never issued gets 401', async () => {
    const tokens = await emulator.connect();
    await emulator.control('/tokens/expire', {});
    const v2 = await emulator.confluence(tokens.access_token, '/wiki/api/v2/pages/65538');
    expect(v2.status).toBe(404);
    expect(await v2.json()).toEqual({
      errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }],
    });
    const v1 = await emulator.confluence(tokens.access_token, '/wiki/rest/api/search?cql=type%3Dpage');
    expect(v1.status).toBe(403);
    expect(await v1.json()).toMatchObject({ statusCode: 403, reason: 'Forbidden' });
    const unknown = await emulator.confluence('never-issued', '/wiki/api/v2/pages/65538');
    expect(unknown.status).toBe(401);
    // accessible-resources is not behind the Confluence gateway: it still says 401.
    const resources = await fetch(`${emulator.url}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(resources.status).toBe(401);
  });

  it('can be expired on demand while the refresh token keeps working', async () => {
    const tokens = await emulator.connect();
    expect(await emulator.control('/tokens/expire', {})).toEqual({ expired: 1 });
    expect((await emulator.confluence(tokens.access_token, '/wiki/api/v2/spaces')).status).toBe(404);
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(200);
  });
});

describe('accessible-resources', () => {
  const resources = async (token: string) => {
    const response = await fetch(`${emulator.url}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Array<Record<string, unknown>> };
  };

  it('lists two Confluence sites and a Jira site by default', async () => {
    const { body } = await resources((await emulator.connect()).access_token);
    expect(body.map((r) => r.name)).toEqual(['acme', 'globex', 'initech']);
    expect(body[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'acme',
      url: 'https://acme.atlassian.net',
      scopes: expect.arrayContaining(['read:page:confluence']),
      avatarUrl: expect.any(String),
    });
    expect(body[2]?.scopes).toEqual(expect.arrayContaining(['read:jira-work']));
  });

  it.each([
    ['single', ['acme', 'initech']],
    ['jira_only', ['initech']],
  ])('follows the %s preset', async (preset, names) => {
    await emulator.control('/config', { site_preset: preset });
    const { body } = await resources((await emulator.connect()).access_token);
    expect(body.map((r) => r.name)).toEqual(names);
  });

  it('refuses a bad token with 401', async () => {
    expect((await resources('nope')).status).toBe(401);
  });
});

describe('stats', () => {
  it('count token requests by grant type', async () => {
    const tokens = await emulator.connect();
    await refresh(tokens.refresh_token ?? '');
    await refresh(tokens.refresh_token ?? '');
    const stats = await emulator.control<{ token_requests: Record<string, number> }>('/stats');
    expect(stats.token_requests).toMatchObject({ authorization_code: 1, refresh_token: 2 });
  });
});
