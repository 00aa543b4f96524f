/**
 * `npm run bench:cold-compare -- before.js after.js [--rounds N]`: the cold start of two (or more)
 * builds of the bundle in one run, their fresh isolates interleaved so that the machine's load lands
 * on each alike. Single cold starts on a shared 2-core machine move by more than most changes to
 * the bundle do, and two `npm run bench -- --cold` runs minutes apart meet different loads; this
 * compares builds within a round instead. Save a build first, e.g.
 * `npm run build && cp dist/index.js /tmp/before.js`, then change the code and build the other.
 *
 * Each round starts, per bundle, the bare proxy under the gateway's configuration, the bare proxy
 * carrying that bundle uncalled, and the gateway with that bundle deferred (the same Workers as
 * `npm run bench -- --cold`, test/bench/run.ts), each serving one first request: the gateway
 * `get_confluence_page` on the 50 KB page, the proxies the Confluence request that call makes.
 * Printed per bundle (median and range over the rounds): the gateway's CPU from ready to its first
 * answer over the bare proxy's (module scope and the first call), and the carrying proxy's process
 * CPU over the bare proxy's (the bundle's parse at start). dist/index.js is put back as it was.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  processCpuNanoseconds,
  type RunningWorker,
  startBareProxyWithGatewayBindings,
} from '../support/workerd.ts';
import { send, spread, type Target } from './load.ts';
import { emulatorAccessToken, SCENARIOS, type Scenario, startBenchEnvironment } from './setup.ts';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt === -1 ? 11 : Number(args[roundsAt + 1]);
const bundles = args.filter((arg, index) => !arg.startsWith('--') && index !== roundsAt + 1);
if (bundles.length < 2 || !(ROUNDS > 0)) {
  console.error('usage: npm run bench:cold-compare -- before.js after.js [--rounds N]');
  process.exit(2);
}
const names = bundles.map((path, index) => `${index + 1}:${basename(path)}`);
for (const [index, path] of bundles.entries()) {
  const bytes = readFileSync(path);
  console.log(
    `${names[index]}: ${bytes.byteLength} B, ${gzipSync(bytes, { level: 9 }).byteLength} B gzipped (zlib level 9)`,
  );
}
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
console.log(`load average at start ${load()}; ${ROUNDS} rounds`);

const DIST = 'dist/index.js';
const original = mkdtempSync(join(tmpdir(), 'cold-compare-'));
copyFileSync(DIST, join(original, 'index.js'));
const storage = mkdtempSync(join(tmpdir(), 'cold-compare-storage-'));
copyFileSync(bundles[0] as string, DIST);
const env = await startBenchEnvironment({ resourcePersistencePath: storage });
try {
  const [scenario] = SCENARIOS as [Scenario];
  const bearer = await emulatorAccessToken(env.emulator.url);
  const upstreamPath = await upstreamPathOf(env.toolRequest(scenario));
  await env.gateway.close();
  const bare = (url: string): Target => ({
    url: `${url}${upstreamPath}`,
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
  });
  const added = bundles.map(() => [] as number[]);
  const parse = bundles.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let step = 0; step < bundles.length; step++) {
      const index = (round + step) % bundles.length;
      copyFileSync(bundles[index] as string, DIST);
      const floor = await firstAnswer(
        () => startBareProxyWithGatewayBindings(env.emulator.url, { resourcePersistencePath: storage }),
        bare,
      );
      const carrying = await firstAnswer(
        () =>
          startBareProxyWithGatewayBindings(env.emulator.url, {
            resourcePersistencePath: storage,
            carryingBundle: true,
          }),
        bare,
      );
      const gateway = await firstAnswer(
        () => env.startGateway({ deferBundle: true }),
        (url) => env.toolRequest(scenario, url),
      );
      added[index]?.push(gateway.firstCallCpuMs - floor.firstCallCpuMs);
      parse[index]?.push(carrying.processCpuMs - floor.processCpuMs);
    }
  }
  const shown = (values: number[]) => {
    const { median, min, max } = spread(values);
    return `${median.toFixed(1)} (${min.toFixed(1)}–${max.toFixed(1)})`;
  };
  console.log(
    '\nCPU ms, median (range): first answer over the bare proxy | parse at start over the bare proxy',
  );
  for (const [index, name] of names.entries()) {
    console.log(`  ${name.padEnd(28)} ${shown(added[index] ?? []).padEnd(22)} ${shown(parse[index] ?? [])}`);
  }
  console.log(`load average at end ${load()}`);
} finally {
  copyFileSync(join(original, 'index.js'), DIST);
  await env.emulator.close();
  rmSync(storage, { recursive: true, force: true });
  rmSync(original, { recursive: true, force: true });
}

/** Starts a fresh workerd, sends it one request, and reads its CPU at ready and after the answer. */
async function firstAnswer(start: () => Promise<RunningWorker>, target: (url: string) => Target) {
  const worker = await start();
  try {
    if (!worker.pid) throw new Error('the workerd process was not found');
    const ready = processCpuNanoseconds(worker.pid);
    const status = await send(undefined, target(worker.url));
    const answered = processCpuNanoseconds(worker.pid);
    if (status !== 200) throw new Error(`the first request answered ${status}`);
    return { firstCallCpuMs: (answered - ready) / 1e6, processCpuMs: answered / 1e6 };
  } finally {
    await worker.close();
  }
}

/** The one Confluence request the tool call makes (the emulator's request log), as a path. */
async function upstreamPathOf(toolRequest: Target): Promise<string> {
  await fetch(`${env.emulator.url}/_emulator/requests`, { method: 'DELETE' });
  const answer = await fetch(toolRequest.url, toolRequest);
  if (answer.status !== 200) throw new Error(`${toolRequest.url}: ${answer.status}`);
  const log = (await (
    await fetch(`${env.emulator.url}/_emulator/requests?path_prefix=/ex/confluence`)
  ).json()) as { requests: { path: string; query?: Record<string, string | string[]> }[] };
  const [entry, ...more] = log.requests;
  if (!entry || more.length) throw new Error(`expected one upstream request, saw ${log.requests.length}`);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(entry.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
  }
  return `${entry.path}${query.size ? `?${query}` : ''}`;
}
