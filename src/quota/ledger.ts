import { DurableObject } from 'cloudflare:workers';
import type { QuotaReading, QuotaTier } from './headers.ts';
import { APP_POOL, DEFAULT_INTEGRATION_SHARE, RESERVE_SHARE, SMALL_CALL_POINTS } from './rules.ts';

/**
 * One points pool of Atlassian's quota, strongly consistent: the app's (Tier 1, "global-app-quota",
 * named `app`) or, once Atlassian reports "tenant-app-quota", one per site (named `site:<cloud id>`).
 *
 * Isolates do not visit it per call: they lease slices (sync below) and spend them from memory
 * (meter.ts). The pool counts what it leased (`committed`, the limiter) and what isolates report as
 * actually spent (`used`, what GET /api/v1/quota shows). Atlassian is the truth: its RateLimit-Policy
 * sets the size and window, its RateLimit the remaining points and the reset whenever it sends them,
 * and a 429 of a spent pool empties the pool until Retry-After. Until Atlassian has said anything,
 * the pool is ATLASSIAN_POINTS_PER_HOUR over the UTC hour.
 *
 * Fair shares: each integration may lease at most its allowance per window (POINTS_PER_INTEGRATION_PER_HOUR,
 * default 10% of the pool), and under the reserve (the last 20%, Atlassian's near-limit line) only
 * calls predicted at ≤ 10 points get a slice. State lives in memory and in the object's storage, so
 * an eviction loses nothing.
 */

/** The lines at which the pool logs `quota_threshold` (share of the pool used). */
const THRESHOLDS = [0.5, 0.8, 1] as const;

/** What an isolate sends: what it needs, what it gives back, what it spent, what Atlassian said. */
export interface SyncRequest {
  /** The pool's name: `app`, or `site:<cloud id>`. */
  pool: string;
  integrationId: string;
  /** Its name, for GET /api/v1/quota (reports without a lease may leave it out). */
  integrationName?: string;
  /** Points of the pool this isolate wants (0: none) and of the integration's allowance. */
  wantPool: number;
  wantShare: number;
  /** The predicted price of the call that needs the slice: decides whether the reserve is open to it. */
  need: number;
  /** Unused slices given back. */
  returnedPool: number;
  returnedShare: number;
  /** Points the integration spent since its last report, and points the read cache saved it. */
  spent: number;
  saved: number;
  /** The latest reading of Atlassian's headers, when it says something new, with when it was read. */
  reading?: QuotaReading & { at: number };
  /** Atlassian answered 429 for a spent pool: empty until this time (ms). */
  exhaustedUntil?: number;
  settings: { pointsPerHour: number; pointsPerIntegrationPerHour?: number };
}

export interface PoolStatus {
  /** Counts the pool's windows: a slice is good for the window it was leased in. */
  window: number;
  tier: QuotaTier;
  size: number;
  windowSeconds: number;
  resetsAt: number;
  /** Points not yet leased (the limiter's view). */
  available: number;
  /** Points spent, as reported by the isolates or said by Atlassian. */
  used: number;
  source: 'atlassian' | 'counted';
}

export interface SyncAnswer extends PoolStatus {
  /** Another pool serves this call (the app is on Tier 2: one pool per site). */
  tenantPools?: true;
  grantedPool: number;
  grantedShare: number;
  /** The pool slice may be spent only on small calls (the pool is under its reserve). */
  reserveOnly: boolean;
  allowance: number;
  shareUsed: number;
  refused?: 'integration' | 'app';
}

interface Share {
  name: string;
  /** Leased from the allowance this window, less what was given back. */
  granted: number;
  /** Reported as spent this window. */
  spent: number;
}

interface State {
  window: number;
  tier: QuotaTier;
  size: number;
  sizeFromAtlassian: boolean;
  windowSeconds: number;
  resetsAt: number;
  committed: number;
  used: number;
  /** Atlassian said how many points remain during this window. */
  heardRemaining: boolean;
  exhaustedUntil: number;
  saved: number;
  logged: number;
  shares: Record<string, Share>;
  /** Tier 2, on the app's object: the sites whose pools exist. */
  sites: string[];
}

const STATE_KEY = 'state';

/** How long the ledger remembers when it leased what (to weigh a reading against what came after). */
const LEASE_HISTORY_MS = 60_000;

