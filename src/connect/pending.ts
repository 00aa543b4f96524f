import * as z from 'zod';
import { kvKeys } from '../kv-keys.ts';
import { type KeyRing, open, randomSecret, seal, sha256Hex } from '../vault/crypto.ts';
import { TokenSet } from '../vault/tokens.ts';
import { ConnectSession } from './sessions.ts';

/**
 * A finished code exchange waiting for the user to pick a site and a name. Its tokens are sealed
 * (context: the KV key) and the whole record expires after 15 minutes; the id in the picker form is
 * random and KV keeps only its hash. Once the user submits, the record is replaced by a `finished`
 * marker without tokens, so a second submission of the same form lands on the same result instead
 * of creating anything.
 */
export const PENDING_TTL_SECONDS = 15 * 60;

export const PickableSite = z.object({ cloud_id: z.string(), url: z.string(), name: z.string() });
export type PickableSite = z.infer<typeof PickableSite>;

const Waiting = z.object({
  status: z.literal('waiting'),
  session: ConnectSession,
  browser: z.string(),
  sites: z.array(PickableSite),
  scopes: z.array(z.string()),
  sealed_tokens: z.string(),
  expires_at: z.number(),
});

const Finished = z.object({
  status: z.literal('finished'),
  browser: z.string(),
  integration_id: z.string(),
  return_url: z.string().nullable(),
  expires_at: z.number(),
});

const PendingRecord = z.discriminatedUnion('status', [Waiting, Finished]);

export type PendingConnection = Omit<z.infer<typeof Waiting>, 'sealed_tokens'> & { tokens: TokenSet };
export type FinishedConnection = z.infer<typeof Finished>;

export async function savePending(
  kv: KVNamespace,
  ring: KeyRing,
  pending: Omit<PendingConnection, 'status' | 'expires_at'>,
): Promise<string> {
  const id = randomSecret(24);
  const key = await pendingKey(id);
  const { tokens, ...rest } = pending;
  const record: z.infer<typeof Waiting> = {
    ...rest,
    status: 'waiting',
    sealed_tokens: await seal(ring, key, JSON.stringify(tokens)),
    expires_at: Date.now() + PENDING_TTL_SECONDS * 1000,
  };
  await kv.put(key, JSON.stringify(record), { expirationTtl: PENDING_TTL_SECONDS });
  return id;
}

export async function readPending(
  kv: KVNamespace,
  ring: KeyRing,
  id: string,
): Promise<PendingConnection | FinishedConnection | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(id)) return null;
  const key = await pendingKey(id);
  const parsed = PendingRecord.safeParse(await kv.get(key, 'json'));
  if (!parsed.success || parsed.data.expires_at <= Date.now()) return null;
  if (parsed.data.status === 'finished') return parsed.data;
  const { sealed_tokens, ...rest } = parsed.data;
  return { ...rest, tokens: TokenSet.parse(JSON.parse(await open(ring, key, sealed_tokens))) };
}

/** Drops the tokens and remembers the outcome for the rest of the record's life. */
export async function markFinished(
  kv: KVNamespace,
  id: string,
  pending: PendingConnection,
  integrationId: string,
): Promise<void> {
  const record: FinishedConnection = {
    status: 'finished',
    browser: pending.browser,
    integration_id: integrationId,
    return_url: pending.session.return_url,
    expires_at: pending.expires_at,
  };
  const ttl = Math.max(60, Math.ceil((pending.expires_at - Date.now()) / 1000));
  await kv.put(await pendingKey(id), JSON.stringify(record), { expirationTtl: ttl });
}

async function pendingKey(id: string): Promise<string> {
  return kvKeys.pendingConnection(await sha256Hex(id));
}
