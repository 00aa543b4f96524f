import type { QuotaReading, QuotaTier } from './headers.ts';
import type { SyncAnswer, SyncRequest } from './ledger.ts';
import { quotaExhausted } from './refusal.ts';
import { APP_POOL, DEFAULT_INTEGRATION_SHARE, RESERVE_SHARE, SMALL_CALL_POINTS } from './rules.ts';

/**
 * This isolate's side of the points ledger (ledger.ts): slices of the pool and of each integration's
 * allowance, leased in one round trip and spent from memory, so a warm call costs a few comparisons
 * and no Durable Object call. A call reserves its predicted price before it is sent and settles on
 * the charged price after (the difference goes back into the slices); a refusal decided here from
 * what the last lease said is re-checked with the ledger at most every RECHECK_MS.
 *
 * The price of leasing: a slice an isolate holds and does not use is unavailable to others until it
 * leases again (it then gives the rest back) or the window ends. Slices are small (1% of the pool,
 * 5% of an allowance) so that what isolates hold stays far inside the reserve.
 */

/** How long a refusal decided from a lease's answer stands before the ledger is asked again. */
const RECHECK_MS = 5_000;
/** A pool slice: this share of the pool (at least the call's price). */
const POOL_SLICE_SHARE = 0.01;
/** An allowance slice: this share of the integration's allowance (at least the call's price). */
const SHARE_SLICE_SHARE = 0.05;
/** While the ledger cannot be reached, how long a locally granted slice lasts. */
const UNAVAILABLE_RETRY_MS = 5_000;
/** A reset Atlassian states this far from the ledger's is news worth reporting. */
const RESET_TOLERANCE_MS = 5_000;

export interface QuotaSettings {
  /** The app's Confluence client id: pools are the app's, so each app has its own ledgers. */
  app: string;
  pointsPerHour: number;
  pointsPerIntegrationPerHour?: number;
}

interface PoolSlice {
  /** The ledger's window the slice was leased in. */
  window?: number;
  left: number;
  /** Points of the slice given up (Atlassian said they are not there), to hand back at the next sync. */
  giveBack: number;
  reserveOnly: boolean;
  tier: QuotaTier;
  size: number;
  /** Points the ledger had not leased yet, when it last answered. */
  available: number;
  resetsAt: number;
  /** Until when the last answer may decide a refusal here. */
  freshUntil: number;
}

interface ShareSlice {
  window?: number;
  left: number;
  /** Allowance the ledger had not leased yet, when it last answered. */
  unleased: number;
  allowance: number;
  resetsAt: number;
  freshUntil: number;
  /** Spent and saved since the last report. */
  spent: number;
  saved: number;
}

const pools = new Map<string, PoolSlice>();
const shares = new Map<string, ShareSlice>();
const syncs = new Map<string, Promise<SyncAnswer | undefined>>();
/** Atlassian's latest word per pool, when it differs from what the ledger said: sent with the next sync. */
const readings = new Map<string, QuotaReading & { at: number }>();
/** Per app: is it on Tier 2 (a pool per site)? Learnt from Atlassian's headers or the app's ledger. */
const tenantTier = new Map<string, boolean>();
/**
 * How often a lease drops the slices of windows that have ended. A slice holds points only until its
 * window ends, and one is kept per integration this isolate served: without the sweep, an isolate
 * that served thousands of integrations over hours would keep a slice for each.
 */
const SWEEP_MS = 60_000;
let sweptAt = 0;

/** What one Confluence request reserved. */
export interface Reservation {
  need: number;
  /** The pool's name (`app`, `site:<cloud id>`) and this isolate's keys for its slices. */
  pool: string;
  key: string;
  share: string;
}

/** The integration a meter spends for. */
export interface MeteredIntegration {
  id: string;
  name: string;
  cloudId: string;
}

/**
 * One tool call's meter: reserves before each Confluence request, settles after, and adds up what
 * the call cost (`points`) and what the read cache saved it (`saved`).
 */
export class QuotaMeter {
  points = 0;
  saved = 0;
  readonly #env: Env;
  readonly #integration: MeteredIntegration;
  readonly #settings: QuotaSettings;
  readonly #waitUntil: (promise: Promise<unknown>) => void;

