import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type KeyRing,
  open,
  SealedValueError,
  seal,
  sealedUnderOldKey,
  timingSafeEqualText,
} from '../../src/vault/crypto.ts';
import { openTokens, putDurably, sealTokens, type TokenSet } from '../../src/vault/tokens.ts';

const key = (id: string) => ({ id, raw: crypto.getRandomValues(new Uint8Array(32)) });
const k1 = key('k1');
const k2 = key('k2');
const tokens: TokenSet = {
  refresh_token: 'rt-secret',
  access_token: 'at-secret',
  access_expires_at: 1_900_000_000_000,
};

afterEach(() => vi.restoreAllMocks());

describe('seal / open', () => {
  it('uses a fresh IV per write: the same plaintext sealed twice gives different ciphertexts', async () => {
    const ring: KeyRing = [k1];
    const a = await seal(ring, 'ctx', 'same plaintext');
    const b = await seal(ring, 'ctx', 'same plaintext');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]); // the IVs
    expect(await open(ring, 'ctx', a)).toBe('same plaintext');
    expect(await open(ring, 'ctx', b)).toBe('same plaintext');
  });

  it('never shows the plaintext in the sealed value', async () => {
    const sealed = await sealTokens([k1], 'int_a', tokens);
    expect(sealed).not.toContain('secret');
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("a sealed value copied onto another integration's key fails to open", async () => {
    const sealed = await sealTokens([k1], 'int_a', tokens);
    expect(await openTokens([k1], 'int_a', sealed)).toEqual(tokens);
    await expect(openTokens([k1], 'int_b', sealed)).rejects.toBeInstanceOf(SealedValueError);
  });

  it('a tampered ciphertext fails to open', async () => {
    const sealed = await seal([k1], 'ctx', 'value');
    const parts = sealed.split('.');
    const body = parts[3] as string;
    parts[3] = `${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(open([k1], 'ctx', parts.join('.'))).rejects.toBeInstanceOf(SealedValueError);
  });

  it('after a new first key is added, new writes use it, old values still open and move on their next write', async () => {
    const before: KeyRing = [k1];
    const after: KeyRing = [k2, k1];
    const old = await sealTokens(before, 'int_a', tokens);
    expect(old.startsWith('v1.k1.')).toBe(true);

    expect(await openTokens(after, 'int_a', old)).toEqual(tokens);
    expect(sealedUnderOldKey(after, old)).toBe(true);
    const rewritten = await sealTokens(after, 'int_a', await openTokens(after, 'int_a', old));
    expect(rewritten.startsWith('v1.k2.')).toBe(true);
    expect(sealedUnderOldKey(after, rewritten)).toBe(false);
    expect(await openTokens(after, 'int_a', rewritten)).toEqual(tokens);
  });

  it('a value whose key left the ring fails to open, naming the key id and nothing secret', async () => {
    const old = await seal([k1], 'ctx', 'plaintext-secret');
    const error = await open([k2], 'ctx', old).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealedValueError);
    expect((error as Error).message).toContain('k1');
    expect((error as Error).message).not.toContain('plaintext-secret');
  });
});

describe('putDurably', () => {
  function flakyKv(failures: number) {
    const puts: string[] = [];
    const kv = {
      put: async (key: string) => {
        puts.push(key);
        if (puts.length <= failures) throw new Error('KV PUT failed: 429');
      },
    } as unknown as KVNamespace;
    return { kv, puts };
  }

  it('retries a failing write until it lands', async () => {
    const { kv, puts } = flakyKv(2);
    await putDurably(kv, 'tokens:int_a', 'sealed', { baseDelayMs: 1 });
    expect(puts).toEqual(['tokens:int_a', 'tokens:int_a', 'tokens:int_a']);
  });

  it('gives up after the given number of attempts and reports the failure', async () => {
    const { kv, puts } = flakyKv(10);
    await expect(putDurably(kv, 'k', 'v', { attempts: 4, baseDelayMs: 1 })).rejects.toThrow('KV PUT failed');
    expect(puts).toHaveLength(4);
  });

  it('backs off exponentially between attempts', async () => {
    const { kv } = flakyKv(3);
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      delays.push(ms);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    await putDurably(kv, 'k', 'v', { baseDelayMs: 100 });
    expect(delays).toEqual([100, 200, 400]);
  });
});

describe('timingSafeEqualText', () => {
  const token = 'test-service-token-0123456789abcdef';

  it('tells equal strings from different ones, whatever their lengths', () => {
    expect(timingSafeEqualText(token, token)).toBe(true);
    expect(timingSafeEqualText('', '')).toBe(true);
    expect(timingSafeEqualText(`X${token.slice(1)}`, token)).toBe(false);
    expect(timingSafeEqualText(`${token.slice(0, -1)}X`, token)).toBe(false);
    expect(timingSafeEqualText(token.slice(0, -1), token)).toBe(false);
    expect(timingSafeEqualText(`${token}x`, token)).toBe(false);
    expect(timingSafeEqualText('', token)).toBe(false);
  });

  it('reads every character, wherever the first difference is (no early exit)', () => {
    const reads = (a: string, b: string) => {
      const spy = vi.spyOn(String.prototype, 'charCodeAt');
      timingSafeEqualText(a, b);
      const count = spy.mock.calls.length;
      spy.mockRestore();
      return count;
    };
    const all = reads(token, token);
    expect(all).toBe(2 * token.length);
    expect(reads(`X${token.slice(1)}`, token)).toBe(all);
    expect(reads(`${token.slice(0, -1)}X`, token)).toBe(all);
    expect(reads('short', token)).toBe(all);
  });
});
