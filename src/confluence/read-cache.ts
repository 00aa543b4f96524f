import { setBounded } from '../lib/bounded-map.ts';

/**
 * Identical Confluence reads repeated by one integration within CONFLUENCE_READ_CACHE_SECONDS are
 * answered from the Cache API: they cost no Atlassian points and no round trip.
 *
 * Each entry's key holds the integration's generation: a write through the gateway (any non-GET
 * request of that integration) or a webhook event it receives starts a new generation, so every read
 * cached before it is dropped at once (more than the page written, never less). The generation is
 * itself a cache entry, outliving every read cached under it; an isolate remembers it for a second,
 * and learns a new one at once when it made the write itself. What is cached is the answer as
 * Confluence sent it, before the space fence and the shaping, which run on it as on a fresh answer.
 * The Cache API is per data centre: a write in one only drops the entries there, and others keep
 * theirs until they expire.
 */
const ORIGIN = 'https://read-cache.confluence-gateway.invalid';
const GENERATION_MEMO_MS = 1_000;
const MEMO_ENTRIES = 10_000;

const generations = new Map<string, { value: string; until: number }>();

export interface CachedRead {
  text: string;
  /** What the answer cost when it was read from Confluence. */
  points: number;
}

export class ReadCache {
  readonly #integrationId: string;
  readonly #ttlSeconds: number;
  readonly #waitUntil: (promise: Promise<unknown>) => void;

  constructor(integrationId: string, ttlSeconds: number, waitUntil: (promise: Promise<unknown>) => void) {
    this.#integrationId = integrationId;
    this.#ttlSeconds = ttlSeconds;
    this.#waitUntil = waitUntil;
  }

  /** The cached answer, or undefined (also when the cache cannot be read: the read then goes to Confluence). */
  async get(pathAndQuery: string): Promise<CachedRead | undefined> {
    try {
      const hit = await caches.default.match(await this.#key(pathAndQuery));
      if (!hit) return undefined;
      return { text: await hit.text(), points: Number(hit.headers.get('x-points')) || 0 };
    } catch (error) {
      logUnavailable(error);
      return undefined;
    }
  }

  /** Keeps an answer for the next identical read (after the answer: waitUntil). */
  put(pathAndQuery: string, text: string, points: number): void {
    this.#waitUntil(
      this.#key(pathAndQuery)
        .then((key) =>
          caches.default.put(
            key,
            new Response(text, {
              headers: {
                'content-type': 'application/json',
                'cache-control': `max-age=${this.#ttlSeconds}`,
                'x-points': String(points),
              },
            }),
          ),
        )
        .catch(logUnavailable),
    );
  }

  /** A write through the gateway: drop every read this integration cached. */
  async drop(): Promise<void> {
    await dropCachedReads(this.#integrationId, this.#ttlSeconds);
  }

  async #key(pathAndQuery: string): Promise<string> {
    const generation = await generationOf(this.#integrationId);
    return `${ORIGIN}/${encodeURIComponent(this.#integrationId)}/${generation}${pathAndQuery}`;
  }
}

function generationKey(integrationId: string): string {
  return `${ORIGIN}/${encodeURIComponent(integrationId)}/generation`;
}

async function generationOf(integrationId: string): Promise<string> {
  const now = Date.now();
  const memo = generations.get(integrationId);
  if (memo && memo.until > now) return memo.value;
  const stored = await caches.default.match(generationKey(integrationId));
  const value = stored ? await stored.text() : '0';
  setBounded(generations, integrationId, { value, until: now + GENERATION_MEMO_MS }, MEMO_ENTRIES);
  return value;
}

/**
 * Starts a new generation of the integration's cached reads: everything cached before is dropped.
 * Called on a write through the gateway and on a received webhook event. The new generation is kept
 * longer than any read cached under the old one, so an old read can never come back.
 */
export async function dropCachedReads(integrationId: string, ttlSeconds: number): Promise<void> {
  const value = crypto.randomUUID();
  generations.set(integrationId, { value, until: Date.now() + GENERATION_MEMO_MS });
  try {
    await caches.default.put(
      generationKey(integrationId),
      new Response(value, { headers: { 'cache-control': `max-age=${ttlSeconds + 3600}` } }),
    );
  } catch (error) {
    // The write or event it follows must not fail for it; entries elsewhere expire within the TTL.
    logUnavailable(error);
  }
}

function logUnavailable(error: unknown): void {
  console.warn(JSON.stringify({ event: 'read_cache_unavailable', error: (error as Error).name }));
}
