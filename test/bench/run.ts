/**
 * `npm run bench`: what the gateway adds to every call, measured beside a bare pass-through proxy
 * in the same runtime (workerd) and the emulator reached directly, all in one run on this machine.
 * Prints a table, writes bench-results/bench.json, and checks the budgets (exit 1 if one fails).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { SEED } from '../emulator/seed.ts';
import { startEmulator } from '../emulator/server.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import {
  buildGateway,
  freePort,
  processCpuSeconds,
  type RunningWorker,
  startBareProxyInWorkerd,
  startGatewayInWorkerd,
} from '../support/workerd.ts';
import { compareTargets, type LoadResult } from './load.ts';
import { markdownBench } from './markdown.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCIES = [1, 16];
const CLIENT = { clientId: 'bench-client-id', clientSecret: 'bench-client-secret' };
const SERVICE_TOKEN = 'bench-service-token-0123456789abcdef';

const BUDGETS = {
  throughputRatioC16: 0.9,
  p50RatioC16: 1.15,
  tokenRequestsFor200: 1,
  bundleGzipKiB: 250,
  cpuMsPerCall: 2,
  mcpCpuRatio: 1.15,
};

/** A tools/call as MCP clients of each protocol era send it (stateless: no initialize first). */
const MCP_ERAS = {
  'mcp 2025': { version: '2025-11-25', meta: undefined },
  'mcp 2026': {
    version: '2026-07-28',
    meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
} as const;

console.log('Building the production bundle (wrangler deploy --dry-run)…');
buildGateway();
const bundle = readFileSync('dist/index.js');
const bundleKiB = { raw: bundle.byteLength / 1024, gzip: gzipSync(bundle).byteLength / 1024 };

const emulator = await startEmulator({
  autoApprove: true,
  validate: false,
  clients: [CLIENT],
  sitePreset: 'single',
});
const gatewayPort = await freePort();
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const gateway = await startGatewayInWorkerd(
  {
    CONFLUENCE_CLIENT_ID: CLIENT.clientId,
    CONFLUENCE_CLIENT_SECRET: CLIENT.clientSecret,
    CONFLUENCE_REDIRECT_URI: `${gatewayUrl}/integrations/confluence/callback`,
    TOKEN_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
    SERVICE_API_TOKEN: SERVICE_TOKEN,
    ATLASSIAN_AUTH_BASE_URL: emulator.url,
    ATLASSIAN_API_BASE_URL: emulator.url,
    // The benchmark measures the gateway's overhead, not the per-integration budget it would hit.
    TOOL_CALLS_PER_MINUTE: '1000000',
  },
  gatewayPort,
);
const proxy = await startBareProxyInWorkerd(emulator.url);

try {
  const integrationId = await connectOverHttp({
    gatewayUrl,
    serviceToken: SERVICE_TOKEN,
    ownerId: 'bench',
    name: 'Bench',
  });
  const bearer = await emulatorAccessToken();
  const scenarios = [
    {
      // As agents call it: content sliced at the default max_chars (20 000 characters).
      name: 'get_confluence_page 50 KB',
      tool: 'get_confluence_page',
      args: { page_id: SEED.pages.large.id },
      mcp: true,
    },
    {
      // The whole 50 KB body in one answer: the gateway re-serialises all of it.
      name: 'get_confluence_page 50 KB whole',
      tool: 'get_confluence_page',
      args: { page_id: SEED.pages.large.id, max_chars: 200_000 },
      mcp: true,
    },
    {
      name: 'search_confluence_pages',
      tool: 'search_confluence_pages',
      args: { cql: 'type = page AND space = ENG AND text ~ "deploy" order by lastModified desc', limit: 25 },
    },
  ];

  const rows: Row[] = [];
  for (const scenario of scenarios) {
    const toolUrl = `${gatewayUrl}/api/v1/integrations/${integrationId}/tools/${scenario.tool}`;
    const toolRequest = {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(scenario.args),
    };
    const upstreamPath = await upstreamPathOf(toolUrl, toolRequest);
    const upstreamRequest = { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } };
    for (const concurrency of CONCURRENCIES) {
      const cpuOf = (worker: RunningWorker) =>
        worker.pid ? () => processCpuSeconds(worker.pid as number) : undefined;
      const paths = [
        { path: 'emulator', target: { url: `${emulator.url}${upstreamPath}`, ...upstreamRequest } },
        {
          path: 'bare proxy',
          target: { url: `${proxy.url}${upstreamPath}`, ...upstreamRequest, cpuSeconds: cpuOf(proxy) },
        },
        { path: 'gateway', target: { url: toolUrl, ...toolRequest, cpuSeconds: cpuOf(gateway) } },
        ...(scenario.mcp
          ? Object.entries(MCP_ERAS).map(([path, era]) => ({
              path,
              target: {
                ...mcpToolCall(integrationId, scenario.tool, scenario.args, era),
                cpuSeconds: cpuOf(gateway),
              },
            }))
          : []),
      ];
      const results = await compareTargets(
        paths.map((p) => p.target),
        { concurrency, requests: REQUESTS },
      );
      for (const [index, result] of results.entries()) {
        const { path } = paths[index] as (typeof paths)[number];
        rows.push({ scenario: scenario.name, concurrency, path, ...result });
        if (result.errors)
          console.warn(`  ${result.errors} of ${result.requests} calls failed through ${path}`);
      }
    }
  }

  const tokenRequestsFor200 = await expiredTokenStampede(integrationId);

  printTable(rows);
  const ratios = scenarios.map((scenario) => {
    const at = (path: string) =>
      rows.find((r) => r.scenario === scenario.name && r.concurrency === 16 && r.path === path) as Row;
    return {
      scenario: scenario.name,
      throughput: at('gateway').rps / at('bare proxy').rps,
      p50: at('gateway').p50Ms / at('bare proxy').p50Ms,
      cpuMsPerCall: at('gateway').cpuMsPerCall ?? Number.NaN,
      bareCpuMsPerCall: at('bare proxy').cpuMsPerCall ?? Number.NaN,
    };
  });
  const mcpRatios = scenarios
    .filter((scenario) => scenario.mcp)
    .flatMap((scenario) => {
      const cpu = (path: string) =>
        (rows.find((r) => r.scenario === scenario.name && r.concurrency === 16 && r.path === path) as Row)
          .cpuMsPerCall ?? Number.NaN;
      return Object.keys(MCP_ERAS).map((path) => ({
        scenario: scenario.name,
        path,
        cpuRatio: cpu(path) / cpu('gateway'),
      }));
    });
  const checks = [
    ...mcpRatios.map((r) => ({
      budget: `${r.scenario}: ${r.path} CPU per call ≤ ${BUDGETS.mcpCpuRatio} × the REST call's at c=16`,
      value: r.cpuRatio.toFixed(2),
      holds: r.cpuRatio <= BUDGETS.mcpCpuRatio,
    })),
    ...ratios.map((r) => ({
      budget: `${r.scenario}: throughput ≥ ${BUDGETS.throughputRatioC16} × bare proxy at c=16`,
      value: r.throughput.toFixed(2),
      holds: r.throughput >= BUDGETS.throughputRatioC16,
    })),
    ...ratios.map((r) => ({
      budget: `${r.scenario}: p50 ≤ ${BUDGETS.p50RatioC16} × bare proxy at c=16`,
      value: r.p50.toFixed(2),
      holds: r.p50 <= BUDGETS.p50RatioC16,
    })),
    ...ratios.map((r) => ({
      budget: `${r.scenario}: CPU per warm call < ${BUDGETS.cpuMsPerCall} ms (workerd process; bare proxy ${r.bareCpuMsPerCall.toFixed(2)} ms)`,
      value: `${r.cpuMsPerCall.toFixed(2)} ms`,
      holds: r.cpuMsPerCall < BUDGETS.cpuMsPerCall,
    })),
    {
      budget: 'token-endpoint requests for 200 concurrent calls on an expired token = 1',
      value: String(tokenRequestsFor200),
      holds: tokenRequestsFor200 === BUDGETS.tokenRequestsFor200,
    },
    {
      budget: `bundle ≤ ${BUDGETS.bundleGzipKiB} KiB gzipped (raw ${bundleKiB.raw.toFixed(1)} KiB)`,
      value: `${bundleKiB.gzip.toFixed(1)} KiB`,
      holds: bundleKiB.gzip <= BUDGETS.bundleGzipKiB,
    },
  ];
  const markdown = markdownBench();
  checks.push(...markdown.checks);
  console.log('\nBudgets');
  for (const check of checks)
    console.log(`  ${check.holds ? 'holds' : 'FAILS'}  ${check.budget}: ${check.value}`);

  mkdirSync('bench-results', { recursive: true });
  const results = {
    measured_at: new Date().toISOString(),
    requests_per_run: REQUESTS,
    rows,
    ratios,
    mcpRatios,
    tokenRequestsFor200,
    bundleKiB,
    markdown: markdown.figures,
    checks,
  };
  writeFileSync('bench-results/bench.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nFigures written to bench-results/bench.json');
  process.exitCode = checks.every((check) => check.holds) ? 0 : 1;
} finally {
  await gateway.close();
  await proxy.close();
  await emulator.close();
}

