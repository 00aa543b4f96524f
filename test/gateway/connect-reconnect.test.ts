import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLOUD_IDS, GLOBEX } from '../../dev/emulator/sites.ts';
import {
  approveConsent,
  connectIntegration,
  createConnectSession,
  type Integration,
  integrationIdFrom,
  RETURN_URL,
  startConnect,
} from './support/connect.ts';
import { EMULATOR_URL, emulatorControl, serviceApi } from './support/http.ts';
import { callTool } from './support/tools.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

function refresher(id: string) {
  return env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(id));
}

async function currentAccessToken(id: string): Promise<string> {
  const result = await refresher(id).accessToken(id);
  if (!result.ok) throw new Error(`no access token: ${result.reason}`);
  return result.accessToken;
}

/** Whether the emulator (Atlassian) accepts an access token. */
async function atlassianAccepts(accessToken: string): Promise<boolean> {
  const response = await fetch(`${EMULATOR_URL}/oauth/token/accessible-resources`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return response.ok;
}

async function integration(id: string): Promise<Integration> {
  return (await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()) as Integration;
}

/**
 * Revokes the grant at Atlassian and lets the gateway find out through a tool call, after a first
 * call that left the integration and its access token in this isolate's memory.
 */
async function loseAuthorization(id: string): Promise<void> {
  expect((await callTool(id, 'get_confluence_spaces')).status).toBe(200);
  await emulatorControl('POST', '/tokens/revoke', {});
  const refused = await callTool(id, 'get_confluence_spaces');
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('needs_reauth');
  // The next call is refused from the record, without asking Atlassian again.
  const { seq } = await emulatorControl<{ seq: number }>('GET', '/requests');
  expect((await callTool(id, 'get_confluence_spaces')).body.error.code).toBe('needs_reauth');
  expect((await emulatorControl<{ requests: unknown[] }>('GET', `/requests?since=${seq}`)).requests).toEqual(
    [],
  );
}

/** Walks a reconnect session through consent; returns the callback's response. */
async function reconnect(id: string, ownerId = 'owner-1'): Promise<Response> {
  const session = await createConnectSession({
    owner_id: ownerId,
    integration_id: id,
    return_url: RETURN_URL,
  });
  const browser = await startConnect(session.connect_url);
  return browser.get(await approveConsent(browser.authorizeUrl));
}

describe('reconnecting an integration', () => {
  it('keeps its id, stores new tokens and brings needs_reauth back to active', async () => {
    const { id, record } = await connectIntegration({ preset: 'single', name: 'Wiki' });
    const oldToken = await currentAccessToken(id);
    await loseAuthorization(id);
    expect((await integration(id)).status).toBe('needs_reauth');

    const response = await reconnect(id);
    expect(integrationIdFrom(response)).toBe(id);
    const after = await integration(id);
    expect(after).toMatchObject({
      id,
      status: 'active',
      name: 'Wiki',
      site: record.site,
      created_at: record.created_at,
    });
    expect(Date.parse(after.updated_at)).toBeGreaterThanOrEqual(Date.parse(record.updated_at));
    const newToken = await currentAccessToken(id);
    expect(newToken).not.toBe(oldToken);
    expect(await atlassianAccepts(newToken)).toBe(true);
    // Tool calls work again at once, through the same isolate that saw needs_reauth.
    const call = await callTool(id, 'get_confluence_spaces');
    expect(call.status).toBe(200);
    expect(call.body.spaces.length).toBeGreaterThan(0);
    const list = (await (await serviceApi('GET', '/api/v1/integrations?owner_id=owner-1')).json()) as {
      integrations: unknown[];
    };
    expect(list.integrations).toHaveLength(1);
  });

  it('keeps the policy an operator set: a reconnect never lifts its limits', async () => {
    const { id } = await connectIntegration({ preset: 'single', name: 'Wiki' });
    const policy = { read_only: true, allowed_tools: null, denied_tools: [], allowed_spaces: ['ENG'] };
    expect((await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy })).status).toBe(200);
    await loseAuthorization(id);
    expect(integrationIdFrom(await reconnect(id))).toBe(id);
    expect(await integration(id)).toMatchObject({ status: 'active', policy });
  });

  it('goes straight back when the account shares several sites (no picker: the site is known)', async () => {
    const { id } = await connectIntegration({ preset: 'default', name: 'Globex', siteId: CLOUD_IDS.globex });
    const response = await reconnect(id);
    expect(integrationIdFrom(response)).toBe(id);
    expect((await integration(id)).site.cloud_id).toBe(CLOUD_IDS.globex);
  });

  it('refuses consent for a different site with error=site_mismatch, changing nothing', async () => {
    const { id, record } = await connectIntegration({ preset: 'single', name: 'Wiki' });
    const tokenBefore = await currentAccessToken(id);
    await emulatorControl('POST', '/config', { sites: [GLOBEX] });
    const response = await reconnect(id);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('site_mismatch');
    expect(await integration(id)).toEqual(record);
    expect(await currentAccessToken(id)).toBe(tokenBefore);
  });

  it('refuses an integration of another owner when the session is made (400)', async () => {
    const { id } = await connectIntegration({ preset: 'single', ownerId: 'owner-1' });
    const response = await serviceApi('POST', '/api/v1/connect-sessions', {
      owner_id: 'owner-2',
      integration_id: id,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toContain('belongs to another owner');
  });

  it('an integration deleted during the flow is not brought back: error=integration_not_found', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    const session = await createConnectSession({
      owner_id: 'owner-1',
      integration_id: id,
      return_url: RETURN_URL,
    });
    const browser = await startConnect(session.connect_url);
    const callbackUrl = await approveConsent(browser.authorizeUrl);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    const response = await browser.get(callbackUrl);
    expect(new URL(response.headers.get('location') as string).searchParams.get('error')).toBe(
      'integration_not_found',
    );
    expect((await serviceApi('GET', `/api/v1/integrations/${id}`)).status).toBe(404);
    expect(await env.CONFLUENCE_KV.get(`tokens:${id}`)).toBeNull();
  });
});
