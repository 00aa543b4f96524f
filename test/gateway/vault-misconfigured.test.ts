import { createExecutionContext, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/index.ts';
import type { TokenRefresher } from '../../src/vault/token-refresher.ts';
import { emulatorControl, SERVICE_TOKEN } from './support/http.ts';
import { connectAcme } from './support/tools.ts';
import { refresher } from './support/vault.ts';

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
