/**
 * `npm run bench -- --agent-token [--quick] [--before <bundle.js>]`: what a warm call made with an
 * agent token costs the gateway's workerd process beyond the same call made with the service token
 * (get_confluence_page, sliced, at c=16 and c=1). With `--before`, a bundle built from an earlier
 * commit is served beside the current one, each by its own workerd, emulator and storage, and the
 * rounds alternate over all four paths, so both builds are measured under the same load.
 *
 * The process CPU includes the local KV and Durable Object simulators, which run in the same workerd
 * process as the gateway; `npm run bench:profile -- --agent-token` shows the gateway isolate's own
 * share.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildGateway, processCpuNanoseconds } from '../support/workerd.ts';
import { compareTargets, type RoundResult, spread, type Target } from './load.ts';
import {
  type BenchEnvironment,
  SCENARIOS,
  type Scenario,
  SERVICE_TOKEN,
  startBenchEnvironment,
} from './setup.ts';

const QUICK = process.argv.includes('--quick');
const beforeIndex = process.argv.indexOf('--before');
const BEFORE = beforeIndex > 0 ? process.argv[beforeIndex + 1] : undefined;
const PLAN = QUICK
  ? { rounds: 3, callsPerRound: 100, warmup: 50 }
  : { rounds: 9, callsPerRound: 300, warmup: 150 };

const load = loadavg();
console.log(
  `Agent token over service token, ${PLAN.rounds} rounds of ${PLAN.callsPerRound} calls; load average ${load.map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} cores`,
);
buildGateway();
// The runtime loads a module only from below its working directory: both builds are copied there.
mkdirSync('bench-results', { recursive: true });
const scratch = mkdtempSync(join('bench-results', 'agent-token-'));
const bundleCopy = (from: string, name: string) => {
  copyFileSync(from, join(scratch, name));
  return join(scratch, name);
};
const builds = [
  ...(BEFORE ? [{ name: 'before', bundlePath: bundleCopy(BEFORE, 'before.js') }] : []),
  { name: 'now', bundlePath: bundleCopy('dist/index.js', 'now.js') },
];
const environments: { name: string; env: BenchEnvironment }[] = [];
try {
  for (const build of builds) {
    environments.push({
      name: build.name,
      env: await startBenchEnvironment({ bundlePath: build.bundlePath }),
    });
  }
  const [scenario] = SCENARIOS as [Scenario];
  const paths: { build: string; path: string; target: Target }[] = [];
  for (const { name, env } of environments) {
    const service = env.toolRequest(scenario);
    const token = await issueAgentToken(env);
    const pid = env.gateway.pid;
    const cpuSeconds = pid ? () => processCpuNanoseconds(pid) / 1e9 : undefined;
    paths.push(
      { build: name, path: 'service token', target: { ...service, cpuSeconds } },
      {
        build: name,
        path: 'agent token',
        target: { ...service, headers: { ...service.headers, authorization: `Bearer ${token}` }, cpuSeconds },
      },
    );
  }
  for (const concurrency of [16, 1]) {
    const results = await compareTargets(
      paths.map((p) => p.target),
      { concurrency, ...PLAN },
    );
    console.log(
      `\n${scenario.name} at c=${concurrency}: workerd process CPU per call, median [range] of the rounds`,
    );
    for (const { name } of environments) {
      const rows = (path: string) =>
        results[paths.findIndex((p) => p.build === name && p.path === path)] as RoundResult[];
      const service = rows('service token');
      const agent = rows('agent token');
      const cpu = (round: RoundResult) => round.cpuMsPerCall ?? 0;
      const errors = [...service, ...agent].reduce((sum, round) => sum + round.errors, 0);
      const show = (values: number[]) => {
        const s = spread(values);
        return `${s.median.toFixed(3)} ms [${s.min.toFixed(3)}–${s.max.toFixed(3)}]`;
      };
      console.log(
        `  ${name.padEnd(6)} service ${show(service.map(cpu))}  agent ${show(agent.map(cpu))}  agent − service ${show(agent.map((a, i) => cpu(a) - cpu(service[i] as RoundResult)))}${errors ? `  (${errors} errors)` : ''}`,
      );
    }
  }
} finally {
  for (const { env } of environments) {
    await env.gateway.close();
    await env.emulator.close();
  }
  rmSync(scratch, { recursive: true, force: true });
}

async function issueAgentToken(env: BenchEnvironment): Promise<string> {
  const answer = await fetch(`${env.gatewayUrl}/api/v1/integrations/${env.integrationId}/agent-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'bench' }),
  });
  if (answer.status !== 201) throw new Error(`agent token: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { token: string }).token;
}