interface Row extends LoadResult {
  scenario: string;
  concurrency: number;
  path: string;
}

/** POST …/mcp with one JSON-RPC tools/call, as a client of that protocol era sends it. */
function mcpToolCall(
  integrationId: string,
  name: string,
  args: Record<string, unknown>,
  era: (typeof MCP_ERAS)[keyof typeof MCP_ERAS],
) {
  const params = { name, arguments: args, ...(era.meta && { _meta: era.meta }) };
  return {
    url: `${gatewayUrl}/api/v1/integrations/${integrationId}/mcp`,
    method: 'POST',
    headers: {
      authorization: `Bearer ${SERVICE_TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': era.version,
      ...(era.meta && { 'mcp-method': 'tools/call', 'mcp-name': name }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params }),
  };
}

/** The Confluence request one tool call makes, read back from the emulator's request log. */
async function upstreamPathOf(toolUrl: string, request: RequestInit): Promise<string> {
  await fetch(`${emulator.url}/_emulator/requests`, { method: 'DELETE' });
  const answer = await fetch(toolUrl, request);
  if (answer.status !== 200) throw new Error(`${toolUrl}: ${answer.status} ${await answer.text()}`);
  const log = (await (
    await fetch(`${emulator.url}/_emulator/requests?path_prefix=/ex/confluence`)
  ).json()) as {
    requests: { path: string; query?: Record<string, string | string[]> }[];
  };
  const entries = log.requests;
  if (entries.length !== 1)
    throw new Error(`expected one upstream request per tool call, saw ${entries.length}`);
  const [entry] = entries as [{ path: string; query?: Record<string, string | string[]> }];
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(entry.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
  }
  return `${entry.path}${query.size ? `?${query}` : ''}`;
}

/** An access token for the bare proxy and direct runs, from the emulator's own OAuth flow. */
async function emulatorAccessToken(): Promise<string> {
  const redirectUri = 'http://127.0.0.1/bench-callback';
  const authorize = new URL(`${emulator.url}/authorize`);
  authorize.search = new URLSearchParams({
    audience: 'api.atlassian.com',
    client_id: CLIENT.clientId,
    scope:
      'read:confluence-content.all search:confluence read:page:confluence read:space:confluence offline_access',
    redirect_uri: redirectUri,
    state: 'bench',
    response_type: 'code',
    prompt: 'consent',
  }).toString();
  const consent = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code');
  const token = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      code,
      redirect_uri: redirectUri,
    }),
  });
  return ((await token.json()) as { access_token: string }).access_token;
}

/** Expires every access token, fires 200 concurrent tool calls, and counts refresh requests. */
async function expiredTokenStampede(integrationId: string): Promise<number> {
  const stats = async () =>
    (
      (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as {
        token_requests: { refresh_token: number };
      }
    ).token_requests.refresh_token;
  await fetch(`${emulator.url}/_emulator/tokens/expire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const before = await stats();
  const answers = await Promise.all(
    Array.from({ length: 200 }, () =>
      fetch(`${gatewayUrl}/api/v1/integrations/${integrationId}/tools/get_confluence_spaces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      }).then((response) => response.status),
    ),
  );
  const failed = answers.filter((status) => status !== 200).length;
  if (failed) console.warn(`  ${failed} of 200 calls on an expired token failed`);
  return (await stats()) - before;
}

function printTable(rows: Row[]) {
  console.log(
    `\n${REQUESTS} calls per path and concurrency, in 4 rounds alternating the paths; closed loop on one 2-core machine shared by the load generator, workerd and the emulator.`,
  );
  console.log(
    [
      'scenario'.padEnd(32),
      'c'.padStart(3),
      'path'.padEnd(11),
      'req/s'.padStart(8),
      'p50 ms'.padStart(8),
      'p99 ms'.padStart(8),
      'CPU ms/call'.padStart(12),
      'workerd busy'.padStart(12),
    ].join('  '),
  );
  // "workerd busy" is the share of one core the Worker's process used. Near 100%, the isolate's one
  // thread is the bottleneck, and throughput through it is set by CPU per call alone.
  for (const row of rows) {
    console.log(
      [
        row.scenario.padEnd(32),
        String(row.concurrency).padStart(3),
        row.path.padEnd(11),
        row.rps.toFixed(0).padStart(8),
        row.p50Ms.toFixed(2).padStart(8),
        row.p99Ms.toFixed(2).padStart(8),
        (row.cpuMsPerCall === undefined ? '' : row.cpuMsPerCall.toFixed(2)).padStart(12),
        (row.cpuMsPerCall === undefined ? '' : `${((row.cpuMsPerCall * row.rps) / 10).toFixed(0)}%`).padStart(
          12,
        ),
      ].join('  '),
    );
  }
}
