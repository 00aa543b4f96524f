import { reset, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { approveConsent, createConnectSession, RETURN_URL, startConnect } from './support/connect.ts';
import { emulatorControl, serviceApi } from './support/http.ts';
import { lifecycle } from './support/lifecycle.ts';
import { callTool } from './support/tools.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
  await emulatorControl('POST', '/config', { auto_approve: true, site_preset: 'single' });
});

/** Connects through a session with require_confirmation: the redirect's parameters. */
async function connectUnconfirmed(): Promise<{ id: string; status: string | null; code: string }> {
  const session = await createConnectSession({
    owner_id: 'owner-1',
    name: 'Wiki',
    return_url: RETURN_URL,
    require_confirmation: true,
  });
  const browser = await startConnect(session.connect_url);
  const response = await browser.get(await approveConsent(browser.authorizeUrl));
  expect(response.status).toBe(302);
  const params = new URL(response.headers.get('location') as string).searchParams;
  return {
    id: params.get('integration_id') as string,
    status: params.get('status'),
    code: params.get('confirmation') as string,
  };
}

const confirm = (id: string, code: unknown) =>
  serviceApi('POST', `/api/v1/integrations/${id}/confirm`, { code });

describe('connect sessions with require_confirmation', () => {
  it('create the integration pending_confirmation, refused by tools until the backend confirms with the one-time code', async () => {
    const { id, status, code } = await connectUnconfirmed();
    expect(status).toBe('pending_confirmation');
    expect(code).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()).toMatchObject({
      status: 'pending_confirmation',
    });

    const refused = await callTool(id, 'get_confluence_spaces');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(`/api/v1/integrations/${id}/confirm`);

    const wrong = await confirm(id, `${code.slice(0, -1)}x`);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain('confirmation');
    expect((await confirm(id, undefined)).status).toBe(400);

    const confirmed = await confirm(id, code);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ id, status: 'active' });
    expect((await callTool(id, 'get_confluence_spaces')).status).toBe(200);
    // Repeating it is harmless; the code is never stored in the clear.
    expect((await confirm(id, code)).status).toBe(200);
    const stored = await runInDurableObject(lifecycle(id), async (_instance, state) =>
      JSON.stringify([...(await state.storage.list()).entries()]),
    );
    expect(stored).not.toContain(code);
  });

  it('discard an integration left unconfirmed for 10 minutes, tokens and all', async () => {
    const { id } = await connectUnconfirmed();
    const due = await runInDurableObject(lifecycle(id), (_instance, state) => state.storage.getAlarm());
    expect(due).not.toBeNull();
    expect((due as number) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((due as number) - Date.now()).toBeLessThanOrEqual(10 * 60_000);

    // Ten minutes on: the deadline has passed when the alarm runs.
    await runInDurableObject(lifecycle(id), async (_instance, state) => {
      const pending = (await state.storage.get<{ discard_at: number }>('confirmation')) as {
        discard_at: number;
      };
      await state.storage.put('confirmation', { ...pending, discard_at: Date.now() - 1 });
    });
    while (await runDurableObjectAlarm(lifecycle(id))) {}

    expect((await serviceApi('GET', `/api/v1/integrations/${id}`)).status).toBe(404);
    expect(await env.CONFLUENCE_KV.get(`tokens:${id}`)).toBeNull();
    expect((await callTool(id, 'get_confluence_spaces')).status).toBe(404);
  });

  it('a confirmed integration is kept past the deadline', async () => {
    const { id, code } = await connectUnconfirmed();
    expect((await confirm(id, code)).status).toBe(200);
    expect(await runDurableObjectAlarm(lifecycle(id))).toBe(false);
    expect((await serviceApi('GET', `/api/v1/integrations/${id}`)).status).toBe(200);
  });

  it('are refused without a return_url, for a reconnect, and confirm is refused for an ordinary integration', async () => {
    const noReturn = await serviceApi('POST', '/api/v1/connect-sessions', {
      owner_id: 'owner-1',
      require_confirmation: true,
    });
    expect(noReturn.status).toBe(400);
    expect(await noReturn.text()).toContain('return_url');

    const { id, code } = await connectUnconfirmed();
    await confirm(id, code);
    const reconnect = await serviceApi('POST', '/api/v1/connect-sessions', {
      owner_id: 'owner-1',
      integration_id: id,
      return_url: RETURN_URL,
      require_confirmation: true,
    });
    expect(reconnect.status).toBe(400);
    expect(await reconnect.text()).toContain('new integrations only');

    const plain = await createConnectSession({ owner_id: 'owner-1', name: 'Plain', return_url: RETURN_URL });
    const browser = await startConnect(plain.connect_url);
    const done = await browser.get(await approveConsent(browser.authorizeUrl));
    const plainId = new URL(done.headers.get('location') as string).searchParams.get(
      'integration_id',
    ) as string;
    const response = await confirm(plainId, 'anything');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not awaiting confirmation');
  });
});
