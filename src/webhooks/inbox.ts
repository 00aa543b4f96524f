import { DurableObject } from 'cloudflare:workers';
import { readSetting, tableExists, writeSetting } from '../lib/sql.ts';
import { timingSafeEqualText } from '../vault/crypto.ts';

/** What the inbox decided about one delivery, before its event is written to KV. */
export type Admission =
  /** Store it: write the event under `sortKey`, then `commit` (or `release` if the write failed). */
  | { status: 'new'; ticket: string; sortKey: string; receivedAt: number }
  | { status: 'duplicate' }
  | { status: 'unauthorized' }
  | { status: 'rate_limited'; retryAfterSeconds: number };

export interface Delivery {
  secretHash: string;
  /** SHA-256 of the X-Event-Id header, or else of the body's canonical JSON. */
  dedupeKey: string;
  /** WEBHOOK_RATE_LIMIT_PER_MINUTE, read by the Worker: an object's env is the deployed one. */
  capPerMinute: number;
}

const WINDOW_MS = 60_000;
/** Wrong secrets answered 401 per integration per minute; past that, 429 until the minute ends. */
export const WRONG_SECRETS_PER_MINUTE = 10;
/** How long a delivery may hold its claim while the Worker writes the event to KV. */
const CLAIM_TIMEOUT_MS = 30_000;
/** Stamps count microseconds below 9e15 (< 2^53, exact in a double) until the year 2255. */
const STAMP_CEILING = 9_000_000_000_000_000;

interface Claim {
  ticket: string;
  expiresAt: number;
  /** Resolves true once the event is stored, false if its write failed or was abandoned. */
  outcome: Promise<boolean>;
  settle(stored: boolean): void;
}

/**
 * One object per integration (named by its id): the only place a webhook delivery is admitted.
 *
 * Deduplication needs a compare-and-set that KV cannot give: of 100 concurrent copies of one event,
 * exactly one may store it. This object owns that decision, the per-minute delivery cap and the
 * hash of the webhook secret (so a rotation takes effect everywhere at once, not after KV's 60 s).
 *
 * The event itself is written to KV by the Worker between `admit` and `commit`. Copies arriving in
 * that window wait for the outcome instead of being acknowledged early: only an event that is in KV
 * is ever called a duplicate. The seen mark is written after the KV write succeeded, so a failed
 * write leaves nothing behind and the sender's retry is stored.
 */
export class WebhookInbox extends DurableObject<Env> {
  private readonly claims = new Map<string, Claim>();
  private lastStamp = 0;
  /** Wrong secrets in the current minute (memory only: an idle object may forget them). */
  private wrongSecrets = { count: 0, windowEndsAt: 0 };
  // Tables are created by the first secret, so a probe of a made-up integration id writes nothing.
  private hasTables = this.tablesExist();

  /** Replaces the webhook secret (its SHA-256): the previous one stops working with this call. */
  async setSecret(secretHash: string): Promise<void> {
    this.createTables();
    this.writeSetting('secret_hash', secretHash);
  }

  /**
   * Checks a delivery's secret. Past WRONG_SECRETS_PER_MINUTE wrong ones in a minute, further wrong
   * ones are answered `throttled` (429 with a wait) until the minute ends; the right secret always
   * passes, so a flood of guesses cannot lock out the real automation rule.
   */
  async checkSecret(
    secretHash: string,
  ): Promise<{ status: 'ok' | 'wrong' } | { status: 'throttled'; retryAfterSeconds: number }> {
    if (await this.verifySecret(secretHash)) return { status: 'ok' };
    const now = Date.now();
    if (now >= this.wrongSecrets.windowEndsAt)
      this.wrongSecrets = { count: 0, windowEndsAt: now + WINDOW_MS };
    this.wrongSecrets.count++;
    if (this.wrongSecrets.count <= WRONG_SECRETS_PER_MINUTE) return { status: 'wrong' };
    return {
      status: 'throttled',
      retryAfterSeconds: Math.max(1, Math.ceil((this.wrongSecrets.windowEndsAt - now) / 1000)),
    };
  }

  /** Whether a delivery's secret is the current one. An inbox without a secret refuses everyone. */
  async verifySecret(secretHash: string): Promise<boolean> {
    const current = this.hasTables ? this.readSetting('secret_hash') : null;
    // Compare against something either way, so an unknown integration costs the same time.
    const matches = timingSafeEqualText(secretHash, current ?? secretHash);
    return current !== null && matches;
  }

