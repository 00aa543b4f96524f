import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncAnswer, SyncRequest } from '../../src/quota/ledger.ts';
import { heldSlices, QuotaMeter, reportPendingUsage } from '../../src/quota/meter.ts';

// The isolate's side of the ledger, against a stub ledger that counts its round trips.

let apps = 0;

function meterWith(
  answer: (request: SyncRequest) => Partial<SyncAnswer>,
  { app = `unit-app-${apps++}`, integration = 'int_unit' } = {},
) {
  const requests: SyncRequest[] = [];
  const ledger = {
    down: false,
    sync: async (request: SyncRequest): Promise<SyncAnswer> => {
      if (ledger.down) throw new Error('ledger unavailable');
      requests.push(structuredClone(request));
      return {
        window: 1,
        tier: 'global',
        size: 10_000,
        windowSeconds: 3600,
        resetsAt: Date.now() + 3_600_000,
        available: 9_000,
        used: 0,
        source: 'counted',
        grantedPool: request.wantPool,
        grantedShare: request.wantShare,
        reserveOnly: false,
        allowance: 1_000,
        shareUsed: request.wantShare,
        ...answer(request),
      };
    },
  };
  const env = { QUOTA_LEDGER: { idFromName: (name: string) => name, get: () => ledger } } as unknown as Env;
  // Each test its own app, so the isolate's slices of one test are not another's.
  const settings = { app, pointsPerHour: 10_000 };
  const meter = new QuotaMeter(env, { id: integration, name: 'Unit', cloudId: 'cloud' }, settings, () => {});
  return { meter, requests, env, settings, ledger };
}

describe('the quota meter', () => {
  afterEach(() => vi.restoreAllMocks());

  it('spends a warm call from its slices, without a round trip to the ledger', async () => {
    const { meter, requests } = meterWith(() => ({}));
    // Slices of 100 points (1% of the pool) and 50 (5% of the allowance): 25 page reads.
    for (let n = 0; n < 25; n++) meter.settle(await meter.reserve(2), 2, undefined);
    expect(requests).toHaveLength(1);
    expect(meter.points).toBe(50);
    await meter.reserve(2);
    expect(requests).toHaveLength(2);
  });

  it('shares one lease among concurrent calls that find the slice empty', async () => {
    const { meter, requests } = meterWith(() => ({}));
    await Promise.all(Array.from({ length: 20 }, () => meter.reserve(2)));
    expect(requests).toHaveLength(1);
  });

  it('gives back the difference between the predicted and the charged price', async () => {
    const { meter, requests } = meterWith(() => ({}));
    // A slice of 100 (1% of the pool) and of 50 (5% of the allowance): a 26-point listing that
    // came back with 3 results leaves room for the rest without a second lease.
    meter.settle(await meter.reserve(26), 4, undefined);
    for (let n = 0; n < 23; n++) meter.settle(await meter.reserve(2), 2, undefined);
    expect(requests).toHaveLength(1);
  });

  it('refuses from the last lease’s answer without asking the ledger again', async () => {
    const { meter, requests } = meterWith(() => ({
      grantedPool: 0,
      grantedShare: 0,
      shareUsed: 1_000,
      refused: 'integration',
    }));
    await expect(meter.reserve(26)).rejects.toMatchObject({
      code: 'quota_exhausted',
      details: { scope: 'integration' },
    });
    await expect(meter.reserve(26)).rejects.toMatchObject({ code: 'quota_exhausted' });
    expect(requests).toHaveLength(1);
  });

  it('lets only small calls spend a slice under the reserve', async () => {
    const { meter } = meterWith(() => ({ reserveOnly: true, available: 1_500 }));
    await expect(meter.reserve(26)).rejects.toMatchObject({
      code: 'quota_exhausted',
      details: { scope: 'app' },
    });
    await expect(meter.reserve(2)).resolves.toMatchObject({ need: 2 });
  });

  it('reports what its calls spent with its next lease, and gives back what Atlassian says is gone', async () => {
    const { meter, requests } = meterWith(() => ({}));
    const first = await meter.reserve(2);
    // Atlassian: only 50 points left of 10,000, far fewer than this isolate's slice of 100 claims.
    meter.settle(first, 2, { tier: 'global', size: 10_000, remaining: 50, resetSeconds: 3600 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const report = requests[1];
    expect(report?.reading).toMatchObject({ remaining: 50 });
    expect(report?.spent).toBe(2);
    expect(report?.returnedPool).toBeGreaterThan(0);
  });

  it('does not report what was spent in a window that has ended into the next one', async () => {
    const { meter, requests, env, settings } = meterWith(() => ({}));
    meter.settle(await meter.reserve(2), 2, undefined);
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 3_601_000);
    await reportPendingUsage(env, settings);
    expect(requests).toHaveLength(1);
  });

  it('keeps no slice of an ended window for an integration it no longer serves', async () => {
    const app = `unit-app-${apps++}`;
    const first = meterWith(() => ({}), { app, integration: 'int_gone' });
    first.meter.settle(await first.meter.reserve(2), 2, undefined);
    expect(heldSlices()).toBeGreaterThanOrEqual(2);
    // Two hours on, every window of this file's tests has ended (and the last sweep, at most an
    // hour on, is more than a minute ago); another integration's call leases in the new window.
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 7_200_000);
    const second = meterWith(() => ({ resetsAt: Date.now() + 3_600_000 }), { app, integration: 'int_next' });
    second.meter.settle(await second.meter.reserve(2), 2, undefined);
    // Its two slices are all this isolate holds: the gone integration's were dropped with the rest.
    expect(heldSlices()).toBe(2);
  });

  it('reports what its calls spent while the ledger was unavailable, after the local grant ends', async () => {
    const { meter, requests, env, settings, ledger } = meterWith(() => ({}));
    meter.settle(await meter.reserve(2), 2, undefined);
    // The ledger goes down: a call larger than the slice is granted here for a few seconds.
    ledger.down = true;
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    meter.settle(await meter.reserve(60), 60, undefined);
    ledger.down = false;
    // Ten seconds on, that grant has ended, the ledger's window has not: both calls are reported.
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 10_000);
    await reportPendingUsage(env, settings);
    expect(requests.at(-1)?.spent).toBe(62);
  });
});
