import { beforeEach, describe, expect, it } from 'vitest';
import { CLOUD_IDS } from '../../dev/emulator/sites.ts';
import {
  approveConsent,
  connectIntegration,
  createConnectSession,
  integrationIdFrom,
  RETURN_URL,
  startConnect,
} from './support/connect.ts';
import { EMULATOR_URL, emulatorControl, gateway, serviceApi } from './support/http.ts';

beforeEach(() => emulatorControl('POST', '/reset'));

describe('POST /api/v1/connect-sessions', () => {
  it('answers 201 with an id, a connect_url on the gateway and an expiry within the hour', async () => {
    const response = await serviceApi('POST', '/api/v1/connect-sessions', { owner_id: 'owner-1' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; connect_url: string; expires_at: string };
    const url = new URL(body.connect_url);
    expect(url.origin + url.pathname).toBe('http://gateway.test/integrations/confluence/connect');
    expect(url.searchParams.get('session')).toBe(body.id);
    const expiresIn = Date.parse(body.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(5 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60_000);
  });
});

describe('GET /integrations/confluence/connect', () => {
  it("redirects to Atlassian's authorize URL with every parameter 3LO needs", async () => {
    const session = await createConnectSession({ owner_id: 'owner-1' });
    const response = await gateway(session.connect_url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(`${EMULATOR_URL}/authorize`);
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      audience: 'api.atlassian.com',
      client_id: 'test-client-id',
      redirect_uri: 'http://gateway.test/integrations/confluence/callback',
      response_type: 'code',
      prompt: 'consent',
    });
    expect(params.scope?.split(' ')).toContain('offline_access');
    expect(params.scope?.split(' ')).toContain('read:page:confluence');
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });
});

describe('the connect flow', () => {
  it('finishes at once with one Confluence site and a known name, and redirects with the id', async () => {
    await emulatorControl('POST', '/config', { auto_approve: true, site_preset: 'single' });
    const session = await createConnectSession({ owner_id: 'owner-1', name: 'Wiki', return_url: RETURN_URL });
    const browser = await startConnect(session.connect_url);
    const response = await browser.get(await approveConsent(browser.authorizeUrl));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(RETURN_URL);
    expect(location.searchParams.get('status')).toBe('connected');
    const id = integrationIdFrom(response);
    const record = await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json();
    expect(record).toMatchObject({
      id,
      owner_id: 'owner-1',
      name: 'Wiki',
      status: 'active',
      site: { cloud_id: CLOUD_IDS.acme, url: 'https://acme.atlassian.net', name: 'acme' },
    });
    expect((record as { scopes: string[] }).scopes).toContain('read:page:confluence');
  });

  it("keeps the return_url's own query and fragment, adding status and integration_id to the query", async () => {
    await emulatorControl('POST', '/config', { auto_approve: true, site_preset: 'single' });
    const returnUrl = 'https://app.example.test/settings?tab=integrations&team=42#confluence';
    const session = await createConnectSession({ owner_id: 'owner-1', name: 'Wiki', return_url: returnUrl });
    const browser = await startConnect(session.connect_url);
    const response = await browser.get(await approveConsent(browser.authorizeUrl));
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://app.example.test/settings');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      tab: 'integrations',
      team: '42',
      status: 'connected',
      integration_id: integrationIdFrom(response),
    });
    expect(location.hash).toBe('#confluence');
  });

  it("keeps the return_url's own query and fragment on a refusal too", async () => {
    await emulatorControl('POST', '/config', { auto_approve: false, site_preset: 'single' });
    const returnUrl = 'https://app.example.test/settings?tab=integrations#confluence';
    const session = await createConnectSession({ owner_id: 'owner-1', return_url: returnUrl });
    const browser = await startConnect(session.connect_url);
    const response = await browser.get(await approveConsent(browser.authorizeUrl, 'deny'));
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('tab')).toBe('integrations');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.hash).toBe('#confluence');
  });

  it('shows a site picker for two Confluence sites and creates the integration from its form', async () => {
    const { id, record } = await connectIntegration({ name: 'Globex docs', siteId: CLOUD_IDS.globex });
    expect(record).toMatchObject({ id, name: 'Globex docs', status: 'active' });
    expect(record.site.cloud_id).toBe(CLOUD_IDS.globex);
  });
});
