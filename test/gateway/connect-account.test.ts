import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../../dev/emulator/users.ts';
import {
  approveConsent,
  connectIntegration,
  createConnectSession,
  type Integration,
  integrationIdFrom,
  RETURN_URL,
  startConnect,
} from './support/connect.ts';
import { emulatorControl, serviceApi } from './support/http.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

async function integration(id: string): Promise<Integration> {
  return (await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()) as Integration;
}

async function heldAccessToken(id: string): Promise<string> {
  const result = await env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(id)).accessToken(id);
  if (!result.ok) throw new Error(`no access token: ${result.reason}`);
  return result.accessToken;
}

/** A reconnect of `id` walked through consent by whoever the emulator signs in; the callback's answer. */
async function reconnect(id: string, extra: Record<string, unknown> = {}): Promise<Response> {
  const session = await createConnectSession({ owner_id: 'owner-1', integration_id: id, ...extra });
  const browser = await startConnect(session.connect_url);
  return browser.get(await approveConsent(browser.authorizeUrl));
}

function signInAs(accountId: string): Promise<unknown> {
  return emulatorControl('POST', '/config', { consenting_account: accountId });
}

describe('the Atlassian account behind an integration', () => {
  it('records the account that consented at the first connect', async () => {
    const { record } = await connectIntegration({ preset: 'single' });
    expect(record.account_id).toBe(USERS.current.accountId);
  });

  it('refuses a reconnect consented by another account with error=account_mismatch, keeping the old tokens', async () => {
    const { id, record } = await connectIntegration({ preset: 'single' });
    const tokenBefore = await heldAccessToken(id);
    await signInAs(USERS.alice.accountId);
    const response = await reconnect(id, { return_url: RETURN_URL });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') as string).searchParams.get('error')).toBe(
      'account_mismatch',
    );
    expect(await integration(id)).toEqual(record);
    expect(await heldAccessToken(id)).toBe(tokenBefore);
  });

  it('explains the refusal on a page when the session has no return_url', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    await signInAs(USERS.alice.accountId);
    const response = await reconnect(id);
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('That is a different Atlassian account');
    expect(html).toContain('sign in as the account that connected the integration');
  });

  it('lets the same account reconnect', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    expect(integrationIdFrom(await reconnect(id, { return_url: RETURN_URL }))).toBe(id);
  });

  it('accepts another account when the service API allowed it, and records that account', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    await signInAs(USERS.alice.accountId);
    const response = await reconnect(id, { return_url: RETURN_URL, allow_account_change: true });
    expect(integrationIdFrom(response)).toBe(id);
    expect((await integration(id)).account_id).toBe(USERS.alice.accountId);
    // The permission was for that one session: the next reconnect by someone else is refused again.
    await signInAs(USERS.bob.accountId);
    const again = await reconnect(id, { return_url: RETURN_URL });
    expect(new URL(again.headers.get('location') as string).searchParams.get('error')).toBe(
      'account_mismatch',
    );
  });

  it('refuses allow_account_change on a session that connects a new integration', async () => {
    const response = await serviceApi('POST', '/api/v1/connect-sessions', {
      owner_id: 'owner-1',
      allow_account_change: true,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/allow_account_change applies to reconnects only/);
  });
});

describe('the atlassian: owner prefix', () => {
  it('is reserved for MCP sign-in: the service API refuses it in any case', async () => {
    for (const owner_id of ['atlassian:712020:abc', 'Atlassian:someone']) {
      const response = await serviceApi('POST', '/api/v1/connect-sessions', { owner_id });
      expect([owner_id, response.status]).toEqual([owner_id, 400]);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toMatch(/reserved for integrations an MCP client connects/);
    }
    expect(
      (await serviceApi('POST', '/api/v1/connect-sessions', { owner_id: 'team-atlassian:x' })).status,
    ).toBe(201);
  });
});
