import { Agent, request } from 'node:http';

/** A closed-loop load: `concurrency` workers, each sending its next request when the last answers. */
export interface Target {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A process whose CPU time is charged to this target, read by `cpuSeconds`. */
  cpuSeconds?: () => number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time per call of the target's process, when it has one. */
  cpuMsPerCall?: number;
}

/**
 * Measures several targets against each other fairly on a shared, noisy machine: the calls are
 * split into rounds, and each round runs every target once, in a rotating order, so a burst of
 * background work lands on all of them alike. Every latency is kept, for exact percentiles.
 */
export async function compareTargets(
  targets: Target[],
  options: { concurrency: number; requests: number; rounds?: number; warmup?: number },
): Promise<LoadResult[]> {
  const rounds = options.rounds ?? 4;
  const perRound = Math.ceil(options.requests / rounds);
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: options.concurrency }));
  const totals = targets.map(() => ({ latencies: [] as number[], errors: 0, seconds: 0, cpu: 0 }));
  try {
    for (const [index, target] of targets.entries()) {
      await closedLoop(agents[index] as Agent, target, options.concurrency, options.warmup ?? 200);
    }
    for (let round = 0; round < rounds; round++) {
      for (let step = 0; step < targets.length; step++) {
        const index = (round + step) % targets.length;
        const target = targets[index] as Target;
        const total = totals[index] as (typeof totals)[number];
        const cpuBefore = target.cpuSeconds?.() ?? 0;
        const started = process.hrtime.bigint();
        const { latencies, errors } = await closedLoop(
          agents[index] as Agent,
          target,
          options.concurrency,
          perRound,
        );
        total.seconds += Number(process.hrtime.bigint() - started) / 1e9;
        total.cpu += (target.cpuSeconds?.() ?? 0) - cpuBefore;
        total.latencies.push(...latencies);
        total.errors += errors;
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return targets.map((target, index) => {
    const { latencies, errors, seconds, cpu } = totals[index] as (typeof totals)[number];
    latencies.sort((a, b) => a - b);
    return {
      requests: latencies.length,
      errors,
      seconds,
      rps: latencies.length / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      ...(target.cpuSeconds && { cpuMsPerCall: (cpu * 1000) / latencies.length }),
    };
  });
}

async function closedLoop(agent: Agent, target: Target, concurrency: number, total: number) {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      const started = process.hrtime.bigint();
      const status = await send(agent, target);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors };
}

function send(agent: Agent, target: Target): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      { agent, method: target.method ?? 'GET', headers: target.headers },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(target.body);
  });
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
}
