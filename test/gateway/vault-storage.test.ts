import { reset, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireConfig } from '../../src/config.ts';
import { forgetAccessToken, getAccessToken } from '../../src/vault/access-token.ts';
import type { TokenRefresher } from '../../src/vault/token-refresher.ts';
import { openAccessCopy, type TokenSet } from '../../src/vault/tokens.ts';
import { connectIntegration, kvDump } from './support/connect.ts';
import { emulatorControl, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { heldTokens, refresher } from './support/vault.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

async function accessToken(id: string, rejected?: string): Promise<string> {
  const result = await refresher(id).accessToken(id, rejected);
  if (!result.ok) throw new Error(`no access token: ${result.message}`);
  return result.accessToken;
}

describe('what KV holds', () => {
  it('a raw dump of every key and value holds no token Atlassian issued, no agent token, no secret', async () => {
    const { id } = await connectIntegration({ preset: 'default', name: 'Wiki' });
    const secrets = new Set<string>([SERVICE_TOKEN, 'test-client-secret']);

    // Every token the emulator issued: the consent's, then a refresh's (Confluence "rejected" the first).
    const first = await heldTokens(id);
    secrets.add(first.access_token).add(first.refresh_token);
    await accessToken(id, first.access_token);
    const second = await heldTokens(id);
    secrets.add(second.access_token).add(second.refresh_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const log = await emulatorControl<{ requests: { body?: { refresh_token?: string; code?: string } }[] }>(
      'GET',
      '/requests?path_prefix=/oauth/token',
    );
    for (const request of log.requests) {
      if (request.body?.refresh_token) secrets.add(request.body.refresh_token);
      if (request.body?.code) secrets.add(request.body.code);
    }
    expect(
      (await serviceApi('POST', `/api/v1/integrations/${id}/tools/get_confluence_spaces`, {})).status,
    ).toBe(200);

    const agent = (await (
      await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {})
    ).json()) as {
      token: string;
    };
    secrets.add(agent.token);
    const webhook = await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`);
    expect(webhook.status).toBe(201);
    secrets.add(((await webhook.json()) as { secret: string }).secret);

    const dump = await kvDump();
    expect(dump.size).toBeGreaterThan(3);
    expect([...dump.keys()].some((key) => key.startsWith('tokens:'))).toBe(true);
    for (const [key, value] of dump) {
      for (const secret of secrets) {
        expect(key, `KV key ${key}`).not.toContain(secret);
        expect(value, `KV value of ${key}`).not.toContain(secret);
      }
    }
  });

  it("a token set copied onto another integration's key is never served for it", async () => {
    const a = await connectIntegration({ preset: 'single', ownerId: 'owner-a', name: 'A' });
    const b = await connectIntegration({ preset: 'single', ownerId: 'owner-b', name: 'B' });
    const tokenOfA = await accessToken(a.id);
    const tokenOfB = await accessToken(b.id);
    await env.CONFLUENCE_KV.put(`tokens:${b.id}`, (await env.CONFLUENCE_KV.get(`tokens:${a.id}`)) as string);
    forgetAccessToken(b.id);
    const served = (await getAccessToken(env as Env, b.id)).accessToken;
    expect(served).not.toBe(tokenOfA);
    expect(served).toBe(tokenOfB);
  });

  it("after a new first key joins the ring, the refresher's next write seals under it", async () => {
    const { id } = await connectIntegration({ preset: 'single', name: 'Wiki' });
    const oldRing = env.TOKEN_ENCRYPTION_KEYS as string;
    expect((await env.CONFLUENCE_KV.get(`tokens:${id}`))?.startsWith('v1.k2.')).toBe(true);
    const newKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const newRing = `k3:${newKey},${oldRing}`;
    await runInDurableObject(refresher(id), (instance: TokenRefresher) => {
      const self = instance as unknown as { env: Env; tokens?: TokenSet };
      self.env = { ...self.env, TOKEN_ENCRYPTION_KEYS: newRing };
      self.tokens = undefined; // make it read its stored copy, sealed under the old key
    });
    const current = await accessToken(id);
    const refreshed = await accessToken(id, current);
    const sealed = (await env.CONFLUENCE_KV.get(`tokens:${id}`)) as string;
    expect(sealed.startsWith('v1.k3.')).toBe(true);
    const ring = requireConfig({ ...env, TOKEN_ENCRYPTION_KEYS: newRing } as Env, ['TOKEN_ENCRYPTION_KEYS']);
    expect((await openAccessCopy(ring.TOKEN_ENCRYPTION_KEYS, id, sealed)).access_token).toBe(refreshed);
  });
});
