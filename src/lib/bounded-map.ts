/**
 * Every per-isolate cache and memo stays bounded through this one rule: an isolate that serves many
 * tenants keeps the most recently stored entries, not one per integration, token or space it ever
 * saw, and a full cache drops one entry for a new one rather than everything it holds.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  // Stored again, a key moves to the newest end; the oldest entry makes room for a new one.
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
