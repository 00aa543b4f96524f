import { setBounded } from '../lib/bounded-map.ts';
import { type IntegrationRecord, readIntegration } from './records.ts';

/**
 * Integration records on the tool-call hot path, kept in this isolate's memory for at most
 * CACHE_TTL_MS (below KV's 60 s propagation), as access-token.ts does for tokens. Only active records
 * are kept: a needs_reauth record is re-read every time, so a reconnect takes effect at once. Routes
 * that delete or change a record call forgetIntegration(id) so this isolate never serves a stale one.
 */
const CACHE_TTL_MS = 30_000;
/** Records kept at most; the one stored longest ago makes room (lib/bounded-map.ts). */
const MAX_CACHED = 10_000;
const cache = new Map<string, { record: IntegrationRecord; cachedUntil: number }>();

export async function readIntegrationCached(kv: KVNamespace, id: string): Promise<IntegrationRecord | null> {
  const cached = cache.get(id);
  if (cached && cached.cachedUntil > Date.now()) return cached.record;
  const record = await readIntegration(kv, id);
  if (record?.status === 'active')
    setBounded(cache, id, { record, cachedUntil: Date.now() + CACHE_TTL_MS }, MAX_CACHED);
  else cache.delete(id);
  return record;
}

export function forgetIntegration(id: string): void {
  cache.delete(id);
}
