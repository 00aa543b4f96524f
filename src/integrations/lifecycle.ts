import { DurableObject } from 'cloudflare:workers';
import { outboxOf } from '../event-delivery/outbox.ts';
import { kvKeys } from '../kv-keys.ts';
import { timingSafeEqualText } from '../vault/crypto.ts';
import { applyRecordChange, type RecordChange } from './record-change.ts';
import { deleteOwnerIndexEntry, IntegrationRecord, readIntegration, writeIntegration } from './records.ts';
import { SWEEP_START, type SweepProgress, sweepBatch } from './sweep.ts';

/** OAuth states one connect session may have in flight; opening the link again evicts the oldest. */
export const MAX_STATES_PER_SESSION = 5;
/** Between two sweep batches: a pause that keeps a large purge from crowding KV. */
const SWEEP_PAUSE_MS = 1_000;
/** How long an integration made with `require_confirmation` waits for its confirmation. */
export const CONFIRMATION_WINDOW_MS = 10 * 60_000;

export type StateAdmission = { ok: true; evicted: string[] } | { ok: false; reason: 'used' | 'deleted' };
/**
 * `first`: go on and store the tokens. `repeat`: the same finish again (the same site form posted
 * twice), carrying the same tokens: go on too. `used`: another finish of the session came first.
 */
export type Claim = 'first' | 'repeat' | 'used' | 'deleted';
export type Confirmation = 'confirmed' | 'wrong_code' | 'not_pending';

const ID = 'integration_id';
/** Left by erase(): the id is spent, and no session may bring it back. */
const DELETED = 'deleted';
/** The bulk keys still to purge after a deletion (SweepProgress). */
const SWEEP = 'sweep';
/** While the integration awaits confirmation: {code_hash, discard_at, confirmed}. */
const CONFIRMATION = 'confirmation';
/** The integration record, the copy every change is made to (KV holds a copy for readers). */
const RECORD = 'record';
const sessionKey = (sessionHash: string) => `session:${sessionHash}`;
const revokedKey = (credential: string) => `revoked:${credential}`;

interface SessionEntry {
  /** Hashes of the session's OAuth states still in flight, oldest first. */
  states: string[];
  /** What finished the session (hash of its state or site form); once set, the session is spent. */
  finished_by?: string;
}

interface PendingConfirmation {
  code_hash: string;
  discard_at: number;
  confirmed: boolean;
}

/**
 * One object per integration id (named by it): the decisions in an integration's life that KV, with
 * no compare-and-set, cannot make safely.
 *
 * - Connect sessions are single-use: of all the flows of one session (tabs, forwarded links), the
 *   first to finish wins and every later one is refused, so a session can never swap in another
 *   account's tokens. Each session keeps at most MAX_STATES_PER_SESSION states in flight.
 * - A deleted id stays deleted: no session, however old, creates it again.
 * - An integration made with `require_confirmation` is discarded unless confirmed in time.
 * - A deletion erases secrets, tokens and the record at once, then purges the bulk keys (agent
 *   tokens, events) from an alarm in bounded batches: no invocation nears KV's operation limit.
 * - The record (policy, status, name, site, account) changes here only, one change at a time on
 *   this object's copy (integrations/record-change.ts), so no change is ever written over by a stale one.
 */
export class IntegrationLifecycle extends DurableObject<Env> {
  /**
   * Revokes an agent token or MCP grant (`agent:<id>`, `grant:<id>`) for every location at once
   * (auth/revocations.ts): KV, which holds the credential, may serve it elsewhere for a minute more.
   */
  async revoke(credential: string): Promise<void> {
    await this.ctx.storage.put(revokedKey(credential), Date.now());
  }

  /** Whether a credential was revoked here, or the whole integration deleted. */
  async isRevoked(credential: string): Promise<boolean> {
    const found = await this.ctx.storage.get([DELETED, revokedKey(credential)]);
    return found.size > 0;
  }

  /** The KV copy of the record being written; the next write waits for it (see changeRecord). */
  #kvCopy: Promise<void> = Promise.resolve();

