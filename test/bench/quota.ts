/**
 * `npm run bench -- --quota`: Atlassian's points quota under a crowd (issue 24). 200 integrations
 * share one app pool, scaled down in size and time on the emulator (6,500 points per 60-second
 * window: a tenth of 65,000 points, an hour run sixty times as fast): 190 quiet tenants read pages,
 * search a little and comment at a human pace, re-reading what they read before; 10 crawlers list a
 * 260-page space 200 to 250 pages at a time (so the read cache rarely helps them), non-stop, retrying
 * a refusal after at most 3 s. The gateway runs
 * with its defaults (10% of the pool per integration, the last 20% kept for small calls, reads
 * cached 30 s).
 *
 * Reported: the quiet tenants' success rate (goal 100%), Atlassian's quota 429s (goal 0), the pool's
 * low-water mark (sampled from the emulator every 250 ms), the points the read cache saved, and the
 * CPU the ledger adds to a warm call, measured on the meter's own path in this process. Writes
 * bench-results/quota.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { SEED } from '../../dev/emulator/seed.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { buildGateway } from '../support/workerd.ts';
import { measureLedgerCpu } from './ledger-cpu.ts';
import { SERVICE_TOKEN, startBenchEnvironment } from './setup.ts';

const POOL_POINTS = 6_500;
const WINDOW_SECONDS = 60;
const QUIET = 190;
const CRAWLERS = 10;
const WINDOWS = Number(process.env.QUOTA_BENCH_WINDOWS ?? 3);
/** A quiet tenant's pause between calls: 20 s on average, i.e. 20 minutes at the hour's pace. */
const QUIET_PAUSE_MS = 20_000;
const CRAWLER_MAX_WAIT_S = 3;

const QUIET_PAGES = [
  SEED.pages.architecture.id,
  SEED.pages.runbooks.id,
  SEED.pages.deployRunbook.id,
  SEED.pages.apiGuidelines.id,
  SEED.pages.incidentResponse.id,
  SEED.pages.glossary.id,
];

