/**
 * The CPU the points ledger adds to a warm call (quota/meter.ts): shown by `npm run bench` beside
 * the gateway's other figures, and by the quota simulation (`npm run bench -- --quota`).
 */
import { readQuotaHeaders } from '../../src/quota/headers.ts';
import { QuotaMeter } from '../../src/quota/meter.ts';
import { chargedPoints, predictPoints } from '../../src/quota/pricing.ts';
/**
 * The meter's work on a warm call, in this process: predict, reserve from the slices, charge, read
 * Atlassian's headers and settle, with slices already leased (a stub ledger grants generously, and
 * is asked again only when they run out). Median of 7 runs of `callsPerRun` calls (200,000).
 */
export async function measureLedgerCpu(callsPerRun = 200_000): Promise<number> {
  const ledger = {
    sync: async () => ({
      tier: 'global',
      size: 1e12,
      windowSeconds: 3600,
      resetsAt: Date.now() + 3_600_000,
      available: 1e12,
      used: 0,
      source: 'counted',
      grantedPool: 1e9,
      grantedShare: 1e9,
      reserveOnly: false,
      allowance: 1e11,
      shareUsed: 0,
    }),
  };
  const fakeEnv = {
    QUOTA_LEDGER: { idFromName: (name: string) => name, get: () => ledger },
  } as unknown as Env;
  const meter = new QuotaMeter(
    fakeEnv,
    { id: 'int_bench', name: 'Bench', cloudId: 'cloud' },
    { app: 'bench-app', pointsPerHour: 65_000 },
    () => {},
  );
  const request = { method: 'GET', path: '/wiki/api/v2/pages/65538', query: { 'body-format': 'storage' } };
  const headers = new Headers({
    'RateLimit-Policy': '"global-app-quota";q=1000000000000;w=3600',
    RateLimit: '"global-app-quota";t=3600',
  });
  const body = { id: '65538' };
  const runs: number[] = [];
  await meter.reserve(2); // the lease: the cold call
  for (let run = 0; run < 7; run++) {
    const calls = callsPerRun;
    const start = process.cpuUsage();
    for (let n = 0; n < calls; n++) {
      const reservation = await meter.reserve(predictPoints(request));
      meter.settle(reservation, chargedPoints(request, 200, body), readQuotaHeaders(headers));
    }
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / 1000 / calls);
  }
  runs.sort((a, b) => a - b);
  return runs[3] as number;
}
