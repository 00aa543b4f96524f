import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  approveConsent,
  createConnectSession,
  integrationIdFrom,
  RETURN_URL,
  startConnect,
} from './support/connect.ts';
import { emulatorControl, gateway, serviceApi } from './support/http.ts';
import { heldTokens } from './support/vault.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
  await emulatorControl('POST', '/config', { auto_approve: true, site_preset: 'single' });
});

const errorOf = (response: Response) =>
  new URL(response.headers.get('location') as string).searchParams.get('error');

/** A session for a new integration, opened in two browsers (as a forwarded link would be). */
async function sessionInTwoBrowsers() {
  const session = await createConnectSession({ owner_id: 'owner-1', name: 'Wiki', return_url: RETURN_URL });
  const first = await startConnect(session.connect_url);
  const second = await startConnect(session.connect_url);
  return { session, first, second };
}

describe('connect sessions are single-use', () => {
  it('a finished session cannot run again: a later flow of it is refused and the tokens stay', async () => {
    const { session, first, second } = await sessionInTwoBrowsers();
    const id = integrationIdFrom(await first.get(await approveConsent(first.authorizeUrl)));
    const tokens = await heldTokens(id);

    const late = await second.get(await approveConsent(second.authorizeUrl));
    expect(late.status).toBe(302);
    expect(errorOf(late)).toBe('session_used');
    expect(await heldTokens(id)).toEqual(tokens);
    // The link itself is spent too.
    const again = await gateway(session.connect_url, { redirect: 'manual' });
    expect(again.status).toBe(404);
  });

  it("a session for a new integration never recreates that integration's id once it was deleted", async () => {
    const { first, second } = await sessionInTwoBrowsers();
    const id = integrationIdFrom(await first.get(await approveConsent(first.authorizeUrl)));
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);

    const late = await second.get(await approveConsent(second.authorizeUrl));
    expect(errorOf(late)).not.toBeNull();
    expect((await serviceApi('GET', `/api/v1/integrations/${id}`)).status).toBe(404);
    expect(await env.CONFLUENCE_KV.get(`tokens:${id}`)).toBeNull();
  });

  it('holds at most five states: opening the link a sixth time retires the oldest', async () => {
    const session = await createConnectSession({ owner_id: 'owner-1', name: 'Wiki', return_url: RETURN_URL });
    const browsers = [];
    for (let n = 0; n < 6; n++) browsers.push(await startConnect(session.connect_url));
    const [oldest, , , , , newest] = browsers;
    if (!oldest || !newest) throw new Error('six browsers expected');

    // A retired state is gone from KV: the gateway no longer knows its session, so it shows its page.
    const refused = await oldest.get(await approveConsent(oldest.authorizeUrl));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('invalid_state');
    const id = integrationIdFrom(await newest.get(await approveConsent(newest.authorizeUrl)));
    expect((await serviceApi('GET', `/api/v1/integrations/${id}`)).status).toBe(200);
  });
});
