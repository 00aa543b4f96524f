import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { connectIntegration } from './support/connect.ts';
import { emulatorControl, gateway, serviceApi } from './support/http.ts';
import { callTool } from './support/tools.ts';

beforeEach(() => emulatorControl('POST', '/reset'));

async function refreshRequests(): Promise<number> {
  const stats = await emulatorControl<{ token_requests: { refresh_token: number } }>('GET', '/stats');
  return stats.token_requests.refresh_token;
}

describe('the five-minute refresh margin', () => {
  it('refreshes an access token with under five minutes left before using it', async () => {
    await emulatorControl('POST', '/config', { access_token_ttl_seconds: 240 });
    const { id } = await connectIntegration();
    const before = await refreshRequests();
    expect((await callTool(id, 'get_confluence_spaces', {})).status).toBe(200);
    expect(await refreshRequests()).toBe(before + 1);
  });

  it('uses an access token with more than five minutes left as it is', async () => {
    await emulatorControl('POST', '/config', { access_token_ttl_seconds: 360 });
    const { id } = await connectIntegration();
    const before = await refreshRequests();
    expect((await callTool(id, 'get_confluence_spaces', {})).status).toBe(200);
    expect(await refreshRequests()).toBe(before);
  });
});

describe('configuration', () => {
  it('is parsed once per environment, not per request', () => {
    expect(parseConfig(env)).toBe(parseConfig(env));
  });

  it('names a malformed key ring without showing it', () => {
    const { problems } = parseConfig({ ...env, TOKEN_ENCRYPTION_KEYS: 'k1:not-32-bytes' });
    expect(problems).toContainEqual({ setting: 'TOKEN_ENCRYPTION_KEYS', problem: 'malformed' });
  });
});

describe('the webhook secret', () => {
  it('is compared in constant time: the whole hash is read whatever the secret sent', async () => {
    const { id } = await connectIntegration();
    expect((await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`)).status).toBe(201);
    const spy = vi.spyOn(String.prototype, 'charCodeAt');
    const readsFor = async (secret: string) => {
      spy.mockClear();
      const response = await gateway(`/integrations/confluence/webhooks/${id}`, {
        method: 'POST',
        headers: { 'x-webhook-secret': secret, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(401);
      return spy.mock.calls.length;
    };
    // SHA-256 hex hashes are 64 characters: a comparison that reads them all reads 128 characters.
    expect(await readsFor('whsec_wrong-one')).toBeGreaterThanOrEqual(128);
    expect(await readsFor('whsec_another-wrong-one')).toBeGreaterThanOrEqual(128);
    spy.mockRestore();
  });
});
