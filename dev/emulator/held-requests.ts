/**
 * Requests parked by a `hold` fault until a test releases them (`POST /_emulator/held/release`), so
 * a test can act while the gateway's call is in flight (e.g. Bob saves the page between the
 * gateway's read and its write) without racing a sleep against a delay. `GET /_emulator/held?wait_ms=`
 * answers as soon as one is parked. A reset ends every held request (see `EmulatorState.reset`).
 */
export interface HeldRequest {
  method: string;
  path: string;
}

export class HeldRequests {
  #held: { request: HeldRequest; release: () => void }[] = [];
  #arrivals: (() => void)[] = [];

  /** Parks a request until it is released or `signal` (the reset fence) aborts. */
  hold(request: HeldRequest, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const entry = { request, release: resolve };
      this.#held.push(entry);
      signal.addEventListener('abort', () => this.#drop(entry), { once: true });
      for (const notify of this.#arrivals.splice(0)) notify();
    });
  }

  list(): HeldRequest[] {
    return this.#held.map((entry) => ({ ...entry.request }));
  }

  /** Lets every held request go on; returns how many there were. */
  release(): number {
    const held = this.#held.splice(0);
    for (const entry of held) entry.release();
    return held.length;
  }

  /** Resolves once at least one request is held, or after `timeoutMs`. */
  async waitForOne(timeoutMs: number): Promise<HeldRequest[]> {
    if (this.#held.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.#arrivals.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.list();
  }

  #drop(entry: { request: HeldRequest; release: () => void }): void {
    const index = this.#held.indexOf(entry);
    if (index !== -1) this.#held.splice(index, 1);
    entry.release();
  }
}
