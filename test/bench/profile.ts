/**
 * `npm run bench:profile`: where the gateway's CPU goes on warm calls. Serves the production bundle
 * in workerd with the V8 inspector open, samples the isolate with the inspector's profiler while a
 * closed loop of tool calls runs (one profile per scenario), and prints the functions and the
 * bundled modules with the largest share of the samples (self time; idle excluded). Writes each
 * profile to bench-results/<scenario>.cpuprofile, which Chrome DevTools' Performance panel opens.
 * `-- --quick` takes fewer calls; `-- --cold` profiles only the first call of a fresh isolate;
 * `-- --agent-token` profiles the first scenario twice, with the service token and then with an agent
 * token, to show what an agent's call costs the isolate beyond the service token's. Each profile
 * also gives the isolate's busy time per call: the gateway's own CPU, apart from the KV and Durable
 * Object simulators that run in other isolates of the same workerd process.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway, type RunningWorker } from '../support/workerd.ts';
import { compareTargets, send } from './load.ts';
import { SCENARIOS, type Scenario, SERVICE_TOKEN, startBenchEnvironment } from './setup.ts';

const CALLS = process.argv.includes('--quick') ? 400 : 3000;
const COLD_ONLY = process.argv.includes('--cold');
const AGENT_TOKEN = process.argv.includes('--agent-token');
const CONCURRENCY = 16;
const TOP = 12;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// The production bundle is minified: names and modules are read back through its source map.
buildGateway();
const bundleMap = new SourceMap(JSON.parse(readFileSync('dist/index.js.map', 'utf8')));
// Storage persists on disk so that a fresh gateway (the cold profile) finds the integration. The
// inspector listens on a port workerd picks (0).
const storage = mkdtempSync(join(tmpdir(), 'gateway-profile-'));
const env = await startBenchEnvironment({ inspectorPort: 0, resourcePersistencePath: storage });
try {
  if (!AGENT_TOKEN) await profileColdCall();
  if (!COLD_ONLY) {
    const inspector = await connectInspector(env.gateway);
    await inspector.call('Profiler.enable');
    await inspector.call('Profiler.setSamplingInterval', { interval: 100 });
    mkdirSync('bench-results', { recursive: true });
    for (const { name, target } of await profiledTargets()) {
      await compareTargets([target], { concurrency: CONCURRENCY, callsPerRound: 200, rounds: 1 });
      await inspector.call('Profiler.start');
      await compareTargets([target], {
        concurrency: CONCURRENCY,
        callsPerRound: CALLS,
        rounds: 1,
        warmup: 0,
      });
      const { profile } = (await inspector.call('Profiler.stop')) as { profile: Profile };
      const file = `bench-results/${name.replaceAll(/[^a-z0-9]+/gi, '-')}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      report(`${name}, ${CALLS} calls at c=${CONCURRENCY}`, profile, file, 100, CALLS);
    }
    inspector.close();
  }
} finally {
  await env.gateway.close();
  await env.emulator.close();
  rmSync(storage, { recursive: true, force: true });
}

/**
 * The first call a fresh isolate serves: a second gateway on the same storage, its bundle deferred
 * (imported by the first request, WorkerdExtras.deferBundle) so that the profile holds the bundle's
 * module scope as well as the call, each function compiled as it first runs.
 */
async function profileColdCall() {
  const fresh = await env.startGateway({ inspectorPort: 0, deferBundle: true });
  try {
    const inspector = await connectInspector(fresh);
    await inspector.call('Profiler.enable');
    await inspector.call('Profiler.setSamplingInterval', { interval: 50 });
    await inspector.call('Profiler.start');
    const [scenario] = SCENARIOS as [Scenario];
    const status = await send(undefined, env.toolRequest(scenario, fresh.url));
    if (status !== 200) throw new Error(`the cold call answered ${status}`);
    const { profile } = (await inspector.call('Profiler.stop')) as { profile: Profile };
    inspector.close();
    const file = 'bench-results/cold-first-call.cpuprofile';
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    report(`first call of a fresh isolate, ${scenario.name}`, profile, file, 50);
  } finally {
    await fresh.close();
  }
}

