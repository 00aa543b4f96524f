import { reset, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { requireConfig } from '../../src/config.ts';
import { getAccessToken } from '../../src/vault/access-token.ts';
import type { TokenRefresher } from '../../src/vault/token-refresher.ts';
import { type AccessCopy, openAccessCopy, type TokenSet } from '../../src/vault/tokens.ts';
import { EMULATOR_URL, emulatorControl, serviceApi } from './support/http.ts';
import { heldTokens, integrationWithStaleToken, refresher } from './support/vault.ts';

interface Stats {
  token_requests: { authorization_code: number; refresh_token: number };
  confluence_requests: number;
}

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

/** The KV copy: the access token and its expiry. */
async function kvTokens(id: string): Promise<AccessCopy> {
  const sealed = (await env.CONFLUENCE_KV.get(`tokens:${id}`)) as string;
  return openAccessCopy(
    requireConfig(env as Env, ['TOKEN_ENCRYPTION_KEYS']).TOKEN_ENCRYPTION_KEYS,
    id,
    sealed,
  );
}

function accessCopyOf(tokens: TokenSet): AccessCopy {
  return { access_token: tokens.access_token, access_expires_at: tokens.access_expires_at };
}

const stats = () => emulatorControl<Stats>('GET', '/stats');

function listSpaces(id: string) {
  return serviceApi('POST', `/api/v1/integrations/${id}/tools/get_confluence_spaces`, {});
}

describe('single-flight refresh', () => {
  it('50 concurrent callers of the TokenRefresher on an expired token cause exactly one refresh', async () => {
    const id = await integrationWithStaleToken();
    const stale = (await heldTokens(id)).access_token;
    const results = await Promise.all(Array.from({ length: 50 }, () => refresher(id).accessToken(id)));
    expect((await stats()).token_requests.refresh_token).toBe(1);
    expect(results.every((result) => result.ok)).toBe(true);
    const tokens = new Set(results.map((result) => (result.ok ? result.accessToken : '')));
    expect(tokens.size).toBe(1);
    expect(tokens.has(stale)).toBe(false);
  });

  it('50 concurrent getAccessToken calls on an expired token cause exactly one refresh', async () => {
    const id = await integrationWithStaleToken();
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => (await getAccessToken(env as Env, id)).accessToken),
    );
    expect((await stats()).token_requests.refresh_token).toBe(1);
    expect(new Set(results).size).toBe(1);
    const response = await fetch(`${EMULATOR_URL}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${results[0]}` },
    });
    expect(response.status).toBe(200);
  });

  it('50 concurrent tool calls on an expired token: one refresh, 50 successes', async () => {
    const id = await integrationWithStaleToken();
    const responses = await Promise.all(Array.from({ length: 50 }, () => listSpaces(id)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const after = await stats();
    expect(after.token_requests.refresh_token).toBe(1);
    expect(after.confluence_requests).toBeGreaterThanOrEqual(50);
  });
});