export class QuotaLedger extends DurableObject<Env> {
  #state: State | undefined;
  /** Every lease of the last minute: when, and the running total of points leased before it. */
  #leases: { at: number; before: number }[] = [];
  #leasedTotal = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#state = ctx.storage.kv.get<State>(STATE_KEY);
  }

  /** Leases, returns, reports and readings in one round trip. */
  async sync(request: SyncRequest): Promise<SyncAnswer> {
    const state = this.#current(request.settings);
    state.shares[request.integrationId] ??= { name: '', granted: 0, spent: 0 };
    const share = state.shares[request.integrationId] as Share;
    if (request.integrationName !== undefined) share.name = request.integrationName;
    state.committed = Math.max(0, state.committed - request.returnedPool);
    share.granted = Math.max(0, share.granted - request.returnedShare);
    share.spent += request.spent;
    state.used += request.spent;
    state.saved += request.saved;
    if (request.reading) this.#adopt(state, request.reading);
    if (request.exhaustedUntil) this.#exhaust(state, request.exhaustedUntil);
    const answer = this.#lease(state, share, request);
    this.#logThresholds(state, request.pool);
    this.#save();
    return answer;
  }

  /** The pool as GET /api/v1/quota shows it. */
  async describe(settings: SyncRequest['settings']): Promise<
    PoolStatus & {
      saved: number;
      allowance: number;
      sites: string[];
      integrations: { id: string; name: string; spent: number }[];
    }
  > {
    const state = this.#current(settings);
    return {
      ...this.#status(state),
      saved: state.saved,
      allowance: allowanceOf(state, settings),
      sites: state.sites,
      integrations: Object.entries(state.shares)
        .map(([id, share]) => ({ id, name: share.name, spent: share.spent }))
        .sort((a, b) => b.spent - a.spent || a.id.localeCompare(b.id)),
    };
  }

  /** The app's object, Tier 2: remember a site whose pool exists (for GET /api/v1/quota). */
  async noteSite(cloudId: string, settings: SyncRequest['settings']): Promise<void> {
    const state = this.#current(settings);
    state.tier = 'tenant';
    if (!state.sites.includes(cloudId)) state.sites.push(cloudId);
    this.#save();
  }

  /** The state of the current window (a new one once the reset has passed). */
  #current(settings: SyncRequest['settings']): State {
    const now = Date.now();
    let state = this.#state;
    if (!state) {
      state = {
        window: 1,
        tier: 'global',
        size: settings.pointsPerHour,
        sizeFromAtlassian: false,
        windowSeconds: 3600,
        resetsAt: nextBoundary(now, 3600),
        committed: 0,
        used: 0,
        heardRemaining: false,
        exhaustedUntil: 0,
        saved: 0,
        logged: 0,
        shares: {},
        sites: [],
      };
      this.#state = state;
    }
    if (!state.sizeFromAtlassian) state.size = settings.pointsPerHour;
    if (now >= state.resetsAt) roll(state, nextBoundary(now, state.windowSeconds));
    return state;
  }

  /** Atlassian's word over the count: size and window, remaining points, reset. */
  #adopt(state: State, reading: QuotaReading & { at: number }): void {
    if (reading.tier !== state.tier) state.tier = reading.tier;
    if (reading.size !== undefined) {
      state.size = reading.size;
      state.sizeFromAtlassian = true;
    }
    if (reading.windowSeconds !== undefined) state.windowSeconds = reading.windowSeconds;
    if (reading.resetSeconds !== undefined) {
      const resetsAt = onWindowGrid(reading.at + reading.resetSeconds * 1000, state.windowSeconds);
      // A reset later than ours by more than half a window: Atlassian has begun a new window.
      if (resetsAt - state.resetsAt > (state.windowSeconds * 1000) / 2) roll(state, resetsAt);
      else state.resetsAt = resetsAt;
    }
    if (reading.remaining !== undefined) {
      // What Atlassian counted, by every deployment of the app. The limiter only ever rises to it: a
      // reading is as old as the answer that carried it, and slices leased since are not in it.
      state.used = Math.max(0, state.size - reading.remaining);
      state.committed = Math.max(state.committed, state.used);
      state.heardRemaining = true;
    } else if (reading.size !== undefined || reading.resetSeconds !== undefined) {
      // No `r`: Atlassian sends it from the near-limit line down, so when this answer left, at least
      // the reserve remained. A count above that line plus what was leased since ran ahead of
      // Atlassian's (slices held by isolates that went away): it comes back down to it.
      const since = this.#leasedSince(reading.at);
      if (since !== undefined) {
        const ceiling = state.size * (1 - RESERVE_SHARE) + since;
        state.committed = Math.min(state.committed, ceiling);
        state.used = Math.min(state.used, ceiling);
      }
    }
  }

  /** Points leased since `at`, from the last minute's leases; undefined for an older time. */
  #leasedSince(at: number): number | undefined {
    if (at < Date.now() - LEASE_HISTORY_MS) return undefined;
    const first = this.#leases.find((entry) => entry.at > at);
    return first ? this.#leasedTotal - first.before : 0;
  }

  /** Keeps the running total of leased points, with the last minute's history. */
  #noteLease(points: number): void {
    const now = Date.now();
    this.#leases.push({ at: now, before: this.#leasedTotal });
    this.#leasedTotal += points;
    while ((this.#leases[0]?.at ?? now) < now - LEASE_HISTORY_MS) this.#leases.shift();
  }

  /** Atlassian answered 429: the pool is spent until the time it gave. */
  #exhaust(state: State, until: number): void {
    // Atlassian's Retry-After runs to its reset: the window ends then.
    state.resetsAt = until;
    state.exhaustedUntil = until;
    state.committed = state.size;
    state.used = state.size;
    state.heardRemaining = true;
  }

  #lease(state: State, share: Share, request: SyncRequest): SyncAnswer {
    const allowance = allowanceOf(state, request.settings);
    const refuse = (refused: 'integration' | 'app'): SyncAnswer => ({
      ...this.#status(state),
      grantedPool: 0,
      grantedShare: 0,
      reserveOnly: refused === 'app',
      allowance,
      shareUsed: share.granted,
      refused,
    });
    const answer: SyncAnswer = {
      ...this.#status(state),
      grantedPool: 0,
      grantedShare: 0,
      reserveOnly: false,
      allowance,
      shareUsed: share.granted,
    };
    if (state.tier === 'tenant' && request.pool === APP_POOL) return { ...answer, tenantPools: true };
    if (Date.now() < state.exhaustedUntil) return refuse('app');
    const shareLeft = allowance - share.granted;
    if (request.wantShare > 0 && shareLeft < request.need) return refuse('integration');
    const grantedShare = Math.min(request.wantShare, shareLeft);

    let grantedPool = 0;
    let reserveOnly = false;
    if (request.wantPool > 0) {
      const left = state.size - state.committed;
      const aboveReserve = left - state.size * RESERVE_SHARE;
      if (aboveReserve >= request.need) {
        grantedPool = Math.min(request.wantPool, aboveReserve);
      } else if (request.need <= SMALL_CALL_POINTS && left >= request.need) {
        grantedPool = Math.min(request.wantPool, left);
        reserveOnly = true;
      } else {
        return refuse('app');
      }
    }
    state.committed += grantedPool;
    if (grantedPool > 0) this.#noteLease(grantedPool);
    share.granted += grantedShare;
    return {
      ...answer,
      ...this.#status(state),
      grantedPool,
      grantedShare,
      // Under the reserve line, every slice an isolate holds serves small calls only (but one just
      // granted from above the line is the caller's to spend).
      reserveOnly:
        reserveOnly || (grantedPool === 0 && state.size - state.committed < state.size * RESERVE_SHARE),
      shareUsed: share.granted,
    };
  }

  #status(state: State): PoolStatus {
    const exhausted = Date.now() < state.exhaustedUntil;
    return {
      window: state.window,
      tier: state.tier,
      size: state.size,
      windowSeconds: state.windowSeconds,
      resetsAt: exhausted ? Math.max(state.resetsAt, state.exhaustedUntil) : state.resetsAt,
      available: exhausted ? 0 : Math.max(0, state.size - state.committed),
      used: state.used,
      source: state.heardRemaining ? 'atlassian' : 'counted',
    };
  }

  /** One log line each time the pool's use crosses 50%, 80% and 100% in a window. */
  #logThresholds(state: State, pool: string): void {
    const share = Math.max(state.used, state.committed) / state.size;
    for (const line of THRESHOLDS) {
      if (share < line || state.logged >= line) continue;
      state.logged = line;
      console.log(
        JSON.stringify({
          event: 'quota_threshold',
          pool,
          percent: line * 100,
          used: Math.round(Math.max(state.used, state.committed)),
          limit: state.size,
          resets_at: new Date(state.resetsAt).toISOString(),
        }),
      );
    }
  }

  #save(): void {
    this.ctx.storage.kv.put(STATE_KEY, this.#state);
  }
}