interface Outcome {
  status: number;
  points?: number;
  code?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

console.log(
  `Quota simulation: ${QUIET} quiet tenants and ${CRAWLERS} crawlers on one pool of ${POOL_POINTS} points per ${WINDOW_SECONDS} s, ${WINDOWS} windows; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} on ${availableParallelism()} cores (shared: other work on this machine slows the run)`,
);
const ledgerCpu = await measureLedgerCpu();
console.log(`Ledger CPU per warm call: ${ledgerCpu.toFixed(4)} ms`);

console.log('Building the production bundle…');
buildGateway();
// The gateway at its defaults: the read cache on, the pool learnt from the emulator's headers.
const env = await startBenchEnvironment({}, { CONFLUENCE_READ_CACHE_SECONDS: '30' });
const { emulator, gatewayUrl } = env;
const control = async (path: string, body?: unknown) => {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: control answers are read field by field
  return (await response.json()) as any;
};

try {
  console.log('Connecting 200 integrations…');
  const ids = [env.integrationId];
  while (ids.length < QUIET + CRAWLERS) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, QUIET + CRAWLERS - ids.length) }, (_, n) =>
        connectOverHttp({
          gatewayUrl,
          serviceToken: SERVICE_TOKEN,
          ownerId: `tenant-${ids.length + n}`,
          name: `Tenant ${ids.length + n}`,
        }),
      ),
    );
    ids.push(...batch);
  }
  const crawlers = ids.slice(0, CRAWLERS);
  const quiet = ids.slice(CRAWLERS);

  // The pool is set once everyone is connected, and the run starts at the top of a window.
  await control('/quota', { points: POOL_POINTS, window_seconds: WINDOW_SECONDS });
  const firstWindow = Date.parse((await control('/clock')).now);
  const toBoundary = WINDOW_SECONDS * 1000 - (firstWindow % (WINDOW_SECONDS * 1000));
  console.log(`Waiting ${Math.round(toBoundary / 1000)} s for the top of a window…`);
  await sleep(toBoundary + 200);
  const endAt = Date.now() + WINDOWS * WINDOW_SECONDS * 1000;

  let lowWater = { remaining: POOL_POINTS, at: 0 };
  const sampler = (async () => {
    while (Date.now() < endAt) {
      const { pools } = await control('/quota');
      for (const pool of pools as { remaining: number }[]) {
        if (pool.remaining < lowWater.remaining) lowWater = { remaining: pool.remaining, at: Date.now() };
      }
      await sleep(250);
    }
  })();

  const call = async (id: string, tool: string, args: unknown): Promise<Outcome> => {
    const response = await fetch(`${gatewayUrl}/api/v1/integrations/${id}/tools/${tool}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
    const body = (await response.json()) as any;
    return {
      status: response.status,
      points: body.points,
      code: body.error?.code,
      ...(body.error && { retry: body.error.retry_after_seconds }),
    } as Outcome;
  };

  const quietResults: Outcome[] = [];
  const crawlerResults: Outcome[] = [];
  /** Per tenant and arguments, what the last uncached answer cost: a cached one saved that much. */
  const lastCost = new Map<string, number>();
  let savedByCache = 0;

  const quietTenant = async (id: string, index: number) => {
    const pages = [QUIET_PAGES[index % QUIET_PAGES.length], QUIET_PAGES[(index + 1) % QUIET_PAGES.length]];
    await sleep(Math.random() * QUIET_PAUSE_MS);
    while (Date.now() < endAt) {
      const roll = Math.random();
      const [tool, args] =
        roll < 0.7
          ? ['get_confluence_page', { page_id: pages[Math.floor(Math.random() * 2)] }]
          : roll < 0.9
            ? ['search_confluence_pages', { cql: 'type = page AND text ~ "deploy"', limit: 5 }]
            : ['add_confluence_comment', { page_id: pages[0], comment: `Note from tenant ${index}` }];
      const outcome = await call(id, tool as string, args);
      quietResults.push(outcome);
      const key = `${id} ${tool} ${JSON.stringify(args)}`;
      if (outcome.status === 200 && tool !== 'add_confluence_comment') {
        if (outcome.points === 0) savedByCache += lastCost.get(key) ?? 0;
        else lastCost.set(key, outcome.points ?? 0);
      }
      await sleep(QUIET_PAUSE_MS * (0.5 + Math.random()));
    }
  };

  const crawler = async (id: string) => {
    let cursor: string | undefined;
    while (Date.now() < endAt) {
      const response = await fetch(
        `${gatewayUrl}/api/v1/integrations/${id}/tools/get_confluence_space_pages`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
          // A page size of 200 to 250, so that the read cache rarely answers a crawler.
          body: JSON.stringify({
            space_id: SEED.spaces.bulk.id,
            limit: 200 + Math.floor(Math.random() * 51),
            ...(cursor && { cursor }),
          }),
        },
      );
      // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
      const body = (await response.json()) as any;
      crawlerResults.push({ status: response.status, points: body.points, code: body.error?.code });
      if (response.status === 200) cursor = body.next_cursor;
      else await sleep(Math.min(CRAWLER_MAX_WAIT_S, body.error?.retry_after_seconds ?? 1) * 1000);
    }
  };

  console.log(`Running ${WINDOWS} windows of ${WINDOW_SECONDS} s…`);
  await Promise.all([...quiet.map(quietTenant), ...crawlers.map(crawler), sampler]);

  const stats = await control('/stats');
  const quota = (await (
    await fetch(`${gatewayUrl}/api/v1/quota`, { headers: { authorization: `Bearer ${SERVICE_TOKEN}` } })
  ).json()) as { limit: number; spent: number; saved_by_cache: number };
  const quietOk = quietResults.filter((r) => r.status === 200).length;
  const quietFailures = Object.entries(
    Object.groupBy(
      quietResults.filter((r) => r.status !== 200),
      (r) => `${r.status} ${r.code}`,
    ),
  ).map(([key, list]) => `${key} ×${list?.length}`);
  const crawlerOk = crawlerResults.filter((r) => r.status === 200).length;
  const crawlerPoints = crawlerResults.reduce((sum, r) => sum + (r.points ?? 0), 0);
  const results = {
    at: new Date().toISOString(),
    pool: { points: POOL_POINTS, window_seconds: WINDOW_SECONDS, windows: WINDOWS },
    quiet: {
      tenants: quiet.length,
      calls: quietResults.length,
      ok: quietOk,
      success_rate: quietOk / Math.max(1, quietResults.length),
      failures: quietFailures,
    },
    crawlers: {
      tenants: crawlers.length,
      calls: crawlerResults.length,
      ok: crawlerOk,
      refused: crawlerResults.filter((r) => r.code === 'quota_exhausted').length,
      points: crawlerPoints,
    },
    atlassian_quota_429s: stats.quota_429s,
    confluence_requests: stats.confluence_requests,
    pool_low_water: { remaining: lowWater.remaining, share: lowWater.remaining / POOL_POINTS },
    points_saved_by_cache: savedByCache,
    gateway_quota_after_run: { limit: quota.limit, spent: quota.spent, saved_by_cache: quota.saved_by_cache },
    ledger_cpu_ms_per_warm_call: ledgerCpu,
    load_average: loadavg(),
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/quota.json', `${JSON.stringify(results, null, 2)}\n`);

  const rows: [string, string, string][] = [
    [
      'Quiet tenants’ calls that succeeded',
      `${(results.quiet.success_rate * 100).toFixed(2)}% (${quietOk} of ${quietResults.length})`,
      '100%',
    ],
    ['Atlassian’s quota 429s', String(stats.quota_429s), '0'],
    [
      'Pool’s low-water mark',
      `${lowWater.remaining} points (${((lowWater.remaining / POOL_POINTS) * 100).toFixed(1)}% of ${POOL_POINTS})`,
      '> 0',
    ],
    ['Points saved by the read cache', `${savedByCache} (quiet tenants’ re-reads)`, ''],
    [
      'Crawlers’ calls: answered / refused',
      `${crawlerOk} / ${results.crawlers.refused} (${crawlerPoints} points)`,
      '',
    ],
    ['Ledger CPU per warm call', `${ledgerCpu.toFixed(4)} ms`, '≤ 0.02 ms'],
  ];
  console.log('\n| measure | result | goal |\n| --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (quietFailures.length) console.log(`Quiet failures: ${quietFailures.join(', ')}`);
  const held = results.quiet.success_rate === 1 && stats.quota_429s === 0 && ledgerCpu <= 0.02;
  console.log(held ? '\nGoals held.' : '\nA goal was missed.');
  process.exitCode = held ? 0 : 1;
} finally {
  await env.gateway.close();
  await emulator.close();
}
