import { setBounded } from '../lib/bounded-map.ts';

/**
 * Revocation that takes effect everywhere within seconds, not KV's minute. Agent tokens and MCP
 * grants are records in KV, whose other locations may serve a deleted record for up to about 60 s.
 * So a revocation (and a deletion of the integration) is also written to the integration's
 * lifecycle Durable Object, strongly consistent, and a credential is checked against it there on
 * the cold path: once per CHECK_TTL_MS per credential and isolate. The isolate that revokes forgets
 * its own answer at once.
 */
export const CHECK_TTL_MS = 5_000;
const MAX_REMEMBERED = 10_000;

/** `agent:<token id>` or `grant:<grant id>`: how the lifecycle object names a credential. */
export type CredentialId = `agent:${string}` | `grant:${string}`;

const checked = new Map<string, { revoked: boolean; until: number }>();

function lifecycle(env: Env, integrationId: string) {
  return env.INTEGRATION_LIFECYCLE.get(env.INTEGRATION_LIFECYCLE.idFromName(integrationId));
}

/** Whether the credential was revoked, or its integration deleted (checked at most every few seconds). */
export async function isRevoked(env: Env, integrationId: string, credential: CredentialId): Promise<boolean> {
  const key = `${integrationId}|${credential}`;
  const known = checked.get(key);
  if (known && known.until > Date.now()) return known.revoked;
  const revoked = await lifecycle(env, integrationId).isRevoked(credential);
  setBounded(checked, key, { revoked, until: Date.now() + CHECK_TTL_MS }, MAX_REMEMBERED);
  return revoked;
}

/** Records a revocation where every location sees it at once; call before deleting the KV record. */
export async function revokeCredential(
  env: Env,
  integrationId: string,
  credential: CredentialId,
): Promise<void> {
  await lifecycle(env, integrationId).revoke(credential);
  checked.delete(`${integrationId}|${credential}`);
}
