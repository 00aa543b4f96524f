import * as z from 'zod';
import { kvKeys } from '../kv-keys.ts';
import { setBounded } from '../lib/bounded-map.ts';
import { Policy } from '../policy/policy.ts';
import { randomSecret, sha256Hex } from '../vault/crypto.ts';
import { CHECK_TTL_MS } from './revocations.ts';

/**
 * Agent tokens: bearer tokens a remote agent uses for one integration's tool calls. The token is
 * shown once; KV keeps only its SHA-256 (a high-entropy random token needs no slow hash), so a KV
 * dump cannot be replayed.
 */
export const AgentTokenRecord = z.object({
  integration_id: z.string(),
  token_id: z.string(),
  label: z.string().nullable(),
  /** A narrower policy than the integration's, fixed when the token is issued; null: the integration's alone. */
  policy: Policy.nullable().default(null),
  created_at: z.string(),
});
export type AgentTokenRecord = z.infer<typeof AgentTokenRecord>;

const TOKEN_PREFIX = 'cgw_agent_';

export function looksLikeAgentToken(token: string): boolean {
  return token.startsWith(TOKEN_PREFIX);
}

export async function issueAgentToken(
  kv: KVNamespace,
  integrationId: string,
  label: string | null,
  policy: Policy | null,
): Promise<{ record: AgentTokenRecord; token: string }> {
  const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const hash = await sha256Hex(token);
  const record: AgentTokenRecord = {
    integration_id: integrationId,
    token_id: `atk_${crypto.randomUUID().replace(/-/g, '')}`,
    label,
    policy,
    created_at: new Date().toISOString(),
  };
  // The index entry first: a token that exists is always findable for revocation.
  await kv.put(kvKeys.agentTokenOf(integrationId, record.token_id), hash);
  await kv.put(kvKeys.agentToken(hash), JSON.stringify(record));
  return { record, token };
}

/**
 * The records of tokens this isolate has lately found, by hash: an agent calls many times in a row,
 * and each call would otherwise read and parse the same record. Kept no longer than the revocation
 * check's TTL (revocations.ts), so a changed record is seen as soon as a revocation would be; the
 * revoking isolate forgets it at once (revokeAgentToken). A token not found is not remembered: one
 * issued a moment ago works at once. Bounded like the revocation answers.
 */
const RECORD_TTL_MS = CHECK_TTL_MS;
const MAX_RECORDS = 10_000;
const found = new Map<string, { record: AgentTokenRecord; until: number }>();

export async function findAgentToken(
  kv: KVNamespace,
  token: string,
): Promise<{ record: AgentTokenRecord; hash: string } | null> {
  const hash = await sha256Hex(token);
  const known = found.get(hash);
  if (known && known.until > Date.now()) return { record: known.record, hash };
  const value = await kv.get(kvKeys.agentToken(hash), 'json');
  if (value === null) {
    found.delete(hash);
    return null;
  }
  const record = AgentTokenRecord.parse(value);
  setBounded(found, hash, { record, until: Date.now() + RECORD_TTL_MS }, MAX_RECORDS);
  return { record, hash };
}

/** What the service API shows of a token: never the token or its hash. */
export interface AgentTokenSummary {
  id: string;
  label: string | null;
  policy: AgentTokenRecord['policy'];
  created_at: string;
  /** To within USE_WRITE_INTERVAL_MS; null when never used. */
  last_used_at: string | null;
}

/**
 * An integration's agent tokens, oldest first. The last use rides on the index key's KV metadata,
 * so listing costs one list and one read per token, and using a token never rewrites its record.
 */
export async function listAgentTokens(kv: KVNamespace, integrationId: string): Promise<AgentTokenSummary[]> {
  const summaries: AgentTokenSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<UseMetadata>({ prefix: kvKeys.agentTokensOfPrefix(integrationId), cursor });
    for (const key of page.keys) {
      const hash = await kv.get(key.name);
      const value = hash === null ? null : await kv.get(kvKeys.agentToken(hash), 'json');
      if (value === null) continue;
      const record = AgentTokenRecord.parse(value);
      summaries.push({
        id: record.token_id,
        label: record.label,
        policy: record.policy,
        created_at: record.created_at,
        last_used_at: key.metadata?.last_used_at ?? null,
      });
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return summaries.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

interface UseMetadata {
  last_used_at?: string;
}

/** A busy agent must not turn each call into a KV write: one per token per isolate every 5 minutes at most. */
const USE_WRITE_INTERVAL_MS = 5 * 60_000;
const lastUseWrites = new Map<string, number>();

/**
 * Notes that a token was used (for `last_used_at`), at most every USE_WRITE_INTERVAL_MS per isolate:
 * the KV write to wait for, or undefined when none is due (most calls, which then schedule nothing).
 */
export function noteAgentTokenUse(
  kv: KVNamespace,
  record: AgentTokenRecord,
  hash: string,
): Promise<void> | undefined {
  const now = Date.now();
  if ((lastUseWrites.get(record.token_id) ?? 0) > now - USE_WRITE_INTERVAL_MS) return undefined;
  setBounded(lastUseWrites, record.token_id, now, 10_000);
  const metadata: UseMetadata = { last_used_at: new Date(now).toISOString() };
  return kv.put(kvKeys.agentTokenOf(record.integration_id, record.token_id), hash, { metadata });
}

/** Revokes one token; false when the integration has no such token. */
export async function revokeAgentToken(
  kv: KVNamespace,
  integrationId: string,
  tokenId: string,
): Promise<boolean> {
  if (!/^atk_[0-9a-f]{32}$/.test(tokenId)) return false;
  const hash = await kv.get(kvKeys.agentTokenOf(integrationId, tokenId));
  if (hash === null) return false;
  found.delete(hash);
  await kv.delete(kvKeys.agentToken(hash));
  await kv.delete(kvKeys.agentTokenOf(integrationId, tokenId));
  return true;
}
