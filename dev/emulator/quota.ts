import type { VirtualClock } from './clock.ts';

/**
 * Atlassian's points-based rate limit (shared/atlassian/FACTS.md, "Rate limits"), as enforced for
 * OAuth 2.0 (3LO) apps since 2026-03-02:
 *
 * - a request costs 1 point; a successful GET adds 1 per core object it returns (pages, spaces,
 *   comments, attachments, labels, versions, search hits) and 2 per identity object (users); a write
 *   costs 1 whatever it touches. A list answer's objects are its `results`; any other answer is one.
 * - Tier 1 ("global-app-quota"): one pool per app (OAuth client) shared by every site. Tier 2
 *   ("tenant-app-quota"): one pool per app and site.
 * - Windows are fixed: they end at every multiple of `window_seconds` on the virtual clock (the top of
 *   each UTC hour at the default 3600), with no carry-over.
 * - Once a pool is spent, every request in its scope is answered 429 with `Retry-After` (to the end
 *   of the window) and `RateLimit-Reason` until the reset: no partial throttling.
 * - Every metered answer carries `RateLimit-Policy: "<policy>";q=<pool>;w=<window>` and
 *   `RateLimit: "<policy>";t=<seconds to reset>`, with `;r=<remaining>` and `X-RateLimit-NearLimit:
 *   true` once under 20% remains; `Beta-` in front of the first two when `beta_headers` is set (as
 *   before enforcement).
 */
export interface QuotaConfig {
  tier: 'global' | 'tenant';
  /** The pool's size per window (Tier 1: the app's; Tier 2: each site's, unless `site_points` says). */
  points: number;
  window_seconds: number;
  /** Tier 2 pools of particular sites (cloud id → points), as Atlassian sizes them by plan. */
  site_points: Record<string, number>;
  beta_headers: boolean;
}

export const DEFAULT_QUOTA: QuotaConfig = {
  tier: 'global',
  points: 65_000,
  window_seconds: 3600,
  site_points: {},
  beta_headers: false,
};

/** The share of a pool under which Atlassian reports `r` and `X-RateLimit-NearLimit`. */
const NEAR_LIMIT_SHARE = 0.2;

/** Operations whose objects are identities (users): 2 points each instead of 1. */
const IDENTITY_OPERATIONS = new Set(['GET /wiki/rest/api/user/current', 'GET /wiki/rest/api/search/user']);

interface Pool {
  windowEndsAt: number;
  spent: number;
}

export interface PoolView {
  pool: string;
  policy: string;
  limit: number;
  spent: number;
  remaining: number;
  window_seconds: number;
  resets_at: string;
}

/** What a request is told before it runs: go on, or the 429 to answer. */
export type Admission = { pool: string } | { pool: string; refused: Response };

export class PointsQuota {
  config: QuotaConfig = { ...DEFAULT_QUOTA };
  readonly #pools = new Map<string, Pool>();
  /** Quota 429s answered since the reset. */
  refusals = 0;
  readonly #clock: VirtualClock;

  constructor(clock: VirtualClock) {
    this.#clock = clock;
  }

  reset(baseline: QuotaConfig = DEFAULT_QUOTA): void {
    this.config = { ...baseline, site_points: { ...baseline.site_points } };
    this.#pools.clear();
    this.refusals = 0;
  }

  clearPools(): void {
    this.#pools.clear();
  }

  /** The pool a call of this app on this site draws from. */
  poolName(clientId: string, cloudId: string): string {
    return this.config.tier === 'global' ? `app:${clientId}` : `site:${clientId}:${cloudId}`;
  }

  get policy(): string {
    return this.config.tier === 'global' ? 'global-app-quota' : 'tenant-app-quota';
  }

