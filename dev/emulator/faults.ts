export interface RequestMatch {
  method?: string;
  path_contains?: string;
}

export function matches(match: RequestMatch, method: string, path: string): boolean {
  return (
    (!match.method || match.method === method) && (!match.path_contains || path.includes(match.path_contains))
  );
}

export function parseMatch(input: unknown): RequestMatch {
  const match = (input ?? {}) as Record<string, unknown>;
  return {
    method: typeof match.method === 'string' ? match.method.toUpperCase() : undefined,
    path_contains: typeof match.path_contains === 'string' ? match.path_contains : undefined,
  };
}

/** A failure a test asks for, served to the next matching request(s) instead of the real answer. */
export interface Fault {
  match: RequestMatch;
  status?: number;
  retry_after_seconds?: number;
  delay_ms?: number;
  /** Park the request until `POST /_emulator/held/release` (then serve the rest of the fault, if any). */
  hold?: boolean;
  /** Answer 200 with the real body cut in half, as a dropped connection would leave it. */
  malformed_json?: boolean;
  /**
   * Handle the request for real (a refresh rotates the token, a write lands), then close the
   * connection without answering: the client never learns the outcome.
   */
  drop_answer?: boolean;
  /** Answer (status, default 200) with a JSON object of exactly this many bytes, made as it is read. */
  stream_bytes?: number;
  /** Replaces the error body (JSON); `text` sends text/plain instead, as some Atlassian 401s do. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  times: number;
}

export function parseFault(input: unknown): Fault {
  const raw = (input ?? {}) as Record<string, unknown>;
  const fault: Fault = {
    match: parseMatch(raw.match),
    times: typeof raw.times === 'number' && raw.times > 0 ? raw.times : 1,
  };
  if (typeof raw.status === 'number') fault.status = raw.status;
  if (typeof raw.retry_after_seconds === 'number') fault.retry_after_seconds = raw.retry_after_seconds;
  if (typeof raw.delay_ms === 'number') fault.delay_ms = raw.delay_ms;
  if (raw.hold === true) fault.hold = true;
  if (raw.malformed_json === true) fault.malformed_json = true;
  if (raw.drop_answer === true) fault.drop_answer = true;
  if (typeof raw.stream_bytes === 'number') {
    if (!Number.isInteger(raw.stream_bytes) || raw.stream_bytes < 32) {
      throw new Error('"stream_bytes" must be an integer of at least 32');
    }
    fault.stream_bytes = raw.stream_bytes;
  }
  if (raw.body !== undefined) fault.body = raw.body;
  if (typeof raw.text === 'string') fault.text = raw.text;
  if (raw.headers && typeof raw.headers === 'object') fault.headers = raw.headers as Record<string, string>;
  if (
    !fault.status &&
    !fault.delay_ms &&
    !fault.hold &&
    !fault.malformed_json &&
    !fault.drop_answer &&
    !fault.stream_bytes
  ) {
    throw new Error(
      'a fault needs "status", "delay_ms", "hold", "malformed_json", "drop_answer" or "stream_bytes"',
    );
  }
  return fault;
}

/** Faults queued in order; each request consumes the first one that matches it. */
export class FaultQueue {
  #faults: Fault[] = [];

  add(fault: Fault): void {
    this.#faults.push(fault);
  }

  take(method: string, path: string): Fault | undefined {
    const index = this.#faults.findIndex((f) => matches(f.match, method, path));
    const fault = this.#faults[index];
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.#faults.splice(index, 1);
    return fault;
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.#faults = [];
  }
}