  constructor(
    env: Env,
    integration: MeteredIntegration,
    settings: QuotaSettings,
    waitUntil: (promise: Promise<unknown>) => void,
  ) {
    this.#env = env;
    this.#integration = integration;
    this.#settings = settings;
    this.#waitUntil = waitUntil;
  }

  /** Spends `need` points from this isolate's slices, leasing when they are short; throws quota_exhausted. */
  async reserve(need: number): Promise<Reservation> {
    for (let attempt = 0; ; attempt++) {
      const { pool, key, share } = this.#keys();
      const now = Date.now();
      const p = current(pools, key, now);
      const s = current(shares, share, now);
      const poolOk = p !== undefined && p.left >= need && !(p.reserveOnly && need > SMALL_CALL_POINTS);
      const shareOk = s !== undefined && s.left >= need;
      if (poolOk && shareOk) {
        p.left -= need;
        s.left -= need;
        return { need, pool, key, share };
      }
      const refused = localRefusal(p, s, need, now, attempt > 0);
      if (refused) throw quotaExhausted(refused, need, this.#integration.id, this.#settings);
      await this.#sync(pool, need, !poolOk, !shareOk);
    }
  }

  /** After the answer: the charged price replaces the predicted one; Atlassian's headers are read. */
  settle(reservation: Reservation, charged: number, reading: QuotaReading | undefined): void {
    this.points += charged;
    const refund = reservation.need - charged;
    const p = pools.get(reservation.key);
    const s = shares.get(reservation.share);
    if (p) p.left += refund;
    if (s) {
      s.left += refund;
      s.spent += charged;
    }
    if (reading) this.#observe(reading);
  }

  /** A read answered from the cache: nothing spent, `points` saved. */
  savedByCache(points: number): void {
    this.saved += points;
    const s = shares.get(this.#keys().share);
    if (s) s.saved += points;
  }

  /**
   * Atlassian answered 429 because the pool is spent (another deployment of the app, or a count that
   * drifted): refuse here until its Retry-After, tell the ledger, and return the error for the caller.
   */
  async exhausted(
    reservation: Reservation,
    tier: QuotaTier,
    retryAfterSeconds: number,
    reading?: QuotaReading,
  ) {
    const until = Date.now() + retryAfterSeconds * 1000;
    if (reading) this.#noteTier(reading.tier);
    const p = pools.get(reservation.key);
    if (p) Object.assign(p, { left: 0, available: 0, resetsAt: until, freshUntil: until });
    try {
      await this.#ledger(reservation.pool).sync({
        ...this.#request(reservation.pool, 0, 0, 0),
        exhaustedUntil: until,
      });
    } catch (error) {
      logUnavailable(error);
    }
    return quotaExhausted(
      { scope: 'app', resetsAt: until, tier, fromAtlassian: true },
      reservation.need,
      this.#integration.id,
      this.#settings,
    );
  }

