/** A failure a test asks for, served to the next matching request(s) instead of the real answer. */
export interface Fault {
  match: { method?: string; path_contains?: string };
  status?: number;
  retry_after_seconds?: number;
  delay_ms?: number;
  /** Park the request until `POST /_emulator/held/release` (then serve the rest of the fault, if any). */
  hold?: boolean;
  /** Answer 200 with the real body cut in half, as a dropped connection would leave it. */
  malformed_json?: boolean;
  /** Replaces the error body (JSON); `text` sends text/plain instead, as some Atlassian 401s do. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  times: number;
}

export function parseFault(input: unknown): Fault {
  const raw = (input ?? {}) as Record<string, unknown>;
  const match = (raw.match ?? {}) as Record<string, unknown>;
  const fault: Fault = {
    match: {
      method: typeof match.method === 'string' ? match.method.toUpperCase() : undefined,
      path_contains: typeof match.path_contains === 'string' ? match.path_contains : undefined,
    },
    times: typeof raw.times === 'number' && raw.times > 0 ? raw.times : 1,
  };
  if (typeof raw.status === 'number') fault.status = raw.status;
  if (typeof raw.retry_after_seconds === 'number') fault.retry_after_seconds = raw.retry_after_seconds;
  if (typeof raw.delay_ms === 'number') fault.delay_ms = raw.delay_ms;
  if (raw.hold === true) fault.hold = true;
  if (raw.malformed_json === true) fault.malformed_json = true;
  if (raw.body !== undefined) fault.body = raw.body;
  if (typeof raw.text === 'string') fault.text = raw.text;
  if (raw.headers && typeof raw.headers === 'object') fault.headers = raw.headers as Record<string, string>;
  if (!fault.status && !fault.delay_ms && !fault.hold && !fault.malformed_json) {
    throw new Error('a fault needs "status", "delay_ms", "hold" or "malformed_json"');
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
    const index = this.#faults.findIndex(
      (f) =>
        (!f.match.method || f.match.method === method) &&
        (!f.match.path_contains || path.includes(f.match.path_contains)),
    );
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