  /**
   * Applies a change to the record and copies the result to KV; answers the record, or null when
   * there is none to change (never created, or deleted). The copy made before this object kept
   * records is read from KV once. KV writes are chained and each writes the newest record, so the
   * last write KV sees is the newest record, whatever order two writes in flight land in.
   */
  async changeRecord(integrationId: string, change: RecordChange): Promise<IntegrationRecord | null> {
    // One change at a time, the KV read of a record older than this object's copy included.
    const updated = await this.ctx.blockConcurrencyWhile(async () => {
      if (await this.ctx.storage.get<boolean>(DELETED)) return null;
      const stored = await this.ctx.storage.get<unknown>(RECORD);
      const current =
        stored === undefined
          ? ((await readIntegration(this.env.CONFLUENCE_KV, integrationId)) ?? change.create ?? null)
          : IntegrationRecord.parse(stored);
      if (!current) return null;
      const next = applyRecordChange(current, change, new Date().toISOString());
      await this.ctx.storage.put({ [ID]: integrationId, [RECORD]: next });
      return next;
    });
    if (!updated) return null;
    const write = this.#kvCopy.then(async () => {
      const newest = await this.ctx.storage.get<IntegrationRecord>(RECORD);
      if (newest) await writeIntegration(this.env.CONFLUENCE_KV, newest);
    });
    this.#kvCopy = write.catch(() => undefined);
    await write;
    return updated;
  }

  /** Records a new OAuth state of a session (GET connect_url); answers the states it pushed out. */
  async admitState(integrationId: string, sessionHash: string, stateHash: string): Promise<StateAdmission> {
    if (await this.ctx.storage.get<boolean>(DELETED)) return { ok: false, reason: 'deleted' };
    const entry = await this.session(sessionHash);
    if (entry.finished_by) return { ok: false, reason: 'used' };
    const states = [...entry.states, stateHash];
    const evicted = states.splice(0, Math.max(0, states.length - MAX_STATES_PER_SESSION));
    await this.ctx.storage.put({ [ID]: integrationId, [sessionKey(sessionHash)]: { ...entry, states } });
    return { ok: true, evicted };
  }

  /**
   * Takes a state out of the session (the callback): `taken` once, for a state still in flight;
   * `used` once the session has finished, whatever the state; `deleted` once the id is.
   */
  async takeState(sessionHash: string, stateHash: string): Promise<'taken' | 'used' | 'deleted' | 'unknown'> {
    if (await this.ctx.storage.get<boolean>(DELETED)) return 'deleted';
    const entry = await this.session(sessionHash);
    if (entry.finished_by) return 'used';
    if (!entry.states.includes(stateHash)) return 'unknown';
    const states = entry.states.filter((state) => state !== stateHash);
    await this.ctx.storage.put(sessionKey(sessionHash), { ...entry, states });
    return 'taken';
  }

  /**
   * The moment a session finishes: only the first finish (`finisher`: the hash of its state or its
   * site form) may store tokens. With `confirmationHash`, the integration awaits confirmation and is
   * discarded after CONFIRMATION_WINDOW_MS without it; a repeat replaces the code, since only the
   * repeat's answer reaches the browser.
   */
  async claim(
    integrationId: string,
    sessionHash: string,
    finisher: string,
    confirmationHash: string | null,
  ): Promise<Claim> {
    if (await this.ctx.storage.get<boolean>(DELETED)) return 'deleted';
    const entry = await this.session(sessionHash);
    if (entry.finished_by && entry.finished_by !== finisher) return 'used';
    const pending = await this.ctx.storage.get<PendingConfirmation>(CONFIRMATION);
    if (entry.finished_by && pending?.confirmed) return 'used';
    const writes: Record<string, unknown> = {
      [ID]: integrationId,
      [sessionKey(sessionHash)]: { states: entry.states, finished_by: finisher } satisfies SessionEntry,
    };
    if (confirmationHash !== null) {
      writes[CONFIRMATION] = {
        code_hash: confirmationHash,
        discard_at: Date.now() + CONFIRMATION_WINDOW_MS,
        confirmed: false,
      } satisfies PendingConfirmation;
    }
    await this.ctx.storage.put(writes);
    await this.schedule();
    return entry.finished_by ? 'repeat' : 'first';
  }

  /** The finish that claimed the session failed before its record was written: the session is open again. */
  async release(sessionHash: string, finisher: string): Promise<void> {
    const entry = await this.session(sessionHash);
    if (entry.finished_by !== finisher) return;
    await this.ctx.storage.put(sessionKey(sessionHash), { states: entry.states } satisfies SessionEntry);
    await this.ctx.storage.delete(CONFIRMATION);
    await this.schedule();
  }

  /** Confirms with the code's hash. Idempotent: the same code confirms again, harmlessly. */
  async confirm(codeHash: string): Promise<Confirmation> {
    const pending = await this.ctx.storage.get<PendingConfirmation>(CONFIRMATION);
    if (!pending || (await this.ctx.storage.get<boolean>(DELETED))) return 'not_pending';
    if (!timingSafeEqualText(pending.code_hash, codeHash)) return 'wrong_code';
    if (!pending.confirmed) {
      await this.ctx.storage.put(CONFIRMATION, { ...pending, confirmed: true });
      await this.schedule();
    }
    return 'confirmed';
  }

  /**
   * Deletes the integration: secrets, tokens, record and owner index now (a handful of KV
   * operations), its agent tokens and events from the alarm. The id is marked deleted first, so no
   * claim can slip in while the rest is erased.
   */
  async erase(integrationId: string, record?: IntegrationRecord): Promise<void> {
    const kv = this.env.CONFLUENCE_KV;
    // A record copy still on its way to KV lands first, so the deletion below is the last word.
    await this.#kvCopy;
    await this.ctx.storage.deleteAll();
    await this.ctx.storage.put({ [ID]: integrationId, [DELETED]: true, [SWEEP]: SWEEP_START });
    await this.env.TOKEN_REFRESHER.get(this.env.TOKEN_REFRESHER.idFromName(integrationId)).erase();
    await kv.delete(kvKeys.tokens(integrationId));
    await this.env.WEBHOOK_INBOX.get(this.env.WEBHOOK_INBOX.idFromName(integrationId)).erase();
    // Its event destination and delivery states go too: events still queued find nothing to send.
    await outboxOf(this.env, integrationId).erase();
    // Its audit trail goes with it.
    await this.env.AUDIT_LOG.get(this.env.AUDIT_LOG.idFromName(integrationId)).erase();
    const current = record ?? (await readIntegration(kv, integrationId));
    if (current) await deleteOwnerIndexEntry(kv, current);
    await kv.delete(kvKeys.integration(integrationId));
    await this.schedule();
  }

  /** One step of whatever is due: a discard past its deadline, then one sweep batch. */
  override async alarm(): Promise<void> {
    const integrationId = await this.ctx.storage.get<string>(ID);
    if (!integrationId) return;
    const pending = await this.ctx.storage.get<PendingConfirmation>(CONFIRMATION);
    if (pending && !pending.confirmed && pending.discard_at <= Date.now()) {
      console.log(JSON.stringify({ event: 'unconfirmed_integration_discarded' }));
      await this.erase(integrationId);
    }
    const progress = await this.ctx.storage.get<SweepProgress>(SWEEP);
    if (progress) {
      const next = await sweepBatch(this.env.CONFLUENCE_KV, integrationId, progress);
      if (next) await this.ctx.storage.put(SWEEP, next);
      else await this.ctx.storage.delete(SWEEP);
    }
    await this.schedule();
  }

  private async session(sessionHash: string): Promise<SessionEntry> {
    return (await this.ctx.storage.get<SessionEntry>(sessionKey(sessionHash))) ?? { states: [] };
  }

  /** One alarm serves both duties: soon while a sweep is unfinished, else at the discard deadline. */
  private async schedule(): Promise<void> {
    const entries = await this.ctx.storage.get<unknown>([SWEEP, CONFIRMATION]);
    const pending = entries.get(CONFIRMATION) as PendingConfirmation | undefined;
    const due = entries.has(SWEEP)
      ? Date.now() + SWEEP_PAUSE_MS
      : pending && !pending.confirmed
        ? pending.discard_at
        : undefined;
    if (due === undefined) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(due);
  }
}

/** The lifecycle object of an integration, as Workers address it. */
export function lifecycleOf(env: Env, integrationId: string) {
  return env.INTEGRATION_LIFECYCLE.get(env.INTEGRATION_LIFECYCLE.idFromName(integrationId));
}

/**
 * Applies a change to an integration record through its lifecycle object (the one writer); answers
 * the record as it now is, or null when there is no such integration.
 */
export async function changeIntegration(
  env: Env,
  id: string,
  change: RecordChange,
): Promise<IntegrationRecord | null> {
  return (await lifecycleOf(env, id).changeRecord(id, change)) as IntegrationRecord | null;
}
