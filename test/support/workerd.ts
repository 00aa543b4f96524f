/**
 * The production bundle of the gateway (dist/index.js, from `npm run build`) served by Miniflare,
 * i.e. real workerd on a loopback port, with the bindings of wrangler.toml. Used where a test or the
 * benchmark needs a real HTTP server rather than the in-process Worker of the Vitest plugin.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

export interface RunningWorker {
  url: string;
  /** The workerd process serving it (for CPU accounting), when it could be found. */
  pid?: number;
  /** The V8 inspector's HTTP address (its /json lists the targets), when one was asked for. */
  inspectorUrl?: string;
  close(): Promise<void>;
}

/** Bundles the gateway exactly as `wrangler deploy` would, into dist/. */
export function buildGateway(): void {
  execFileSync('wrangler', ['deploy', '--dry-run', '--outdir', 'dist'], {
    stdio: 'pipe',
    env: quietWrangler(),
  });
}

/**
 * Miniflare settings a caller may add: where storage persists, an inspector port for profiling
 * (0 picks a free one; RunningWorker.inspectorUrl says which).
 */
export interface WorkerdExtras {
  resourcePersistencePath?: string;
  inspectorPort?: number;
  /**
   * The bundle as a second module that a small first module imports on the first request (its
   * Durable Object classes forward the RPC methods a tool call uses to the bundle's): the runtime
   * parses it at start but evaluates it while serving that request, so the CPU from ready to the
   * first answer covers its module scope and the call (with each function compiled as it first
   * runs), apart from the runtime's own start (hundreds of milliseconds that vary more than that).
   */
  deferBundle?: boolean;
  /** Another build of the bundle to serve instead of dist/index.js (e.g. an earlier commit's, to compare). */
  bundlePath?: string;
}

/**
 * Serves the bundle with `bindings`. Settings that must name the gateway's own URL (the OAuth
 * callback) come from a function of that URL: the gateway starts on a port the system picks (port
 * 0, never released in between), and is then given its final settings on that same port.
 */
export async function startGatewayInWorkerd(
  bindings: Record<string, string> | ((url: string) => Record<string, string>),
  port = 0,
  extras: WorkerdExtras = {},
): Promise<RunningWorker> {
  // The bundle is one self-contained module, so wrangler's module rules have nothing to do.
  const { modulesRules: _rules, ...workerOptions } =
    unstable_getMiniflareWorkerOptions('wrangler.toml').workerOptions;
  const { deferBundle, bundlePath = 'dist/index.js', ...runtimeExtras } = extras;
  const code = deferBundle
    ? {
        modules: [
          {
            type: 'ESModule',
            path: 'main.js',
            contents: deferringModule(durableObjectClasses(workerOptions)),
          },
          { type: 'ESModule', path: 'bundle.js', contents: readFileSync(bundlePath, 'utf8') },
        ],
      }
    : { modules: true, scriptPath: bundlePath };
  const optionsWith = (settings: Record<string, string>) =>
    ({
      ...workerOptions,
      ...code,
      bindings: { ...(workerOptions.bindings as Record<string, unknown> | undefined), ...settings },
      port,
      ...runtimeExtras,
    }) as V4MiniflareOptions;
  if (typeof bindings !== 'function') return startWorkerd(optionsWith(bindings));
  return startWorkerd(optionsWith({}), (url) => optionsWith(bindings(url)));
}

/** The first module of a deferred bundle (WorkerdExtras.deferBundle). */
function deferringModule(classes: string[]): string {
  return [
    "import { DurableObject } from 'cloudflare:workers';",
    'let bundle;',
    "const load = () => (bundle ??= import('./bundle.js'));",
    ...classes.map(
      (name) => `export class ${name} extends DurableObject {
  #impl;
  async #of() { this.#impl ??= new (await load()).${name}(this.ctx, this.env); return this.#impl; }
  async lease(...args) { return (await this.#of()).lease(...args); }
  async sync(...args) { return (await this.#of()).sync(...args); }
  async noteSite(...args) { return (await this.#of()).noteSite(...args); }
  async fetch(request) { return (await this.#of()).fetch(request); }
}`,
    ),
    'export default {',
    '  async fetch(request, env, ctx) { return (await load()).default.fetch(request, env, ctx); },',
    '  async queue(batch, env, ctx) { return (await load()).default.queue(batch, env, ctx); },',
    '};',
  ].join('\n');
}

function durableObjectClasses(workerOptions: { durableObjects?: Record<string, unknown> }): string[] {
  return [
    ...new Set(
      Object.values(workerOptions.durableObjects ?? {}).map((binding) =>
        typeof binding === 'string' ? binding : (binding as { className: string }).className,
      ),
    ),
  ];
}

/**
 * A Worker that forwards every request to `upstream` and returns its answer untouched, or with
 * `script`, another such floor (test/bench/reshaping-proxy.js).
 */
export function startBareProxyInWorkerd(
  upstream: string,
  script = 'test/bench/bare-proxy.js',
): Promise<RunningWorker> {
  return startWorkerd({
    modules: true,
    scriptPath: script,
    compatibilityDate: '2026-11-01',
    bindings: { UPSTREAM: upstream },
  });
}

/**
 * The bare proxy (test/bench/bare-proxy.js) under the gateway's configuration: its bindings, queue
 * and a Durable Object class of each name it declares, holding nothing. The floor for a cold start,
 * where the runtime's set-up of those bindings is not the gateway's code.
 *
 * With `carryingBundle`, it also holds the gateway's bundle (dist/index.js) as a function that is
 * never called, imported by its first request: the runtime parses those bytes at start as it does
 * the gateway's (V8 preparses function bodies) and runs none of them. The cost of the bundle's
 * size, apart from what its code does.
 */
