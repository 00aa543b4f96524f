import * as z from 'zod';
import { kvKeys } from '../kv-keys.ts';
import { Policy } from '../policy/policy.ts';
import { randomSecret, sha256Hex } from './crypto.ts';

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

export async function findAgentToken(kv: KVNamespace, token: string): Promise<AgentTokenRecord | null> {
  const value = await kv.get(kvKeys.agentToken(await sha256Hex(token)), 'json');
  return value === null ? null : AgentTokenRecord.parse(value);
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
  await kv.delete(kvKeys.agentToken(hash));
  await kv.delete(kvKeys.agentTokenOf(integrationId, tokenId));
  return true;
}
