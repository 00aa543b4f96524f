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

export class RequestLog {
  #entries: LoggedRequest[] = [];
  #seq = 0;

  record(entry: Omit<LoggedRequest, 'seq'>): void {
    this.#entries.push({ seq: ++this.#seq, ...entry });
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
  }

  list(pathPrefix?: string): LoggedRequest[] {
    return pathPrefix ? this.#entries.filter((e) => e.path.startsWith(pathPrefix)) : [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
  }
}