export function startBareProxyWithGatewayBindings(
  upstream: string,
  extras: WorkerdExtras & { carryingBundle?: boolean } = {},
): Promise<RunningWorker> {
  const { modulesRules: _rules, ...workerOptions } =
    unstable_getMiniflareWorkerOptions('wrangler.toml').workerOptions;
  const { carryingBundle, deferBundle: _deferred, ...runtimeExtras } = extras;
  let proxy = readFileSync('test/bench/bare-proxy.js', 'utf8').replace(
    'export default {',
    'export default {\n  queue() {},',
  );
  if (carryingBundle) {
    proxy = proxy.replace(
      'fetch(request, env) {',
      "async fetch(request, env) {\n    await import('./bundle.js');",
    );
  }
  const script = [
    "import { DurableObject } from 'cloudflare:workers';",
    ...durableObjectClasses(workerOptions).map((name) => `export class ${name} extends DurableObject {}`),
    proxy,
  ].join('\n');
  return startWorkerd({
    ...workerOptions,
    ...(carryingBundle
      ? {
          modules: [
            { type: 'ESModule', path: 'main.js', contents: script },
            { type: 'ESModule', path: 'bundle.js', contents: uncalledBundle() },
          ],
        }
      : { modules: true, script }),
    bindings: { ...(workerOptions.bindings as Record<string, unknown> | undefined), UPSTREAM: upstream },
    ...runtimeExtras,
  } as V4MiniflareOptions);
}

/**
 * A small Worker holding the gateway's KV binding on `resourcePersistencePath`: each POST of a JSON
 * list of [key, value] pairs is written with the runtime's own KV, so a gateway started later on the
 * same storage finds them; `GET /?key=…` reads one back (test/bench/grown-kv.ts).
 */
export function startKvWriter(resourcePersistencePath: string): Promise<RunningWorker> {
  const { kvNamespaces } = unstable_getMiniflareWorkerOptions('wrangler.toml').workerOptions;
  return startWorkerd({
    modules: true,
    script: `export default {
  async fetch(request, env) {
    const key = new URL(request.url).searchParams.get('key');
    if (request.method === 'GET') return new Response(await env.CONFLUENCE_KV.get(key), { status: 200 });
    const entries = await request.json();
    await Promise.all(entries.map(([key, value]) => env.CONFLUENCE_KV.put(key, value)));
    return new Response(String(entries.length));
  },
};`,
    compatibilityDate: '2026-11-01',
    kvNamespaces,
    resourcePersistencePath,
  } as V4MiniflareOptions);
}

/** dist/index.js as the body of a function never called: its imports become reads of an argument. */
function uncalledBundle(): string {
  const body = readFileSync('dist/index.js', 'utf8')
    .replace(
      /import\s*\{([^}]*)\}\s*from\s*"cloudflare:workers";?/g,
      (_statement, names: string) => `const{${names.replaceAll(' as ', ':')}}=cloudflareWorkers;`,
    )
    .replace(/export\s*\{[^}]*\};?/, '')
    .replace(/\/\/# sourceMappingURL=.*$/m, '');
  if (/^\s*(import|export)\b/m.test(body))
    throw new Error('dist/index.js has an import or export this cannot rewrite');
  return `export function uncalled(cloudflareWorkers) {\n${body}\n}\n`;
}

/**
 * Starts workerd; with `settle`, then swaps in the options that depend on the URL it got. Miniflare
 * keeps a port it picked for port 0 across setOptions, which the URL check below makes sure of.
 */
async function startWorkerd(
  options: V4MiniflareOptions,
  settle?: (url: string) => V4MiniflareOptions,
): Promise<RunningWorker> {
  const before = new Set(workerdChildren());
  const miniflare = new Miniflare(convertV4MiniflareOptions({ host: '127.0.0.1', port: 0, ...options }));
  const url = (await miniflare.ready).toString().replace(/\/$/, '');
  if (settle) {
    await miniflare.setOptions(convertV4MiniflareOptions({ host: '127.0.0.1', port: 0, ...settle(url) }));
    const settled = (await miniflare.ready).toString().replace(/\/$/, '');
    if (settled !== url) {
      await miniflare.dispose();
      throw new Error(`workerd moved from ${url} to ${settled} when its settings changed`);
    }
  }
  const pid = workerdChildren().find((candidate) => !before.has(candidate));
  const inspectorUrl =
    options.inspectorPort === undefined
      ? undefined
      : (await miniflare.getInspectorURL()).toString().replace(/^ws:/, 'http:').replace(/\/$/, '');
  return { url, pid, inspectorUrl, close: () => miniflare.dispose() };
}

/** workerd processes started by this Node process. */
function workerdChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').trim();
      const [, name, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat) ?? [];
      const parent = Number(rest?.split(' ')[1]);
      if (name === 'workerd' && parent === process.pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/**
 * CPU nanoseconds the live threads of a process have run so far (the scheduler's own account in
 * /proc/<pid>/task/<tid>/schedstat): exact where `processCpuSeconds` counts 10 ms ticks, so it is
 * the one to use for a short span such as a cold start.
 */
export function processCpuNanoseconds(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended while we looked.
    }
  }
  return total;
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function quietWrangler(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'error' };
}
