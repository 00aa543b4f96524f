import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { sha256Hex } from '../../src/vault/crypto.ts';
import { connectIntegration } from './support/connect.ts';
import { emulatorControl, gateway, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { callTool } from './support/tools.ts';
import { gatewayWith } from './support/webhooks.ts';

// A spy left behind by a failed test would reach the next file run in this workerd runtime.
afterEach(() => vi.restoreAllMocks());

beforeEach(() => emulatorControl('POST', '/reset'));

async function refreshRequests(): Promise<number> {
  const stats = await emulatorControl<{ token_requests: { refresh_token: number } }>('GET', '/stats');
  return stats.token_requests.refresh_token;
}

// The margin is 5 minutes exactly: tokens living 299 s and 310 s sit on either side of it, so a margin
// of 4 or 6 minutes fails one of these (the 10 s left over covers the time the connect flow takes).
describe('the five-minute refresh margin', () => {
  it('refreshes an access token with just under five minutes left before using it', async () => {
    await emulatorControl('POST', '/config', { access_token_ttl_seconds: 299 });
    const { id } = await connectIntegration();
    const before = await refreshRequests();
    expect((await callTool(id, 'get_confluence_spaces', {})).status).toBe(200);
    expect(await refreshRequests()).toBe(before + 1);
  });

  it('uses an access token with just over five minutes left as it is', async () => {
    await emulatorControl('POST', '/config', { access_token_ttl_seconds: 310 });
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

  it('names a malformed key ring without showing it', async () => {
    const ring = 'k1:bm90LTMyLWJ5dGVzLXNlY3JldA==';
    const { problems } = parseConfig({ ...env, TOKEN_ENCRYPTION_KEYS: ring });
    expect(problems).toContainEqual({ setting: 'TOKEN_ENCRYPTION_KEYS', problem: 'malformed' });
    expect(JSON.stringify(problems)).not.toContain('bm90LTMyLWJ5dGVzLXNlY3JldA');
    // Nor do the answers that report it: the health check and a route that needs the ring.
    const requests: [string, RequestInit][] = [
      ['/healthz', {}],
      [
        '/api/v1/integrations/int_x/event-destination',
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url: 'https://agents.example.test/hooks' }),
        },
      ],
    ];
    for (const [path, init] of requests) {
      const response = await gatewayWith({ TOKEN_ENCRYPTION_KEYS: ring }, path, init);
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(text).toContain('TOKEN_ENCRYPTION_KEYS');
      expect(text).not.toContain('bm90LTMyLWJ5dGVzLXNlY3JldA');
    }
  });
});

describe('the webhook secret', () => {
  it('is compared in constant time: every character of both hashes is read, wherever they differ', async () => {
    const { id } = await connectIntegration();
    const issued = await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`);
    expect(issued.status).toBe(201);
    const storedHash = await sha256Hex(((await issued.json()) as { secret: string }).secret);
    const spy = vi.spyOn(String.prototype, 'charCodeAt');
    // Only reads of the two hashes count: routing and parsing read other strings.
    const readsOf = (text: string) => spy.mock.contexts.filter((context) => String(context) === text).length;
    const probe = async (secret: string) => {
      spy.mockClear();
      const response = await gateway(`/integrations/confluence/webhooks/${id}`, {
        method: 'POST',
        headers: { 'x-webhook-secret': secret, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(401);
      return { stored: readsOf(storedHash), sent: readsOf(await sha256Hex(secret)) };
    };
    // SHA-256 hex hashes are 64 characters, whatever the secret sent.
    expect(await probe('whsec_wrong-one')).toEqual({ stored: 64, sent: 64 });
    expect(await probe(`whsec_${'x'.repeat(200)}`)).toEqual({ stored: 64, sent: 64 });
    spy.mockRestore();
  });
});