  /** Atlassian's headers: report what the ledger does not know yet (size, tier, remaining, reset). */
  #observe(reading: QuotaReading): void {
    const at = Date.now();
    this.#noteTier(reading.tier);
    const { pool, key, share } = this.#keys();
    const p = pools.get(key);
    const tolerance = p ? Math.max(20, p.size * 2 * POOL_SLICE_SHARE) : 0;
    const news =
      !p ||
      reading.tier !== p.tier ||
      (reading.size !== undefined && reading.size !== p.size) ||
      // Less left than the ledger thinks: someone else (another deployment) is spending the pool.
      (reading.remaining !== undefined && reading.remaining < p.available + p.left - tolerance) ||
      // Atlassian says the reserve is intact while the ledger's count is at it or under it.
      (reading.remaining === undefined &&
        p.available + p.left <= (reading.size ?? p.size) * RESERVE_SHARE + tolerance) ||
      (reading.resetSeconds !== undefined &&
        Math.abs(at + reading.resetSeconds * 1000 - p.resetsAt) > RESET_TOLERANCE_MS);
    if (!news) return;
    if (p && reading.remaining !== undefined)
      holdNoMoreThanRemains(p, reading.remaining, reading.size ?? p.size);
    readings.set(key, { ...reading, at });
    // Told now, after the answer: the next call should already lease by Atlassian's numbers.
    if (p && !syncs.has(share)) this.#waitUntil(this.#sync(pool, 0, false, false));
  }

  #noteTier(tier: QuotaTier): void {
    const tenant = tier === 'tenant';
    if (tenantTier.get(this.#settings.app) === tenant) return;
    tenantTier.set(this.#settings.app, tenant);
    if (tenant) this.#noteSite();
  }

  #noteSite(): void {
    const settings = this.#request(APP_POOL, 0, 0, 0).settings;
    this.#waitUntil(
      this.#ledger(APP_POOL).noteSite(this.#integration.cloudId, settings).catch(logUnavailable),
    );
  }

  /** One lease (and report) per pool and integration at a time; concurrent callers share it. */
  #sync(pool: string, need: number, wantPool: boolean, wantShare: boolean) {
    const key = `${this.#settings.app}/${pool}`;
    const shareKey = `${key}|${this.#integration.id}`;
    let pending = syncs.get(shareKey);
    if (!pending) {
      pending = this.#leaseFrom(pool, key, shareKey, need, wantPool, wantShare).finally(() =>
        syncs.delete(shareKey),
      );
      syncs.set(shareKey, pending);
    }
    return pending;
  }

  async #leaseFrom(
    pool: string,
    key: string,
    shareKey: string,
    need: number,
    wantPool: boolean,
    wantShare: boolean,
  ) {
    const now = Date.now();
    if (now - sweptAt >= SWEEP_MS) dropEnded(now);
    const p = current(pools, key, now);
    const s = current(shares, shareKey, now);
    const poolSlice = wantPool
      ? Math.max(need, Math.ceil((p?.size ?? this.#settings.pointsPerHour) * POOL_SLICE_SHARE))
      : 0;
    // Until the ledger has said the allowance, the default one is a fair guess for the first slice.
    const allowance =
      s?.allowance ??
      this.#settings.pointsPerIntegrationPerHour ??
      (p?.size ?? this.#settings.pointsPerHour) * DEFAULT_INTEGRATION_SHARE;
    const shareSlice = wantShare ? Math.max(need, Math.ceil(allowance * SHARE_SLICE_SHARE)) : 0;
    // What is left of a slice being replaced goes back to the ledger.
    const replaced = wantPool && p ? Math.max(0, p.left) : 0;
    const returnedPool = replaced + (p?.giveBack ?? 0);
    const returnedShare = wantShare && s ? Math.max(0, s.left) : 0;
    if (p) {
      p.left -= replaced;
      p.giveBack = 0;
    }
    if (s && wantShare) s.left -= returnedShare;
    const request: SyncRequest = {
      ...this.#request(pool, need, poolSlice, shareSlice),
      returnedPool,
      returnedShare,
      spent: s?.spent ?? 0,
      saved: s?.saved ?? 0,
      reading: readings.get(key),
    };
    if (s) {
      s.spent = 0;
      s.saved = 0;
    }
    readings.delete(key);
    let answer: SyncAnswer;
    try {
      answer = await this.#ledger(pool).sync(request);
    } catch (error) {
      // The ledger guards the shared pool; it must not become an outage of its own. Without it, this
      // isolate grants the call its price for a few seconds and asks again after that.
      logUnavailable(error);
      if (s) Object.assign(s, { spent: s.spent + request.spent, saved: s.saved + request.saved });
      const until = Date.now() + UNAVAILABLE_RETRY_MS;
      grant(pools, key, need, until, {
        reserveOnly: false,
        tier: p?.tier ?? 'global',
        size: p?.size ?? this.#settings.pointsPerHour,
        available: p?.available ?? need,
      });
      // The grant is for a few seconds, but what it spends is of the ledger's window: the slice
      // keeps that window's end, so the sweep leaves its counts for the next report.
      grantShare(
        shareKey,
        need,
        until,
        Math.max(until, s?.resetsAt ?? 0),
        s?.allowance ?? need,
        s?.unleased ?? need,
      );
      return undefined;
    }
    if (answer.tenantPools) {
      tenantTier.set(this.#settings.app, true);
      return answer;
    }
    // A site's pool this isolate had not used yet: the app's object lists it for GET /api/v1/quota.
    if (pool !== APP_POOL && !p) this.#noteSite();
    const freshUntil = Math.min(answer.resetsAt, Date.now() + RECHECK_MS);
    const poolSlice2 = pools.get(key);
    pools.set(key, {
      window: answer.window,
      left: (sameWindow(poolSlice2, answer) ? (poolSlice2?.left ?? 0) : 0) + answer.grantedPool,
      giveBack: poolSlice2?.giveBack ?? 0,
      reserveOnly: answer.reserveOnly,
      tier: answer.tier,
      size: answer.size,
      available: answer.available,
      resetsAt: answer.resetsAt,
      freshUntil,
    });
    const shareSlice2 = shares.get(shareKey);
    shares.set(shareKey, {
      window: answer.window,
      left: (sameWindow(shareSlice2, answer) ? (shareSlice2?.left ?? 0) : 0) + answer.grantedShare,
      unleased: Math.max(0, answer.allowance - answer.shareUsed),
      allowance: answer.allowance,
      resetsAt: answer.resetsAt,
      freshUntil,
      spent: shareSlice2?.spent ?? 0,
      saved: shareSlice2?.saved ?? 0,
    });
    return answer;
  }

  #request(pool: string, need: number, wantPool: number, wantShare: number): SyncRequest {
    return {
      pool,
      integrationId: this.#integration.id,
      integrationName: this.#integration.name,
      wantPool,
      wantShare,
      need,
      returnedPool: 0,
      returnedShare: 0,
      spent: 0,
      saved: 0,
      settings: {
        pointsPerHour: this.#settings.pointsPerHour,
        ...(this.#settings.pointsPerIntegrationPerHour !== undefined && {
          pointsPerIntegrationPerHour: this.#settings.pointsPerIntegrationPerHour,
        }),
      },
    };
  }

  #ledger(pool: string) {
    return ledgerOf(this.#env, this.#settings.app, pool);
  }

  /** The pool this integration's calls draw from now, and this isolate's keys for its slices. */
  #keys(): { pool: string; key: string; share: string } {
    const pool = poolName(this.#settings.app, this.#integration.cloudId);
    const key = `${this.#settings.app}/${pool}`;
    return { pool, key, share: `${key}|${this.#integration.id}` };
  }
}

/** The ledger object of one pool of one app. */
export function ledgerOf(env: Env, app: string, pool: string) {
  return env.QUOTA_LEDGER.get(env.QUOTA_LEDGER.idFromName(`${app}/${pool}`));
}

/** The pool a call on this site draws from: the app's, or the site's once the app is on Tier 2. */
function poolName(app: string, cloudId: string): string {
  return tenantTier.get(app) ? `site:${cloudId}` : APP_POOL;
}

/**
 * Atlassian says only `remaining` points are left: this isolate's slice may not claim more of them
 * above the reserve than there are (nor more than remain at all, once it serves the reserve). What
 * it gives up goes back to the ledger with the next sync; under the reserve line, the rest of the
 * slice serves small calls only.
 */
function holdNoMoreThanRemains(p: PoolSlice, remaining: number, size: number): void {
  const aboveReserve = Math.max(0, remaining - size * RESERVE_SHARE);
  const keep = Math.min(p.left, p.reserveOnly || aboveReserve === 0 ? remaining : aboveReserve);
  const giveUp = Math.max(0, p.left - keep);
  p.left -= giveUp;
  p.giveBack += giveUp;
  if (aboveReserve === 0) p.reserveOnly = true;
  p.size = size;
  p.available = Math.min(p.available, Math.max(0, remaining - p.left));
}

/** Whether a slice was leased in the window a ledger's answer speaks of (its reset may have been corrected since). */
function sameWindow(slice: { window?: number } | undefined, answer: SyncAnswer): boolean {
  return slice !== undefined && slice.window === answer.window;
}

/** Drops every slice of a window that has ended (what it held is the ended window's, not the next one's). */
function dropEnded(now: number): void {
  sweptAt = now;
  for (const map of [pools, shares] as Map<string, { resetsAt: number }>[]) {
    for (const [key, slice] of map) if (now >= slice.resetsAt) map.delete(key);
  }
}

/** How many slices this isolate holds, of pools and of integrations' allowances. */
export function heldSlices(): number {
  return pools.size + shares.size;
}

/** A slice of the current window, or undefined (a slice of an ended window is dropped). */
function current<T extends { resetsAt: number }>(
  map: Map<string, T>,
  key: string,
  now: number,
): T | undefined {
  const slice = map.get(key);
  if (slice && now >= slice.resetsAt) {
    map.delete(key);
    return undefined;
  }
  return slice;
}

export interface LocalRefusal {
  scope: 'integration' | 'app';
  resetsAt: number;
  tier: QuotaTier;
  /** The pool is under its reserve (rather than spent). */
  reserve?: boolean;
  allowance?: number;
}

/**
 * A refusal this isolate can decide without the ledger: from what the ledger said less than
 * RECHECK_MS ago (or just now, `fresh`), the call cannot be served.
 */
function localRefusal(
  p: PoolSlice | undefined,
  s: ShareSlice | undefined,
  need: number,
  now: number,
  fresh: boolean,
): LocalRefusal | undefined {
  if (p && (fresh || now < p.freshUntil)) {
    const usable = p.available + (p.reserveOnly ? 0 : p.left);
    if (p.available + p.left < need) return { scope: 'app', resetsAt: p.resetsAt, tier: p.tier };
    if (need > SMALL_CALL_POINTS && usable - p.size * RESERVE_SHARE < need) {
      return { scope: 'app', resetsAt: p.resetsAt, tier: p.tier, reserve: true };
    }
  }
  if (s && (fresh || now < s.freshUntil) && s.unleased + s.left < need) {
    return { scope: 'integration', resetsAt: s.resetsAt, tier: p?.tier ?? 'global', allowance: s.allowance };
  }
  return undefined;
}

function grant(
  map: Map<string, PoolSlice>,
  key: string,
  points: number,
  until: number,
  rest: Pick<PoolSlice, 'reserveOnly' | 'tier' | 'size' | 'available'>,
): void {
  map.set(key, { left: points, giveBack: 0, resetsAt: until, freshUntil: until, ...rest });
}

function grantShare(
  key: string,
  points: number,
  until: number,
  resetsAt: number,
  allowance: number,
  unleased: number,
): void {
  const s = shares.get(key);
  shares.set(key, {
    left: points,
    unleased,
    allowance,
    resetsAt,
    freshUntil: until,
    spent: s?.spent ?? 0,
    saved: s?.saved ?? 0,
  });
}

function logUnavailable(error: unknown): void {
  console.warn(JSON.stringify({ event: 'quota_ledger_unavailable', error: (error as Error).name }));
}

/**
 * Reports what this isolate's calls spent and saved and has not told the ledgers yet (GET
 * /api/v1/quota calls it first, so its answer includes this isolate's latest calls).
 */
export async function reportPendingUsage(env: Env, settings: QuotaSettings): Promise<void> {
  // What was spent in a window that has ended is not reported into the one that follows it.
  dropEnded(Date.now());
  const reports: Promise<unknown>[] = [];
  const prefix = `${settings.app}/`;
  for (const [key, s] of shares) {
    if (!key.startsWith(prefix) || (s.spent === 0 && s.saved === 0)) continue;
    const [pool = '', integrationId = ''] = key.slice(prefix.length).split('|');
    const request: SyncRequest = {
      pool,
      integrationId,
      wantPool: 0,
      wantShare: 0,
      need: 0,
      returnedPool: 0,
      returnedShare: 0,
      spent: s.spent,
      saved: s.saved,
      settings: {
        pointsPerHour: settings.pointsPerHour,
        pointsPerIntegrationPerHour: settings.pointsPerIntegrationPerHour,
      },
    };
    s.spent = 0;
    s.saved = 0;
    reports.push(ledgerOf(env, settings.app, pool).sync(request).catch(logUnavailable));
  }
  await Promise.all(reports);
}