/** The calls to profile: each scenario's with the service token, or (--agent-token) the first one's with each token. */
async function profiledTargets() {
  if (!AGENT_TOKEN)
    return SCENARIOS.map((scenario) => ({ name: scenario.name, target: env.toolRequest(scenario) }));
  const [scenario] = SCENARIOS as [Scenario];
  const service = env.toolRequest(scenario);
  const issued = await fetch(`${env.gatewayUrl}/api/v1/integrations/${env.integrationId}/agent-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'profile' }),
  });
  if (issued.status !== 201) throw new Error(`agent token: ${issued.status} ${await issued.text()}`);
  const { token } = (await issued.json()) as { token: string };
  const agent = { ...service, headers: { ...service.headers, authorization: `Bearer ${token}` } };
  return [
    { name: `${scenario.name}, service token`, target: service },
    { name: `${scenario.name}, agent token`, target: agent },
  ];
}

function report(name: string, profile: Profile, file: string, intervalUs = 100, calls?: number) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const { callFrame } = byId.get(id) as ProfileNode;
    if (callFrame.functionName === '(idle)') continue;
    busy++;
    // The bundle is dist/index.js, or bundle.js when deferred behind a first module.
    const inBundle = callFrame.url.endsWith('index.js') || callFrame.url.endsWith('bundle.js');
    const from = inBundle ? original(callFrame.lineNumber, callFrame.columnNumber) : undefined;
    const module = from ? packageOf(from.source) : `(runtime) ${callFrame.functionName || '(anonymous)'}`;
    const key = from
      ? `${from.name ?? (callFrame.functionName || '(anonymous)')} (${from.source}:${from.line + 1})`
      : module;
    functions.set(key, (functions.get(key) ?? 0) + 1);
    modules.set(module, (modules.get(module) ?? 0) + 1);
  }
  const top = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([key, count]) => `  ${((count / busy) * 100).toFixed(1).padStart(5)}%  ${key}`)
      .join('\n');
  // Sampled, so an estimate; the profiler's own overhead is in it too, the same for each profile.
  const perCall = calls ? `, about ${((busy * intervalUs) / 1000 / calls).toFixed(3)} ms per call` : '';
  console.log(
    `\n${name}: ${busy} busy samples of ${intervalUs} µs${perCall} (${file})\nTop functions, self time:\n${top(functions)}\nBy module, self time:\n${top(modules)}`,
  );
}

/** Where a position of the minified bundle came from, through its source map (dist/index.js.map). */
function original(line: number, column: number): { source: string; line: number; name?: string } {
  const entry = bundleMap.findEntry(line, column) as {
    originalSource?: string;
    originalLine?: number;
    name?: string;
  };
  if (!entry.originalSource) return { source: '(bundle)', line };
  const source = entry.originalSource
    .replace(/^.*?node_modules\//, '')
    .replace(/^(\.\.\/)+/, '')
    .replace(/\/dist\/.*\/([^/]+)$/, '/…/$1');
  return { source, line: entry.originalLine ?? line, name: entry.name };
}

/** The package (or src/ folder) a source belongs to. */
function packageOf(source: string): string {
  const parts = source.split('/');
  if (parts[0] === 'src') return parts.slice(0, parts.length > 2 ? 2 : 1).join('/');
  return parts.slice(0, source.startsWith('@') ? 2 : 1).join('/');
}

/** A minimal Chrome DevTools Protocol client on the gateway isolate's inspector WebSocket. */
async function connectInspector(gateway: RunningWorker) {
  if (!gateway.inspectorUrl) throw new Error('the gateway was started without an inspector');
  const targets = (await (await fetch(`${gateway.inspectorUrl}/json`)).json()) as {
    id: string;
    title?: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.id.includes('confluence-agent-gateway')) ?? targets[0];
  if (!target) throw new Error('workerd offered no inspector target');
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id as number);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  let nextId = 1;
  return {
    call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => socket.close(),
  };
}
