import { reset, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireConfig } from '../../src/config.ts';
import { open, seal } from '../../src/vault/crypto.ts';
import type { TokenRefresher } from '../../src/vault/token-refresher.ts';
import { emulatorControl } from './support/http.ts';
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