describe('refresh failures', () => {
  it('a refresh token rotated out beyond the leeway marks the integration needs_reauth and answers 409', async () => {
    const id = await integrationWithStaleToken();
    // Someone spends the stored refresh token behind the gateway's back (a copy of an old backup,
    // say): it is rotated out, and after the 10-minute leeway reusing it kills the whole family.
    const { refresh_token } = await heldTokens(id);
    const sideRefresh = await fetch(`${EMULATOR_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'refresh_token',
        refresh_token,
        client_id: 'test-client-id',
        client_secret: 'test-client-secret',
      }),
    });
    expect(sideRefresh.status).toBe(200);
    await emulatorControl('POST', '/clock', { advance_seconds: 601 });

    const response = await listSpaces(id);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      success: false,
      error: { code: 'needs_reauth', retryable: false },
    });
    const record = await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json();
    expect(record).toMatchObject({ status: 'needs_reauth' });
    // Later calls do not hammer the token endpoint with a dead token.
    const before = (await stats()).token_requests.refresh_token;
    expect((await listSpaces(id)).status).toBe(409);
    expect((await stats()).token_requests.refresh_token).toBe(before);
  });

  it('a transient token-endpoint failure keeps the stored token and answers retryable', async () => {
    const id = await integrationWithStaleToken();
    const before = await heldTokens(id);
    await emulatorControl('POST', '/faults', {
      match: { method: 'POST', path_contains: '/oauth/token' },
      status: 503,
      retry_after_seconds: 7,
      times: 1,
    });
    const response = await listSpaces(id);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      success: false,
      error: { code: 'upstream_error', retryable: true, retry_after_seconds: 7 },
    });
    expect(await heldTokens(id)).toEqual(before);
    expect(await kvTokens(id)).toEqual(accessCopyOf(before));
    expect(await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()).toMatchObject({
      status: 'active',
    });

    // Once Atlassian is back, the same stored refresh token works.
    expect((await listSpaces(id)).status).toBe(200);
    const refreshes = await emulatorControl<{ requests: { body?: { refresh_token?: string } }[] }>(
      'GET',
      '/requests?path_prefix=/oauth/token',
    );
    const spent = refreshes.requests.map((request) => request.body?.refresh_token).filter(Boolean);
    expect(spent).toEqual([before.refresh_token, before.refresh_token]);
  });
});

describe('the KV copy after a refresh', () => {
  /** Swaps the object's KV binding for one whose token writes fail `failures` times. */
  async function failTokenWrites(id: string, failures: number): Promise<{ attempts: () => number }> {
    let attempts = 0;
    await runInDurableObject(refresher(id), (instance: TokenRefresher) => {
      const self = instance as unknown as { env: Env };
      const kv = self.env.CONFLUENCE_KV;
      const flaky = new Proxy(kv, {
        get(target, property) {
          if (property !== 'put') return Reflect.get(target, property).bind(target);
          return async (key: string, ...rest: unknown[]) => {
            if (key.startsWith('tokens:') && attempts++ < failures) throw new Error('KV PUT failed: 503');
            return (target.put as (...args: unknown[]) => Promise<void>)(key, ...rest);
          };
        },
      });
      self.env = { ...self.env, CONFLUENCE_KV: flaky };
    });
    return { attempts: () => attempts };
  }

  /**
   * Runs `work` with the backoff's timers firing at once, and returns the delays asked for: the
   * schedule is checked without spending seconds of real time. (Only the KV retry sets timers on
   * this path; the token endpoint's timeout is an AbortSignal.)
   */
  async function withoutWaiting<T>(work: () => Promise<T>): Promise<{ result: T; delays: number[] }> {
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    try {
      return { result: await work(), delays };
    } finally {
      spy.mockRestore();
    }
  }

  it('a failed KV write after a successful refresh is retried until it lands', async () => {
    const id = await integrationWithStaleToken();
    const writes = await failTokenWrites(id, 2);
    const { result, delays } = await withoutWaiting(async () => await refresher(id).accessToken(id));
    expect(result.ok).toBe(true);
    expect(delays).toEqual([250, 500]);
    expect(writes.attempts()).toBe(3);
    expect((await kvTokens(id)).access_token).toBe(result.ok ? result.accessToken : undefined);
    expect((await stats()).token_requests.refresh_token).toBe(1);
  });

  it('a KV outage outlasting the retries answers retryable, and the next call copies without refreshing again', async () => {
    const id = await integrationWithStaleToken();
    await failTokenWrites(id, 5);
    const { result: first, delays } = await withoutWaiting(async () => await refresher(id).accessToken(id));
    expect(first).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(delays).toEqual([250, 500, 1000, 2000]);
    const held = await heldTokens(id);
    // The rotated refresh token is safe in the object's storage even though KV missed it.
    expect((await kvTokens(id)).access_token).not.toBe(held.access_token);

    const second = await refresher(id).accessToken(id);
    expect(second).toMatchObject({ ok: true, accessToken: held.access_token });
    expect(await kvTokens(id)).toEqual(accessCopyOf(held));
    expect((await stats()).token_requests.refresh_token).toBe(1);
  });
});
