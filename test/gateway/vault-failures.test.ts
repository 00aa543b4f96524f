import { createExecutionContext, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/index.ts';
import type { TokenRefresher } from '../../src/vault/token-refresher.ts';
import { emulatorControl, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { connectAcme } from './support/tools.ts';
import { heldTokens, refresher } from './support/vault.ts';

beforeEach(() => emulatorControl('POST', '/reset'));

describe('a refresh the gateway is not configured for', () => {
  it('answers 503 misconfigured naming the missing setting, not 500', async () => {
    const id = await connectAcme();
    // Confluence now rejects the access token, so the call must refresh.
    await emulatorControl('POST', '/tokens/expire', {});
    const response = await app.fetch(
      new Request(`http://gateway.test/api/v1/integrations/${id}/tools/get_confluence_spaces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      }),
      { ...env, CONFLUENCE_CLIENT_SECRET: undefined },
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('misconfigured');
    expect(body.error.message).toContain('CONFLUENCE_CLIENT_SECRET');
  });

  it('reports tokens no key of the ring opens as misconfigured, keeping them stored', async () => {
    const id = await connectAcme();
    const stub = refresher(id);
    const otherRing = `k9:${btoa(String.fromCharCode(...new Uint8Array(32).fill(9)))}`;
    await runInDurableObject(stub, (instance: TokenRefresher) => {
      const fields = instance as unknown as { env: typeof env; tokens?: unknown };
      fields.env = { ...env, TOKEN_ENCRYPTION_KEYS: otherRing };
      fields.tokens = undefined;
    });
    const result = await stub.accessToken(id);
    expect(result).toMatchObject({ ok: false, reason: 'misconfigured' });
    expect(result.ok ? '' : result.message).toContain('TOKEN_ENCRYPTION_KEYS');
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.get<string>('tokens'));
    expect(stored).toMatch(/^v1\.k2\./);
  });
});

/** Replaces the object's KV binding with one whose puts of keys starting with `prefix` fail while `failing()`. */
async function failKvPuts(
  id: string,
  prefix: string,
  failing: () => boolean,
  object: DurableObjectStub = refresher(id),
) {
  await runInDurableObject(object, (instance: object) => {
    const self = instance as unknown as { env: typeof env };
    const kv = self.env.CONFLUENCE_KV;
    const flaky = new Proxy(kv, {
      get(target, property) {
        if (property !== 'put') return Reflect.get(target, property).bind(target);
        return async (key: string, ...rest: unknown[]) => {
          if (key.startsWith(prefix) && failing()) throw new Error('KV PUT failed: 503');
          return (target.put as (...args: unknown[]) => Promise<void>)(key, ...rest);
        };
      },
    });
    self.env = { ...self.env, CONFLUENCE_KV: flaky };
  });
}

async function refreshRequests(): Promise<number> {
  const stats = await emulatorControl<{ token_requests: { refresh_token: number } }>('GET', '/stats');
  return stats.token_requests.refresh_token;
}

describe('a deleted integration', () => {
  it('is never revived by a stale KV copy of its tokens: no refresh is spent, nothing rewritten', async () => {
    const id = await connectAcme();
    const stale = await env.CONFLUENCE_KV.get(`tokens:${id}`);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    // A KV replica that has not seen the delete yet still serves the old copy.
    await env.CONFLUENCE_KV.put(`tokens:${id}`, stale as string);
    const before = await refreshRequests();
    await emulatorControl('POST', '/tokens/expire', {});
    expect(await refresher(id).accessToken(id, 'any-rejected-token')).toMatchObject({
      ok: false,
      reason: 'erased',
    });
    expect(await refreshRequests()).toBe(before);
    expect(await env.CONFLUENCE_KV.get(`tokens:${id}`)).toBe(stale);
  });
});

describe('refresh failures that retrying cannot fix', () => {
  it('a client secret Atlassian rejects is misconfigured, not a retryable outage', async () => {
    const id = await connectAcme();
    await runInDurableObject(refresher(id), (instance: TokenRefresher) => {
      const self = instance as unknown as { env: typeof env };
      self.env = { ...self.env, CONFLUENCE_CLIENT_SECRET: 'not-the-secret' };
    });
    const result = await refresher(id).accessToken(id, (await heldTokens(id)).access_token);
    expect(result).toMatchObject({ ok: false, reason: 'misconfigured' });
    expect(result.ok ? '' : result.message).toContain('CONFLUENCE_CLIENT_SECRET');
  });

  it('needs_reauth reaches the integration record even when the first status write fails', async () => {
    const id = await connectAcme();
    await emulatorControl('POST', '/tokens/revoke', {});
    let failing = true;
    // The record is written by the integration's lifecycle object, on the refresher's request.
    const lifecycle = env.INTEGRATION_LIFECYCLE.get(env.INTEGRATION_LIFECYCLE.idFromName(id));
    await failKvPuts(id, 'integration:', () => failing, lifecycle);
    expect(await refresher(id).accessToken(id, (await heldTokens(id)).access_token)).toMatchObject({
      reason: 'needs_reauth',
    });
    const record = async () =>
      ((await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()) as { status: string }).status;
    expect(await record()).toBe('active');
    failing = false;
    expect(await refresher(id).accessToken(id)).toMatchObject({ reason: 'needs_reauth' });
    expect(await record()).toBe('needs_reauth');
  });
});
