import { describe, expect, it } from 'vitest';
import { findAgentToken, issueAgentToken, revokeAgentToken } from '../../src/auth/agent-tokens.ts';
import { kvKeys } from '../../src/kv-keys.ts';

/** A namespace in memory: the isolate's own writes are read back at once, as KV does where they were made. */
function memoryKv(): KVNamespace {
  const values = new Map<string, string>();
  return {
    get: async (key: string, type?: string) => {
      const value = values.get(key);
      return value === undefined ? null : type === 'json' ? JSON.parse(value) : value;
    },
    put: async (key: string, value: string) => void values.set(key, value),
    delete: async (key: string) => void values.delete(key),
  } as unknown as KVNamespace;
}

describe("an isolate's remembered agent-token records", () => {
  it('answer a repeated lookup without reading the record again', async () => {
    const kv = memoryKv();
    const { token } = await issueAgentToken(kv, 'int_a', null, null);
    const first = await findAgentToken(kv, token);
    await kv.delete(kvKeys.agentToken(first?.hash ?? ''));
    expect((await findAgentToken(kv, token))?.record.token_id).toBe(first?.record.token_id);
  });

  it('are forgotten by the isolate that revokes the token, so its next lookup finds nothing', async () => {
    const kv = memoryKv();
    const { record, token } = await issueAgentToken(kv, 'int_a', null, null);
    expect(await findAgentToken(kv, token)).not.toBeNull();
    expect(await revokeAgentToken(kv, 'int_a', record.token_id)).toBe(true);
    expect(await findAgentToken(kv, token)).toBeNull();
  });
});
