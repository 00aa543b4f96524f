/**
 * The emulator's notion of now: real time plus an offset that tests move forward
 * (`POST /_emulator/clock`), so code expiry, token expiry and the refresh-token leeway
 * can be tested without waiting.
 */
export class VirtualClock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }

  get offsetSeconds(): number {
    return this.#offsetMs / 1000;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
