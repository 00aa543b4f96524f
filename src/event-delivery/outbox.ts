import { DurableObject } from 'cloudflare:workers';
import { tableExists } from '../lib/sql.ts';
import type { WebhookEvent } from '../webhooks/events.ts';
import { deliveryClock } from './clock.ts';
import { type RetryPolicy, retryDelaySeconds } from './retry-policy.ts';

/** What travels on the queue: a reference only. The body stays here, where it cannot go stale. */
export interface DeliveryMessage {
  integration_id: string;
  event_id: string;
  /**
   * Which sending of the event this message carries: a manual retry starts a new round, so a
   * message of an earlier round still in the queue (say, from before the destination was removed)
   * finds nothing to do instead of starting a second chain of retries.
   */
  round: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event's delivery, as the service API shows it. */
export interface DeliveryState {
  id: string;
  event: string | null;
  received_at: string;
  status: DeliveryStatus;
  attempts: number;
  last_attempt_at: string | null;
  /** The destination's HTTP status on the last attempt, if it answered. */
  last_response_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
}

export interface DestinationSettings {
  url: string;
  /** Event names to deliver; null delivers every event. */
  events: string[] | null;
  created_at: string;
  updated_at: string;
}

interface StoredDestination extends DestinationSettings {
  sealed_secret: string;
}

/** What the queue consumer needs for one attempt. */
export interface Attempt {
  url: string;
  sealedSecret: string;
  body: string;
  attempt: number;
}

export type AttemptResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string };

export type AttemptDecision =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; delaySeconds: number }
  | { outcome: 'failed' }
  /** The delivery was settled meanwhile (deleted integration, removed destination, duplicate message). */
  | { outcome: 'settled' };

export type RetryAnswer = 'queued' | 'not_found' | 'not_failed' | 'no_destination' | 'enqueue_failed';

interface DeliveryRow extends Record<string, SqlStorageValue> {
  event_id: string;
  event: string | null;
  received_at: string;
  status: DeliveryStatus;
  attempts: number;
  last_attempt_at: number | null;
  last_response_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

const STATE_COLUMNS =
  'event_id, event, received_at, status, attempts, last_attempt_at, last_response_status, last_error, delivered_at';

/** The integration's outbox. */
export function outboxOf(env: Env, integrationId: string): DurableObjectStub<EventOutbox> {
  return env.EVENT_OUTBOX.get(env.EVENT_OUTBOX.idFromName(integrationId));
}

/** Bound into the sealed signing secret, so it opens only as this integration's destination secret. */
export function secretContext(integrationId: string): string {
  return `event-destination:${integrationId}`;
}

const DESTINATION_REMOVED = 'The event destination was removed before the event was delivered.';

/**
 * One object per integration (named by its id): its event destination and the delivery state of
 * each event pushed there.
 *
 * The queue carries only {integration_id, event_id, round}; every attempt asks this object for the body,
 * the destination and its sealed secret. So a rotated secret or a changed URL applies to the very
 * next attempt (queued retries included), a removed destination or a deleted integration stops
 * deliveries at once, and the dead-letter list, the retry route and the event log all read one
 * strongly consistent record instead of KV's eventually consistent copies.
 *
 * The body is kept until the event is delivered (for retries, including manual ones after it
 * failed), then dropped; the state row lives as long as the event does in KV.
 */
export class EventOutbox extends DurableObject<Env> {
  // Tables are created by the first destination: events of an integration that never set one
  // cost a read, never a write.
  private hasTables = this.tablesExist();

  async setDestination(
    url: string,
    events: string[] | null,
    sealedSecret: string,
  ): Promise<{ created: boolean; destination: DestinationSettings }> {
    this.createTables();
    const now = new Date(deliveryClock.now()).toISOString();
    const previous = this.readDestination();
    this.ctx.storage.sql.exec(
      `INSERT OR REPLACE INTO destination (id, url, events, sealed_secret, created_at, updated_at)
       VALUES (1, ?, ?, ?, ?, ?)`,
      url,
      events === null ? null : JSON.stringify(events),
      sealedSecret,
      previous?.created_at ?? now,
      now,
    );
    return {
      created: previous === null,
      destination: { url, events, created_at: previous?.created_at ?? now, updated_at: now },
    };
  }

  async getDestination(): Promise<DestinationSettings | null> {
    const row = this.readDestination();
    if (!row) return null;
    const { sealed_secret: _sealed, ...destination } = row;
    return destination;
  }

