import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../src/event-delivery/retry-policy.ts';

/** Every delay drawn for `attempts` failures in many draws: the smallest and the largest. */
function range(attempts: number, firstRetrySeconds: number): [number, number] {
  const drawn = Array.from({ length: 2_000 }, () =>
    retryDelaySeconds(attempts, { firstRetrySeconds, windowSeconds: 86_400 }),
  );
  return [Math.min(...drawn), Math.max(...drawn)];
}

describe('retryDelaySeconds', () => {
  it('draws between half and all of the doubling delay, in whole seconds', () => {
    const [low1, high1] = range(1, 60);
    expect(low1).toBeGreaterThanOrEqual(30);
    expect(high1).toBeLessThanOrEqual(60);
    const [low3, high3] = range(3, 60);
    expect(low3).toBeGreaterThanOrEqual(120);
    expect(high3).toBeLessThanOrEqual(240);
    expect(Number.isInteger(retryDelaySeconds(2, { firstRetrySeconds: 7, windowSeconds: 100 }))).toBe(true);
  });

  it('spreads the delays (jitter) rather than answering one value', () => {
    const [low, high] = range(4, 60);
    expect(high - low).toBeGreaterThan(60);
  });

  it('never waits more than an hour, nor less than a second', () => {
    expect(range(30, 60)[1]).toBeLessThanOrEqual(3600);
    expect(range(30, 60)[0]).toBeGreaterThanOrEqual(1800);
    expect(range(1, 1)[0]).toBeGreaterThanOrEqual(1);
  });
});
