import * as z from 'zod';
import { kvKeys } from '../kv-keys.ts';
import { type KeyRing, open, seal } from './crypto.ts';

/** One integration's OAuth tokens. Only ever stored sealed, with the integration id as context. */
export const TokenSet = z.object({
  refresh_token: z.string(),
  access_token: z.string(),
  /** Epoch milliseconds. */
  access_expires_at: z.number(),
});
export type TokenSet = z.infer<typeof TokenSet>;

/** An access token is used until this long before it expires, then refreshed. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export function isFresh(tokens: Pick<TokenSet, 'access_expires_at'>, now = Date.now()): boolean {
  return tokens.access_expires_at - now > REFRESH_MARGIN_MS;
}

/**
 * What KV holds of an integration's tokens: the access token and its expiry, never the refresh
 * token. Only the TokenRefresher spends refresh tokens, and it reads them from its own storage; a
 * KV dump thus yields nothing that outlives the hour.
 */
export const AccessCopy = TokenSet.pick({ access_token: true, access_expires_at: true });
export type AccessCopy = z.infer<typeof AccessCopy>;

export function sealAccessCopy(ring: KeyRing, integrationId: string, tokens: AccessCopy): Promise<string> {
  const copy: AccessCopy = { access_token: tokens.access_token, access_expires_at: tokens.access_expires_at };
  return seal(ring, tokenContext(integrationId), JSON.stringify(copy));
}

/** Opens a KV copy (also one written before copies lost their refresh token: it is left out). */
export async function openAccessCopy(
  ring: KeyRing,
  integrationId: string,
  sealed: string,
): Promise<AccessCopy> {
  return AccessCopy.parse(JSON.parse(await open(ring, tokenContext(integrationId), sealed)));
}

export function sealTokens(ring: KeyRing, integrationId: string, tokens: TokenSet): Promise<string> {
  return seal(ring, tokenContext(integrationId), JSON.stringify(tokens));
}

export async function openTokens(ring: KeyRing, integrationId: string, sealed: string): Promise<TokenSet> {
  return TokenSet.parse(JSON.parse(await open(ring, tokenContext(integrationId), sealed)));
}

export async function readSealedTokens(kv: KVNamespace, integrationId: string): Promise<string | null> {
  return kv.get(kvKeys.tokens(integrationId));
}

function tokenContext(integrationId: string): string {
  return `tokens:${integrationId}`;
}

/**
 * A KV write that must not be lost (a rotated refresh token): retried with backoff. KV answers
 * 429 to more than one write a second to one key, and transient 5xx happen; a few tries cover both.
 */
export async function putDurably(
  kv: KVNamespace,
  key: string,
  value: string,
  options: { attempts?: number; baseDelayMs?: number } = {},
): Promise<void> {
  const attempts = options.attempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await kv.put(key, value);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