  /** Stops deliveries: events still waiting are failed, so they show in the dead-letter list. */
  async removeDestination(): Promise<boolean> {
    if (!this.readDestination()) return false;
    const sql = this.ctx.storage.sql;
    sql.exec('DELETE FROM destination');
    sql.exec(
      "UPDATE deliveries SET status = 'failed', last_error = ? WHERE status = 'pending'",
      DESTINATION_REMOVED,
    );
    return true;
  }

  /**
   * A new event arrived: when the destination wants it, record it pending and queue it. Answers
   * what happened; a queue that refuses leaves the event failed (retryable by hand), never lost.
   */
  async offer(
    integrationId: string,
    event: WebhookEvent,
    expiresAt: number,
  ): Promise<'queued' | 'not_wanted' | 'enqueue_failed'> {
    const destination = this.readDestination();
    if (!destination || (destination.events && !destination.events.includes(event.event ?? ''))) {
      return 'not_wanted';
    }
    const now = deliveryClock.now();
    const sql = this.ctx.storage.sql;
    // Offering is a good moment to drop the states of events that have expired from KV.
    sql.exec('DELETE FROM deliveries WHERE expires_at <= ?', now);
    const body = JSON.stringify({
      id: event.id,
      integration_id: integrationId,
      received_at: event.received_at,
      event: event.event,
      ...(event.page_id !== undefined && { page_id: event.page_id }),
      payload: event.payload,
    });
    sql.exec(
      `INSERT OR IGNORE INTO deliveries (event_id, event, received_at, status, attempts, body, queued_at, expires_at)
       VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
      event.id,
      event.event,
      event.received_at,
      body,
      now,
      expiresAt,
    );
    return this.enqueue(integrationId, event.id, 0);
  }

  /** Starts one attempt, or null when there is nothing (left) to deliver: the message is done. */
  async startAttempt(eventId: string, round: number): Promise<Attempt | null> {
    if (!this.hasTables) return null;
    const sql = this.ctx.storage.sql;
    const row = sql
      .exec<{ body: string | null; attempts: number }>(
        "SELECT body, attempts FROM deliveries WHERE event_id = ? AND round = ? AND status = 'pending'",
        eventId,
        round,
      )
      .toArray()[0];
    const destination = this.readDestination();
    if (!row?.body || !destination) return null;
    const attempt = row.attempts + 1;
    sql.exec(
      'UPDATE deliveries SET attempts = ?, last_attempt_at = ? WHERE event_id = ?',
      attempt,
      deliveryClock.now(),
      eventId,
    );
    return { url: destination.url, sealedSecret: destination.sealed_secret, body: row.body, attempt };
  }

  /**
   * Records an attempt's result and says what the queue should do with the message: acknowledge it
   * (delivered, or failed once the next try would fall outside the retry window) or retry it later.
   */
  async finishAttempt(
    eventId: string,
    round: number,
    result: AttemptResult,
    policy: RetryPolicy,
  ): Promise<AttemptDecision> {
    if (!this.hasTables) return { outcome: 'settled' };
    const sql = this.ctx.storage.sql;
    const row = sql
      .exec<{ attempts: number; queued_at: number }>(
        "SELECT attempts, queued_at FROM deliveries WHERE event_id = ? AND round = ? AND status = 'pending'",
        eventId,
        round,
      )
      .toArray()[0];
    if (!row) return { outcome: 'settled' };
    const now = deliveryClock.now();
    if (result.ok) {
      sql.exec(
        `UPDATE deliveries SET status = 'delivered', delivered_at = ?, last_response_status = ?,
         last_error = NULL, body = NULL WHERE event_id = ?`,
        now,
        result.status,
        eventId,
      );
      return { outcome: 'delivered' };
    }
    const delaySeconds = retryDelaySeconds(row.attempts, policy);
    const giveUp = now + delaySeconds * 1000 > row.queued_at + policy.windowSeconds * 1000;
    sql.exec(
      'UPDATE deliveries SET status = ?, last_response_status = ?, last_error = ? WHERE event_id = ?',
      giveUp ? 'failed' : 'pending',
      result.status,
      result.error,
      eventId,
    );
    return giveUp ? { outcome: 'failed' } : { outcome: 'retry', delaySeconds };
  }

  /** Sends a failed event again, with a fresh retry window. */
  async retry(integrationId: string, eventId: string): Promise<RetryAnswer> {
    if (!this.hasTables) return 'not_found';
    const sql = this.ctx.storage.sql;
    const row = sql
      .exec<{ status: DeliveryStatus; round: number }>(
        'SELECT status, round FROM deliveries WHERE event_id = ?',
        eventId,
      )
      .toArray()[0];
    if (!row) return 'not_found';
    if (row.status !== 'failed') return 'not_failed';
    if (!this.readDestination()) return 'no_destination';
    const round = row.round + 1;
    sql.exec(
      "UPDATE deliveries SET status = 'pending', attempts = 0, queued_at = ?, round = ? WHERE event_id = ?",
      deliveryClock.now(),
      round,
      eventId,
    );
    return this.enqueue(integrationId, eventId, round);
  }

  /** Deliveries newest first (event ids sort that way), optionally of one status, after a cursor. */
  async list(options: {
    status?: DeliveryStatus;
    after?: string;
    limit: number;
  }): Promise<{ deliveries: DeliveryState[]; last: string | null }> {
    if (!this.hasTables) return { deliveries: [], last: null };
    const rows = this.ctx.storage.sql
      .exec<DeliveryRow>(
        `SELECT ${STATE_COLUMNS} FROM deliveries
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR event_id > ?2) AND expires_at > ?3
         ORDER BY event_id LIMIT ?4`,
        options.status ?? null,
        options.after ?? null,
        deliveryClock.now(),
        options.limit + 1,
      )
      .toArray();
    const more = rows.length > options.limit;
    const page = rows.slice(0, options.limit).map(stateOf);
    return { deliveries: page, last: more ? (page.at(-1)?.id ?? null) : null };
  }

  /** The delivery state of each of these events that was pushed, by event id. */
  async states(eventIds: string[]): Promise<Record<string, DeliveryState>> {
    if (!this.hasTables || eventIds.length === 0) return {};
    const rows = this.ctx.storage.sql
      .exec<DeliveryRow>(
        `SELECT ${STATE_COLUMNS} FROM deliveries WHERE event_id IN (${eventIds.map(() => '?').join(',')})`,
        ...eventIds,
      )
      .toArray();
    return Object.fromEntries(rows.map((row) => [row.event_id, stateOf(row)]));
  }

  /** Forgets everything: the integration was deleted. Messages still queued find nothing to send. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.hasTables = false;
  }

  private async enqueue(
    integrationId: string,
    eventId: string,
    round: number,
  ): Promise<'queued' | 'enqueue_failed'> {
    const message: DeliveryMessage = { integration_id: integrationId, event_id: eventId, round };
    try {
      await this.env.EVENT_QUEUE.send(message, { contentType: 'json' });
      return 'queued';
    } catch (error) {
      this.ctx.storage.sql.exec(
        "UPDATE deliveries SET status = 'failed', last_error = ? WHERE event_id = ?",
        'The event could not be queued for delivery; retry it with POST /api/v1/integrations/:id/event-deliveries/:event_id/retry.',
        eventId,
      );
      console.error(
        JSON.stringify({
          event: 'event_delivery_enqueue_failed',
          integration_id: integrationId,
          event_id: eventId,
          error: (error as Error).name,
        }),
      );
      return 'enqueue_failed';
    }
  }

  private readDestination(): StoredDestination | null {
    if (!this.hasTables) return null;
    const row = this.ctx.storage.sql
      .exec<{
        url: string;
        events: string | null;
        sealed_secret: string;
        created_at: string;
        updated_at: string;
      }>('SELECT url, events, sealed_secret, created_at, updated_at FROM destination WHERE id = 1')
      .toArray()[0];
    return row ? { ...row, events: row.events === null ? null : (JSON.parse(row.events) as string[]) } : null;
  }

  private tablesExist(): boolean {
    return tableExists(this.ctx.storage.sql, 'destination');
  }

  private createTables(): void {
    if (this.hasTables) return;
    this.ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS destination (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        url TEXT NOT NULL,
        events TEXT,
        sealed_secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS deliveries (
        event_id TEXT PRIMARY KEY,
        event TEXT,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        round INTEGER NOT NULL DEFAULT 0,
        body TEXT,
        queued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        last_response_status INTEGER,
        last_error TEXT,
        delivered_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS deliveries_by_status ON deliveries (status, event_id);
      CREATE INDEX IF NOT EXISTS deliveries_by_expiry ON deliveries (expires_at);
    `);
    this.hasTables = true;
  }
}

function stateOf(row: DeliveryRow): DeliveryState {
  return {
    id: row.event_id,
    event: row.event,
    received_at: row.received_at,
    status: row.status,
    attempts: row.attempts,
    last_attempt_at: isoOrNull(row.last_attempt_at),
    last_response_status: row.last_response_status,
    last_error: row.last_error,
    delivered_at: isoOrNull(row.delivered_at),
  };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
