import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  approveConsent,
  connectIntegration,
  createConnectSession,
  RETURN_URL,
  startConnect,
} from './support/connect.ts';
import { EMULATOR_URL, emulatorControl, SERVICE_TOKEN } from './support/http.ts';
import { connectAcme } from './support/tools.ts';
import { deliver, gatewayWith, receivingIntegration } from './support/webhooks.ts';

beforeEach(() => emulatorControl('POST', '/reset'));
afterEach(() => vi.restoreAllMocks());

/** The 19 scopes docs/reference/atlassian/FACTS.md lists as the default of CONFLUENCE_OAUTH_SCOPE, in its order. */
const FACTS_DEFAULT_SCOPES = [
  'write:confluence-content',
  'read:confluence-space.summary',
  'write:confluence-space',
  'write:confluence-file',
  'read:confluence-props',
  'write:confluence-props',
  'read:confluence-content.all',
  'read:confluence-content.summary',
  'search:confluence',
  'read:confluence-content.permission',
  'read:confluence-user',
  'read:confluence-groups',
  'readonly:content.attachment:confluence',
  'read:space:confluence',
  'read:page:confluence',
  'write:page:confluence',
  'write:comment:confluence',
  'read:content-details:confluence',
  'offline_access',
];

/**
 * REST v2 answers only to granular scopes: the default adds those the comment, attachment, tree,
 * ancestor, trash, user, tree-node (folder, whiteboard, database, smart link) and task tools need
 * (docs/deploy.md, Configuration), before offline_access.
 */
const V2_TOOL_SCOPES = [
  'read:comment:confluence',
  'read:attachment:confluence',
  'read:hierarchical-content:confluence',
  'read:content.metadata:confluence',
  'delete:page:confluence',
  'read:user:confluence',
  'read:folder:confluence',
  'read:whiteboard:confluence',
  'read:database:confluence',
  'read:embed:confluence',
  'read:task:confluence',
  'write:task:confluence',
  'write:folder:confluence',
  'write:whiteboard:confluence',
  'delete:whiteboard:confluence',
  'write:database:confluence',
  'delete:database:confluence',
];
const DEFAULT_SCOPES = [...FACTS_DEFAULT_SCOPES.slice(0, -1), ...V2_TOOL_SCOPES, 'offline_access'];

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A 503 misconfigured answer (JSON or the browser's error page) that names the setting and not its value. */
async function expectMisconfigured(response: Response, setting: string, value?: string): Promise<void> {
  expect(response.status).toBe(503);
  const text = await response.text();
  if (response.headers.get('content-type')?.includes('application/json')) {
    expect(JSON.parse(text)).toMatchObject({ success: false, error: { code: 'misconfigured' } });
  } else {
    expect(text).toContain('misconfigured');
  }
  expect(text).toContain(setting);
  if (value) expect(text).not.toContain(value);
}

describe('a malformed setting answers 503 misconfigured naming it, never its value', () => {
  it.each([
    ['WEBHOOK_RETENTION_DAYS', 'a week'],
    ['WEBHOOK_RATE_LIMIT_PER_MINUTE', '-5'],
  ])('the webhook receiver, with %s', async (setting, value) => {
    const { id, secret } = await receivingIntegration();
    const [path, init] = [`/integrations/confluence/webhooks/${id}`, deliveryInit(secret)];
    await expectMisconfigured(
      await gatewayWith({ [setting]: value } as Partial<Env>, path, init),
      setting,
      value,
    );
    // The same delivery under the real settings is accepted: the 503 came from the setting alone.
    expect((await deliver(id, secret, { event: 'page_created' })).status).toBe(202);
  });

  it.each([
    ['TOKEN_ENCRYPTION_KEYS', 'k1:c2hvcnQta2V5'],
    ['EVENT_DESTINATIONS_ALLOW_HTTP', 'sometimes'],
  ])('the event-destination route, with %s', async (setting, value) => {
    const { id } = await receivingIntegration();
    const response = await gatewayWith(
      { [setting]: value } as Partial<Env>,
      `/api/v1/integrations/${id}/event-destination`,
      {
        ...json({ url: 'https://agents.example.test/hooks' }),
        method: 'PUT',
      },
    );
    await expectMisconfigured(response, setting, value);
  });

  it.each([
    ['TOKEN_ENCRYPTION_KEYS', 'k1:c2hvcnQta2V5'],
    ['ATLASSIAN_API_BASE_URL', 'api.atlassian.com without a scheme'],
  ])('a tool call, with %s', async (setting, value) => {
    const id = await connectAcme();
    const response = await gatewayWith(
      { [setting]: value } as Partial<Env>,
      `/api/v1/integrations/${id}/tools/get_confluence_spaces`,
      json({}),
    );
    await expectMisconfigured(response, setting, value);
  });

  it('the callback, with a missing CONFLUENCE_CLIENT_SECRET (an error page, not a crash)', async () => {
    await emulatorControl('POST', '/config', { auto_approve: true, site_preset: 'single' });
    const session = await createConnectSession({ owner_id: 'owner-1', return_url: RETURN_URL });
    const browser = await startConnect(session.connect_url);
    const callback = await approveConsent(browser.authorizeUrl);
    const response = await gatewayWith({ CONFLUENCE_CLIENT_SECRET: undefined }, callback, {
      headers: { cookie: browser.cookie ?? '' },
      redirect: 'manual',
    });
    await expectMisconfigured(response, 'CONFLUENCE_CLIENT_SECRET');
    const stats = await emulatorControl<{ token_requests: { authorization_code: number } }>('GET', '/stats');
    expect(stats.token_requests.authorization_code).toBe(0);
  });

  it('finalize, with a malformed TOKEN_ENCRYPTION_KEYS', async () => {
    const response = await gatewayWith(
      { TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQta2V5' },
      '/integrations/confluence/finalize',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ pending: 'pending-id', site_id: 'site', name: 'Wiki' }).toString(),
      },
    );
    await expectMisconfigured(response, 'TOKEN_ENCRYPTION_KEYS', 'c2hvcnQta2V5');
  });
});

