import { createHash } from 'node:crypto';

/** One request the emulator received, as `GET /_emulator/requests` shows it. */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  duration_ms: number;
}

/** Keeps the log bounded: the benchmark sends thousands of calls through one emulator. */
const MAX_ENTRIES = 5000;

/**
 * A stable stand-in for a credential: tests can compare it with `tokenFingerprint(token)`
 * without the log holding anything usable.
 */
export function tokenFingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

export function redactAuthorization(value: string): string {
  const [scheme, credential] = value.split(/\s+/, 2);
  return credential ? `${scheme} ${tokenFingerprint(credential)}` : tokenFingerprint(value);
}

export function queryRecord(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

/** Bodies past this size keep their structure but not their long strings (the log must stay small). */
const LARGE_BODY_CHARS = 64 * 1024;
const LONG_STRING_CHARS = 4096;

function abbreviateLongStrings(value: unknown): unknown {
  if (typeof value === 'string' && value.length > LONG_STRING_CHARS) {
    return `${value.slice(0, 256)}… [${value.length} characters]`;
  }
  if (Array.isArray(value)) return value.map(abbreviateLongStrings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviateLongStrings(v)]));
  }
  return value;
}

/** Parses a logged body: JSON when it is JSON, a form as an object, else the text. */
export function describeBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const parsed = JSON.parse(text);
    return text.length > LARGE_BODY_CHARS ? abbreviateLongStrings(parsed) : parsed;
  } catch {
    return text.length > 4096 ? `${text.slice(0, 4096)}…` : text;
  }
}

/**
 * What the emulator received, scoped to the reader: every request is numbered (`seq`) as it
 * arrives and logged as it ends. A request that arrived before the last clear (or reset) is never
 * logged, however late it ends: a delayed call abandoned by one test must not land in the next
 * test's view. `since` reads only what arrived after a mark, without clearing.
 */
export class RequestLog {
  #entries: LoggedRequest[] = [];
  #arrived = 0;
  #floor = 0;

  /** Numbers a request as it arrives. */
  arrive(): number {
    return ++this.#arrived;
  }

  /** The number of the latest arrival: pass it back as `since` to see only what arrives after now. */
  get mark(): number {
    return this.#arrived;
  }

  record(entry: LoggedRequest): void {
    if (entry.seq <= this.#floor) return;
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
  }

  list(filter: { pathPrefix?: string; since?: number } = {}): LoggedRequest[] {
    const { pathPrefix, since = 0 } = filter;
    return this.#entries.filter(
      (entry) => entry.seq > since && (!pathPrefix || entry.path.startsWith(pathPrefix)),
    );
  }

  clear(): void {
    this.#entries = [];
    this.#floor = this.#arrived;
  }
}
