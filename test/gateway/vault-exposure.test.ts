import { createExecutionContext, reset, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireConfig } from '../../src/config.ts';
import type { Env } from '../../src/env.ts';
import app from '../../src/index.ts';
import { open, seal } from '../../src/vault/crypto.ts';
import { newIntegrationId, writeIntegration } from '../../src/vault/integrations.ts';
import type { TokenRefresher } from '../../src/vault/token-refresher.ts';
import { WRONG_SECRETS_PER_MINUTE } from '../../src/webhooks/inbox.ts';
import { emulatorControl, GATEWAY, gateway, serviceApi } from './support/http.ts';
import { callTool, connectAcme } from './support/tools.ts';
import { heldTokens, refresher } from './support/vault.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

const ring = () => requireConfig(env as Env, ['TOKEN_ENCRYPTION_KEYS']).TOKEN_ENCRYPTION_KEYS;

/** The KV copy of the integration's tokens, opened. */
async function kvCopy(id: string): Promise<Record<string, unknown>> {
  const sealed = (await env.CONFLUENCE_KV.get(`tokens:${id}`)) as string;
  return JSON.parse(await open(ring(), `tokens:${id}`, sealed));
}

describe('least exposure at rest', () => {
  it('the KV copy holds only the access token and its expiry, after the connect and after a refresh', async () => {
    const id = await connectAcme();
    const held = await heldTokens(id);
    expect(await kvCopy(id)).toEqual({
      access_token: held.access_token,
      access_expires_at: held.access_expires_at,
    });

    await emulatorControl('POST', '/tokens/expire', {});
    expect((await callTool(id, 'get_confluence_spaces')).status).toBe(200);
    const refreshed = await heldTokens(id);
    expect(refreshed.access_token).not.toBe(held.access_token);
    expect(Object.keys(await kvCopy(id)).sort()).toEqual(['access_expires_at', 'access_token']);
    expect(await env.CONFLUENCE_KV.get(`tokens:${id}`)).not.toContain(refreshed.refresh_token);
  });

  it('tokens sealed under an older key are re-sealed under the first key when the refresher loads them', async () => {
    const id = await connectAcme();
    const [first, older] = ring();
    if (!first || !older) throw new Error('the suite runs with a ring of two keys');
    // As a deployment from before the rotation left them: object storage and KV sealed under k1.
    await runInDurableObject(refresher(id), async (instance: TokenRefresher, state) => {
      const tokens = (instance as unknown as { tokens: object }).tokens;
      await state.storage.put('tokens', await seal([older], `tokens:${id}`, JSON.stringify(tokens)));
      (instance as unknown as { tokens?: object }).tokens = undefined;
    });
    const copy = await kvCopy(id);
    await env.CONFLUENCE_KV.put(`tokens:${id}`, await seal([older], `tokens:${id}`, JSON.stringify(copy)));

    expect(await refresher(id).accessToken(id)).toMatchObject({ ok: true });
    const stored = await runInDurableObject(refresher(id), (_instance, state) =>
      state.storage.get<string>('tokens'),
    );
    expect(stored?.split('.')[1]).toBe(first.id);
    expect((await env.CONFLUENCE_KV.get(`tokens:${id}`))?.split('.')[1]).toBe(first.id);
  });
});

describe('the webhook receiver', () => {
  it('refuses a delivery for an id with no integration before any Durable Object wakes', async () => {
    let woken = 0;
    const counting = new Proxy(env.WEBHOOK_INBOX, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          woken++;
          return (value as (...rest: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const response = await app.fetch(
      new Request(`${GATEWAY}/integrations/confluence/webhooks/${newIntegrationId()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': 'whsec_guess' },
        body: '{"event":"page_created"}',
      }),
      { ...env, WEBHOOK_INBOX: counting },
      createExecutionContext(),
    );
    expect(response.status).toBe(401);
    expect(woken).toBe(0);
  });

  it('throttles repeated wrong secrets for one id with 429 and Retry-After, while the right secret still works', async () => {
    const id = newIntegrationId();
    const now = new Date().toISOString();
    await writeIntegration(env.CONFLUENCE_KV, {
      id,
      owner_id: 'owner-webhooks',
      name: 'Receiver',
      status: 'active',
      site: { cloud_id: 'cloud-webhooks', url: 'https://webhooks.atlassian.net', name: 'webhooks' },
      scopes: [],
      created_at: now,
      updated_at: now,
    });
    const { secret } = (await (
      await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`)
    ).json()) as {
      secret: string;
    };
    const deliver = (withSecret: string) =>
      gateway(`/integrations/confluence/webhooks/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': withSecret },
        body: JSON.stringify({ event: 'page_updated', n: Math.random() }),
      });

    const statuses: number[] = [];
    for (let n = 0; n <= WRONG_SECRETS_PER_MINUTE + 2; n++)
      statuses.push((await deliver(`whsec_wrong${n}`)).status);
    expect(statuses.slice(0, WRONG_SECRETS_PER_MINUTE)).toEqual(Array(WRONG_SECRETS_PER_MINUTE).fill(401));
    expect(statuses.slice(WRONG_SECRETS_PER_MINUTE)).toEqual([429, 429, 429]);

    const throttled = await deliver('whsec_wrong-again');
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await throttled.json()).toMatchObject({
      error: { code: 'rate_limited', retry_after_seconds: retryAfter },
    });

    expect((await deliver(secret)).status).toBe(202);
  });
});