describe('without the CONFLUENCE_KV binding', () => {
  it.each([
    ['a tool call', '/api/v1/integrations/int_x/tools/get_confluence_spaces', json({})],
    [
      'the events list',
      '/api/v1/integrations/int_x/events',
      { headers: { authorization: `Bearer ${SERVICE_TOKEN}` } },
    ],
    ['a new connect session', '/api/v1/connect-sessions', json({ owner_id: 'owner-1' })],
    ['the webhook receiver', '/integrations/confluence/webhooks/int_x', deliveryInit('whsec_x')],
    ['the connect page', '/integrations/confluence/connect?session=cs_x', {}],
  ])('%s answers 503 naming CONFLUENCE_KV', async (_name, path, init) => {
    await expectMisconfigured(
      await gatewayWith({ CONFLUENCE_KV: undefined } as unknown as Partial<Env>, path, init),
      'CONFLUENCE_KV',
    );
  });
});

describe('defaults', () => {
  it('asks Atlassian for exactly the default scopes when CONFLUENCE_OAUTH_SCOPE is unset: the 19 of atlassian/FACTS.md and the six the v2 tools need', async () => {
    const { record } = await connectIntegration({ preset: 'single' });
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const browser = await startConnect(session.connect_url);
    const scope = new URL(browser.authorizeUrl).searchParams.get('scope');
    expect(scope?.split(' ')).toEqual(DEFAULT_SCOPES);
    // The emulator grants what was asked, and the integration records the grant.
    expect([...record.scopes].sort()).toEqual([...DEFAULT_SCOPES].sort());
  });

  it('sends the browser to https://auth.atlassian.com/authorize when ATLASSIAN_AUTH_BASE_URL is unset', async () => {
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const response = await gatewayWith({ ATLASSIAN_AUTH_BASE_URL: undefined }, session.connect_url, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://auth.atlassian.com/authorize');
  });

  it('sends the browser to /authorize under the whole ATLASSIAN_AUTH_BASE_URL, path included, with every 3LO parameter', async () => {
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const response = await gatewayWith(
      { ATLASSIAN_AUTH_BASE_URL: 'https://login.example.test/atlassian/' },
      session.connect_url,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    // The token endpoint is `{base}/oauth/token`: the authorize URL lives under the same base.
    expect(location.origin + location.pathname).toBe('https://login.example.test/atlassian/authorize');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: 'code',
      client_id: expect.any(String),
      state: expect.any(String),
      scope: DEFAULT_SCOPES.join(' '),
      redirect_uri: expect.stringMatching(/\/integrations\/confluence\/callback$/),
      audience: 'api.atlassian.com',
      prompt: 'consent',
    });
  });

  it('calls Confluence at https://api.atlassian.com/ex/confluence/{cloudId} when ATLASSIAN_API_BASE_URL is unset', async () => {
    const { id, record } = await connectIntegration({ preset: 'single' });
    // No network here: every request to api.atlassian.com is noted, then sent on to the emulator,
    // which stands for it, so the call completes with a real answer.
    const sentTo: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const request = new Request(input, init);
      sentTo.push(request.url);
      const url = new URL(request.url);
      if (url.origin !== 'https://api.atlassian.com') return realFetch(request);
      return realFetch(new Request(`${EMULATOR_URL}${url.pathname}${url.search}`, request));
    });
    const response = await gatewayWith(
      { ATLASSIAN_API_BASE_URL: undefined },
      `/api/v1/integrations/${id}/tools/get_confluence_spaces`,
      json({}),
    );
    expect(response.status).toBe(200);
    expect(sentTo.length).toBeGreaterThan(0);
    expect(
      sentTo.every((url) =>
        url.startsWith(`https://api.atlassian.com/ex/confluence/${record.site.cloud_id}/wiki/`),
      ),
    ).toBe(true);
  });
});

function deliveryInit(secret: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
    body: JSON.stringify({ event: 'page_created' }),
  };
}
