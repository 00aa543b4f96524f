/**
 * Small pieces the SQLite-backed Durable Objects (webhook inbox, event outbox, audit log) share.
 * Table names are the objects' own constants, never input.
 */

/** Whether the object has created `table` yet (a new object has no tables until its first write). */
export function tableExists(sql: SqlStorage, table: string): boolean {
  return (
    sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0
  );
}

/** One value of a `(name TEXT PRIMARY KEY, value TEXT)` settings table, or null. */
export function readSetting(sql: SqlStorage, table: string, name: string): string | null {
  const row = sql.exec<{ value: string }>(`SELECT value FROM ${table} WHERE name = ?`, name).toArray()[0];
  return row?.value ?? null;
}

export function writeSetting(sql: SqlStorage, table: string, name: string, value: string): void {
  sql.exec(`INSERT OR REPLACE INTO ${table} (name, value) VALUES (?, ?)`, name, value);
}