/** A new window, ending at `resetsAt`: nothing spent, nothing leased. */
function roll(state: State, resetsAt: number): void {
  state.window += 1;
  state.resetsAt = resetsAt;
  state.committed = 0;
  state.used = 0;
  state.heardRemaining = false;
  state.exhaustedUntil = 0;
  state.saved = 0;
  state.logged = 0;
  state.shares = {};
}

/** An integration's allowance for one window of this pool. */
function allowanceOf(state: State, settings: SyncRequest['settings']): number {
  const perHour = settings.pointsPerIntegrationPerHour;
  // An explicit hourly allowance scales with a window other than Atlassian's hour.
  const allowance =
    perHour === undefined ? state.size * DEFAULT_INTEGRATION_SHARE : (perHour * state.windowSeconds) / 3600;
  return Math.max(1, Math.floor(allowance));
}

/**
 * Atlassian's windows end on a fixed grid (the top of each UTC hour for 3600 s): a reset computed
 * from `t` (whole seconds, read a moment after it was sent) is put back on it when it lies close.
 */
function onWindowGrid(resetsAt: number, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  const grid = Math.round(resetsAt / windowMs) * windowMs;
  return Math.abs(grid - resetsAt) <= Math.min(15_000, windowMs / 10) ? grid : resetsAt;
}

/** The end of the fixed window of `windowSeconds` that contains `now` (the top of the UTC hour for 3600). */
function nextBoundary(now: number, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  return (Math.floor(now / windowMs) + 1) * windowMs;
}
