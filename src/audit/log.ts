import { DurableObject } from 'cloudflare:workers';
import { readSetting, tableExists, writeSetting } from '../lib/sql.ts';
import { type AuditEntry, refusalKey } from './entry.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Identical refusals within this long of the first are one entry with a count. */
const REPEAT_WINDOW_MS = 60_000;

export interface AuditQuery {
  /** Only entries older than this id (the cursor). */
  before?: number;
  limit: number;
  tool?: string;
  /** Only entries at or after this time (ms). */
  since?: number;
}

/**
 * One object per integration (named by its id): its audit log, in SQLite. A sequence number orders
 * the entries, so newest-first pages with a cursor and filters by tool or time are one indexed query.
 * Entries older than AUDIT_RETENTION_DAYS are never listed and are deleted as entries arrive and by a
 * daily alarm. Tool calls write here through `waitUntil`, after their answer: only writes and refused
 * calls are recorded, so a read call never waits for this object.
 */
export class AuditLog extends DurableObject<Env> {
  private ready = false;
  /**
   * The refusals written in the last minute, by what makes them identical (entry.ts), so a repeat
   * updates its entry's count instead of adding one. Kept in memory: should the object be evicted,
   * the next repeat only starts a new entry.
   */
  readonly #recentRefusals = new Map<string, { seq: number; at: number; entry: AuditEntry }>();

  /** Counts a refusal repeated within REPEAT_WINDOW_MS of its first entry into that entry. */
  private collapse(entry: AuditEntry): boolean {
    const key = refusalKey(entry);
    if (key === undefined) return false;
    const at = Date.parse(entry.at);
    for (const [known, recent] of this.#recentRefusals) {
      if (at - recent.at >= REPEAT_WINDOW_MS) this.#recentRefusals.delete(known);
    }
    const recent = this.#recentRefusals.get(key);
    if (!recent) return false;
    recent.entry = { ...recent.entry, count: (recent.entry.count ?? 1) + 1, last_at: entry.at };
    this.ctx.storage.sql.exec(
      'UPDATE audit SET entry = ? WHERE seq = ?',
      JSON.stringify(recent.entry),
      recent.seq,
    );
    return true;
  }

  async append(entry: AuditEntry, retentionDays: number): Promise<void> {
    this.createTables();
    // An integration deleted while this entry was on its way: keep nothing of it.
    if (this.setting('erased') !== null) return;
    const now = Date.now();
    this.writeSetting('retention_days', String(retentionDays));
    this.ctx.storage.sql.exec('DELETE FROM audit WHERE at < ?', now - retentionDays * DAY_MS);
    if (this.collapse(entry)) return;
    const { seq } = this.ctx.storage.sql
      .exec<{ seq: number }>(
        'INSERT INTO audit (at, tool, entry) VALUES (?, ?, ?) RETURNING seq',
        Date.parse(entry.at),
        entry.tool,
        JSON.stringify(entry),
      )
      .one();
    const key = refusalKey(entry);
    if (key !== undefined) this.#recentRefusals.set(key, { seq, at: Date.parse(entry.at), entry });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + DAY_MS);
  }

  async list(query: AuditQuery, retentionDays: number): Promise<{ entries: AuditEntry[]; more: boolean }> {
    if (!this.tablesExist()) return { entries: [], more: false };
    const since = Math.max(query.since ?? 0, Date.now() - retentionDays * DAY_MS);
    const rows = this.ctx.storage.sql
      .exec<{ seq: number; entry: string }>(
        `SELECT seq, entry FROM audit
         WHERE at >= ? AND seq < ? AND (? IS NULL OR tool = ?)
         ORDER BY seq DESC LIMIT ?`,
        since,
        query.before ?? Number.MAX_SAFE_INTEGER,
        query.tool ?? null,
        query.tool ?? null,
        query.limit + 1,
      )
      .toArray();
    const entries = rows
      .slice(0, query.limit)
      .map((row) => ({ id: String(row.seq), ...(JSON.parse(row.entry) as AuditEntry) }));
    return { entries, more: rows.length > query.limit };
  }

  /** Forgets every entry: the integration was deleted. A mark stays so that a late entry is dropped. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#recentRefusals.clear();
    this.ready = false;
    this.createTables();
    this.writeSetting('erased', new Date().toISOString());
  }

  override async alarm(): Promise<void> {
    if (!this.tablesExist() || this.setting('erased') !== null) return;
    const days = Number(this.setting('retention_days') ?? 90);
    this.ctx.storage.sql.exec('DELETE FROM audit WHERE at < ?', Date.now() - days * DAY_MS);
    const left = this.ctx.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM audit').one().n;
    if (left > 0) await this.ctx.storage.setAlarm(Date.now() + DAY_MS);
  }

  private tablesExist(): boolean {
    this.ready ||= tableExists(this.ctx.storage.sql, 'audit');
    return this.ready;
  }

  private createTables(): void {
    if (this.tablesExist()) return;
    this.ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, tool TEXT NOT NULL, entry TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS audit_by_tool ON audit (tool, seq);
      CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
      CREATE TABLE IF NOT EXISTS audit_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.ready = true;
  }

  private setting(name: string): string | null {
    return readSetting(this.ctx.storage.sql, 'audit_settings', name);
  }

  private writeSetting(name: string, value: string): void {
    writeSetting(this.ctx.storage.sql, 'audit_settings', name, value);
  }
}
