import * as z from 'zod';
import { kvKeys } from '../kv-keys.ts';
import { randomSecret, sha256Hex } from '../vault/crypto.ts';
import { ConnectSession } from './sessions.ts';

/**
 * The OAuth `state` of one trip to Atlassian's consent page: 256 random bits, kept in KV under its
 * hash accepted for 10 minutes, together with the connect session it serves and the hash of the browser
 * that started it. It is consumed (deleted) the moment the callback reads it, whatever happens next,
 * so a state can never be used twice. (KV offers no atomic take; the authorization code it comes
 * with is itself single-use at Atlassian, which closes the window between the read and the delete;
 * and the integration's lifecycle object takes each state once, for the strict guarantee.)
 */
export const STATE_TTL_SECONDS = 10 * 60;
/** KV keeps the record a minute longer, so a late callback can still be sent back to its application. */
const STORAGE_TTL_SECONDS = STATE_TTL_SECONDS + 60;

const OAuthState = z.object({
  session: ConnectSession,
  browser: z.string(),
  /** Epoch milliseconds. */
  expires_at: z.number(),
});
export type OAuthState = z.infer<typeof OAuthState>;

/** A new state value: 256 random bits, URL-safe. */
export function newState(): string {
  return randomSecret(32);
}

/** What KV and the lifecycle object know a state by. */
export function stateHash(state: string): Promise<string> {
  return sha256Hex(state);
}

export async function issueState(
  kv: KVNamespace,
  state: string,
  session: ConnectSession,
  browserHash: string,
): Promise<void> {
  const record: OAuthState = {
    session,
    browser: browserHash,
    expires_at: Date.now() + STATE_TTL_SECONDS * 1000,
  };
  await kv.put(kvKeys.oauthState(await stateHash(state)), JSON.stringify(record), {
    expirationTtl: STORAGE_TTL_SECONDS,
  });
}

/** Deletes states a session pushed out (best effort: the lifecycle object refuses them anyway). */
export async function dropStates(kv: KVNamespace, hashes: string[]): Promise<void> {
  await Promise.all(hashes.map((hash) => kv.delete(kvKeys.oauthState(hash)).catch(() => undefined)));
}

/** What a used state becomes: a marker, so a reloaded callback can be told why it cannot run again. */
const USED = { used: true } as const;

/**
 * Takes a state out of KV: its record; `'used'` when it was taken before (a reloaded callback or site
 * picker); null when it is unknown. The taken record is replaced by a marker that holds nothing of the
 * session and expires with the state. The caller checks `expires_at` (an expired state is refused, but
 * its session is known, so the user can be sent back).
 */
export async function consumeState(kv: KVNamespace, state: string): Promise<OAuthState | 'used' | null> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(state)) return null;
  const key = kvKeys.oauthState(await stateHash(state));
  const value = await kv.get<Record<string, unknown>>(key, 'json');
  if (value === null) return null;
  if (value.used === true) return 'used';
  await kv.put(key, JSON.stringify(USED), { expirationTtl: STORAGE_TTL_SECONDS });
  return OAuthState.safeParse(value).data ?? null;
}