  /** Before a call: a 429 when its pool is spent. */
  admit(pool: string): Admission {
    const state = this.#pool(pool);
    if (state.spent < this.#size(pool)) return { pool };
    this.refusals++;
    const headers = this.#headers(pool);
    const retryAfter = Math.max(1, Math.ceil((state.windowEndsAt - this.#clock.now()) / 1000));
    headers.set('Retry-After', String(retryAfter));
    headers.set(
      'RateLimit-Reason',
      this.config.tier === 'global' ? 'confluence-quota-global-based' : 'confluence-quota-tenant-based',
    );
    headers.set('Content-Type', 'application/json');
    const body = {
      errors: [
        {
          status: 429,
          code: 'TOO_MANY_REQUESTS',
          title: 'Rate limit exceeded: the points quota for this period is spent.',
          detail: null,
        },
      ],
    };
    return { pool, refused: new Response(JSON.stringify(body), { status: 429, headers }) };
  }

  /** After a call: charges what it cost and returns the headers its answer carries. */
  charge(pool: string, operation: string, method: string, status: number, body: unknown): Headers {
    this.#pool(pool).spent += priceOf(operation, method, status, body);
    return this.#headers(pool);
  }

  /** Spending by someone else (another deployment of the same app), for tests. */
  spend(pool: string, points: number): void {
    this.#pool(pool).spent += points;
  }

  view(pool: string): PoolView {
    const state = this.#pool(pool);
    const limit = this.#size(pool);
    return {
      pool,
      policy: this.policy,
      limit,
      spent: state.spent,
      remaining: Math.max(0, limit - state.spent),
      window_seconds: this.config.window_seconds,
      resets_at: new Date(state.windowEndsAt).toISOString(),
    };
  }

  pools(): PoolView[] {
    return [...this.#pools.keys()].map((name) => this.view(name));
  }

  #size(pool: string): number {
    if (this.config.tier === 'tenant') {
      const cloudId = pool.split(':').at(-1) ?? '';
      return this.config.site_points[cloudId] ?? this.config.points;
    }
    return this.config.points;
  }

  /** The pool, emptied when its window has ended. */
  #pool(name: string): Pool {
    const now = this.#clock.now();
    const windowMs = this.config.window_seconds * 1000;
    let pool = this.#pools.get(name);
    if (!pool || now >= pool.windowEndsAt) {
      pool = { spent: 0, windowEndsAt: (Math.floor(now / windowMs) + 1) * windowMs };
      this.#pools.set(name, pool);
    }
    return pool;
  }

  #headers(pool: string): Headers {
    const state = this.#pool(pool);
    const limit = this.#size(pool);
    const remaining = Math.max(0, limit - state.spent);
    const reset = Math.max(0, Math.ceil((state.windowEndsAt - this.#clock.now()) / 1000));
    const near = remaining < limit * NEAR_LIMIT_SHARE;
    const prefix = this.config.beta_headers ? 'Beta-' : '';
    const headers = new Headers();
    headers.set(`${prefix}RateLimit-Policy`, `"${this.policy}";q=${limit};w=${this.config.window_seconds}`);
    headers.set(`${prefix}RateLimit`, `"${this.policy}";${near ? `r=${remaining};` : ''}t=${reset}`);
    if (near) headers.set('X-RateLimit-NearLimit', 'true');
    return headers;
  }
}

/** Atlassian's price of one answered request. */
export function priceOf(operation: string, method: string, status: number, body: unknown): number {
  if (method !== 'GET' || status < 200 || status >= 400) return 1;
  const results = (body as { results?: unknown } | null)?.results;
  const objects = Array.isArray(results) ? results.length : 1;
  return 1 + objects * (IDENTITY_OPERATIONS.has(operation) ? 2 : 1);
}

/** Reads `POST /_emulator/quota`: any of the config's fields; throws with a message for the 400. */
export function applyQuotaConfig(quota: PointsQuota, input: unknown): void {
  const body = (input ?? {}) as Record<string, unknown>;
  const next = { ...quota.config, site_points: { ...quota.config.site_points } };
  if (body.tier !== undefined) {
    if (body.tier !== 'global' && body.tier !== 'tenant')
      throw new Error('"tier" must be "global" or "tenant"');
    next.tier = body.tier;
  }
  for (const field of ['points', 'window_seconds'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`"${field}" must be a positive integer`);
    }
    next[field] = value;
  }
  if (body.site_points !== undefined) {
    const sites = body.site_points as Record<string, unknown>;
    if (!sites || typeof sites !== 'object' || Array.isArray(sites)) {
      throw new Error('"site_points" must be an object of cloud id → points');
    }
    for (const [cloudId, points] of Object.entries(sites)) {
      if (typeof points !== 'number' || !Number.isInteger(points) || points < 1) {
        throw new Error(`"site_points.${cloudId}" must be a positive integer`);
      }
      next.site_points[cloudId] = points;
    }
  }
  if (body.beta_headers !== undefined) {
    if (typeof body.beta_headers !== 'boolean') throw new Error('"beta_headers" must be a boolean');
    next.beta_headers = body.beta_headers;
  }
  // Another tier or window starts new pools; another size keeps what was spent.
  const fresh = next.tier !== quota.config.tier || next.window_seconds !== quota.config.window_seconds;
  quota.config = next;
  if (fresh) quota.clearPools();
}
