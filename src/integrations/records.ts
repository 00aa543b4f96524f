import * as z from 'zod';
import { kvKeys } from '../kv-keys.ts';
import { OPEN_POLICY, Policy } from '../policy/policy.ts';
import { sha256Hex } from '../vault/crypto.ts';

/**
 * What the gateway knows about a connected Confluence site: the `Integration` of docs/reference/CONTRACT.md, exactly
 * what the service API shows. Tokens live apart, sealed (vault/tokens.ts).
 */
export const IntegrationRecord = z.object({
  id: z.string(),
  owner_id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'needs_reauth', 'pending_confirmation']),
  site: z.object({ cloud_id: z.string(), url: z.string(), name: z.string() }),
  scopes: z.array(z.string()),
  /** What callers of its tools may do (policy/policy.ts); records written before policies were open. */
  policy: Policy.default(OPEN_POLICY),
  /**
   * The Atlassian account that consented at the first connect: a reconnect by another account is
   * refused unless the service API allowed it. Null for records made before accounts were recorded.
   */
  account_id: z.string().nullable().default(null),
  created_at: z.string(),
  updated_at: z.string(),
});
export type IntegrationRecord = z.infer<typeof IntegrationRecord>;

export function newIntegrationId(): string {
  return `int_${crypto.randomUUID().replace(/-/g, '')}`;
}

/** Whether `id` has the shape newIntegrationId() gives: anything else is unknown without a KV read. */
export function isIntegrationId(id: string): boolean {
  return /^int_[0-9a-f]{32}$/.test(id);
}

/**
 * Owners are indexed by a hash of their id: an owner id of any length or alphabet then makes a KV
 * key of fixed length, well inside KV's 512-byte limit.
 */
async function ownerKey(ownerId: string): Promise<string> {
  return sha256Hex(ownerId);
}

export async function readIntegration(kv: KVNamespace, id: string): Promise<IntegrationRecord | null> {
  if (!isIntegrationId(id)) return null;
  const value = await kv.get(kvKeys.integration(id), 'json');
  return value === null ? null : IntegrationRecord.parse(value);
}

/**
 * Writes the record and its owner index entry (both idempotent, so a retry is always safe). A record
 * without a policy is read back with the open one. Only the integration's lifecycle object writes
 * records (integrations/record-change.ts says why).
 */
export async function writeIntegration(
  kv: KVNamespace,
  record: z.input<typeof IntegrationRecord>,
): Promise<void> {
  await kv.put(kvKeys.integration(record.id), JSON.stringify(record));
  await kv.put(kvKeys.ownerIndex(await ownerKey(record.owner_id), record.id), '');
}

export async function listIntegrations(kv: KVNamespace, ownerId: string): Promise<IntegrationRecord[]> {
  const ids = (await listKeys(kv, kvKeys.ownerIndexPrefix(await ownerKey(ownerId)))).map(
    (key) => key.split(':').at(-1) as string,
  );
  const records = await Promise.all(ids.map((id) => readIntegration(kv, id)));
  return records
    .filter((record): record is IntegrationRecord => record !== null && record.owner_id === ownerId)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Every key under a prefix, following KV's list cursor to the end. */
export async function listKeys(kv: KVNamespace, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix, cursor });
    names.push(...page.keys.map((key) => key.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return names;
}

/** Removes the owner index entry of a record (the record itself is deleted by the caller). */
export async function deleteOwnerIndexEntry(kv: KVNamespace, record: IntegrationRecord): Promise<void> {
  await kv.delete(kvKeys.ownerIndex(await ownerKey(record.owner_id), record.id));
}
