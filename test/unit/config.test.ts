import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPES, parseConfig, requireConfig } from '../../src/config.ts';
import { ApiError } from '../../src/lib/errors.ts';

const KEY = 'qOw9RcQw2Zk2KuCz0g7r5r8mQ3QYqXzYc8PBjzV0vKk=';

/** A fresh env object (the parse is cached per object) with a stand-in KV binding. */
function envWith(settings: Record<string, string>): Env {
  return { CONFLUENCE_KV: {} as KVNamespace, ...settings } as unknown as Env;
}

describe('parseConfig', () => {
  it('reads each setting, with the documented defaults for what is not set', () => {
    const { values, problems } = parseConfig(
      envWith({
        TOKEN_ENCRYPTION_KEYS: `k2:${KEY}, k1:${KEY}`,
        ATLASSIAN_API_BASE_URL: 'http://127.0.0.1:9/',
      }),
    );
    expect(problems.map((p) => p.setting)).not.toContain('TOKEN_ENCRYPTION_KEYS');
    expect(values.TOKEN_ENCRYPTION_KEYS?.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(values.ATLASSIAN_API_BASE_URL).toBe('http://127.0.0.1:9');
    expect(values.ATLASSIAN_AUTH_BASE_URL).toBe('https://auth.atlassian.com');
    expect(values.CONFLUENCE_OAUTH_SCOPE).toEqual(DEFAULT_SCOPES);
    expect(values.EVENT_DELIVERY_FIRST_RETRY_SECONDS).toBe(30);
    expect(values.WEBHOOK_RETENTION_DAYS).toBe(7);
  });

  it('tells a missing setting from a malformed one, by name', () => {
    const { problems } = parseConfig(
      envWith({ TOKEN_ENCRYPTION_KEYS: 'k1:tooshort', SERVICE_API_TOKEN: 'short' }),
    );
    expect(problems).toContainEqual({ setting: 'TOKEN_ENCRYPTION_KEYS', problem: 'malformed' });
    expect(problems).toContainEqual({ setting: 'SERVICE_API_TOKEN', problem: 'malformed' });
    expect(problems).toContainEqual({ setting: 'CONFLUENCE_CLIENT_ID', problem: 'missing' });
    expect(parseConfig({} as Env).problems).toContainEqual({ setting: 'CONFLUENCE_KV', problem: 'missing' });
  });

  it('splits a CONFLUENCE_OAUTH_SCOPE on white space', () => {
    const { values } = parseConfig(
      envWith({ CONFLUENCE_OAUTH_SCOPE: ' read:page:confluence  offline_access ' }),
    );
    expect(values.CONFLUENCE_OAUTH_SCOPE).toEqual(['read:page:confluence', 'offline_access']);
  });
});

describe('requireConfig', () => {
  it('answers the settings a route needs when they are good', () => {
    expect(
      requireConfig(envWith({ SERVICE_API_TOKEN: 'x'.repeat(16) }), ['SERVICE_API_TOKEN']),
    ).toMatchObject({
      SERVICE_API_TOKEN: 'x'.repeat(16),
    });
  });

  it('throws misconfigured naming the setting, never its value', () => {
    const secret = 'sixteen-chars-but-bad-key';
    let error: unknown;
    try {
      requireConfig(envWith({ TOKEN_ENCRYPTION_KEYS: secret }), ['TOKEN_ENCRYPTION_KEYS']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('misconfigured');
    expect((error as ApiError).message).toMatch(/setting TOKEN_ENCRYPTION_KEYS is malformed/);
    expect((error as ApiError).message).not.toContain(secret);
  });
});