  async admit(delivery: Delivery): Promise<Admission> {
    const { dedupeKey } = delivery;
    for (;;) {
      if (!(await this.verifySecret(delivery.secretHash))) return { status: 'unauthorized' };
      if (this.seen(dedupeKey)) return { status: 'duplicate' };
      const claim = this.claims.get(dedupeKey);
      if (!claim) break;
      if (await settledBefore(claim.outcome, claim.expiresAt)) return { status: 'duplicate' };
      // The write failed or its Worker went away: this copy takes over and stores the event.
      if (this.claims.get(dedupeKey) === claim) this.claims.delete(dedupeKey);
    }
    const now = Date.now();
    const window = this.countDelivery(now, delivery.capPerMinute);
    if (!window.admitted) return { status: 'rate_limited', retryAfterSeconds: window.retryAfterSeconds };
    const ticket = crypto.randomUUID();
    let settle: (stored: boolean) => void = () => {};
    const outcome = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    this.claims.set(dedupeKey, { ticket, expiresAt: now + CLAIM_TIMEOUT_MS, outcome, settle });
    const stamp = Math.max(now * 1000, this.lastStamp + 1);
    this.lastStamp = stamp;
    return { status: 'new', ticket, sortKey: sortKeyOf(stamp), receivedAt: Math.floor(stamp / 1000) };
  }

  /**
   * The event is in KV: remember it until `expiresAt` (its KV expiration, ms). Answers false when
   * the integration was erased meanwhile; the Worker then deletes the event it wrote.
   */
  async commit(dedupeKey: string, ticket: string, expiresAt: number): Promise<boolean> {
    const claim = this.claims.get(dedupeKey);
    const kept = this.hasTables && this.readSetting('secret_hash') !== null;
    if (kept) {
      this.ctx.storage.sql.exec(
        'INSERT OR REPLACE INTO seen_events (dedupe_key, expires_at) VALUES (?, ?)',
        dedupeKey,
        expiresAt,
      );
    }
    if (claim?.ticket === ticket) {
      this.claims.delete(dedupeKey);
      claim.settle(kept);
    }
    return kept;
  }

  /** The KV write failed: forget the claim so that the next copy of the event is stored. */
  async release(dedupeKey: string, ticket: string): Promise<void> {
    const claim = this.claims.get(dedupeKey);
    if (claim?.ticket !== ticket) return;
    this.claims.delete(dedupeKey);
    claim.settle(false);
  }

  /** Forgets everything: the integration was deleted. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.hasTables = false;
  }

  private seen(dedupeKey: string): boolean {
    if (!this.hasTables) return false;
    const rows = this.ctx.storage.sql
      .exec('SELECT 1 FROM seen_events WHERE dedupe_key = ? AND expires_at > ?', dedupeKey, Date.now())
      .toArray();
    return rows.length > 0;
  }

  /**
   * A fixed window that opens with the first delivery after the previous one closed. Only events
   * that will be stored count: duplicates cost no KV write, so they are acknowledged even over the cap.
   */
  private countDelivery(
    now: number,
    cap: number,
  ): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    let start = Number(this.readSetting('window_started_at') ?? 0);
    let count = Number(this.readSetting('window_count') ?? 0);
    if (now >= start + WINDOW_MS) {
      start = now;
      count = 0;
      this.writeSetting('window_started_at', String(start));
      // Once a window is a good moment to drop seen marks whose events have expired from KV.
      this.ctx.storage.sql.exec('DELETE FROM seen_events WHERE expires_at <= ?', now);
    }
    if (count >= cap) {
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) };
    }
    this.writeSetting('window_count', String(count + 1));
    return { admitted: true };
  }

  private tablesExist(): boolean {
    return tableExists(this.ctx.storage.sql, 'inbox_settings');
  }

  private createTables(): void {
    if (this.hasTables) return;
    this.ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS inbox_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen_events (dedupe_key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS seen_events_by_expiry ON seen_events (expires_at);
    `);
    this.hasTables = true;
  }

  private readSetting(name: string): string | null {
    return readSetting(this.ctx.storage.sql, 'inbox_settings', name);
  }

  private writeSetting(name: string, value: string): void {
    writeSetting(this.ctx.storage.sql, 'inbox_settings', name, value);
  }
}

/**
 * KV lists keys in lexicographic order; an inverted, zero-padded stamp makes that newest first.
 * The random suffix keeps two keys apart should two objects ever stamp the same microsecond.
 */
function sortKeyOf(stamp: number): string {
  const inverted = String(STAMP_CEILING - stamp).padStart(16, '0');
  const suffix = [...crypto.getRandomValues(new Uint8Array(4))]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
  return `${inverted}-${suffix}`;
}

/** The claim's outcome, or false if it has not settled by `deadline` (ms since the epoch). */
async function settledBefore(outcome: Promise<boolean>, deadline: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
