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

/** One target's figures in one round. */
export interface RoundResult {
  requests: number;
  errors: number;
  /** The statuses of the calls that failed (0: the connection failed), with how many of each. */
  failedStatuses: Record<number, number>;
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
 * background work lands on all of them alike. Returns every round of every target (`[target][round]`),
 * so ratios can be taken within a round, where the targets met the same background.
 */
export async function compareTargets(
  targets: Target[],
  options: { concurrency: number; callsPerRound: number; rounds: number; warmup?: number },
): Promise<RoundResult[][]> {
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: options.concurrency }));
  const results = targets.map(() => [] as RoundResult[]);
  try {
    for (const [index, target] of targets.entries()) {
      const warmup = options.warmup ?? Math.max(100, options.concurrency * 4);
      await closedLoop(agents[index] as Agent, target, options.concurrency, warmup);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (let step = 0; step < targets.length; step++) {
        const index = (round + step) % targets.length;
        const target = targets[index] as Target;
        const cpuBefore = target.cpuSeconds?.() ?? 0;
        const started = process.hrtime.bigint();
        const { latencies, errors, failedStatuses } = await closedLoop(
          agents[index] as Agent,
          target,
          options.concurrency,
          options.callsPerRound,
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cpu = (target.cpuSeconds?.() ?? 0) - cpuBefore;
        latencies.sort((a, b) => a - b);
        (results[index] as RoundResult[])[round] = {
          requests: latencies.length,
          errors,
          failedStatuses,
          seconds,
          rps: latencies.length / seconds,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          ...(target.cpuSeconds && { cpuMsPerCall: (cpu * 1000) / latencies.length }),
        };
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return results;
}

async function closedLoop(agent: Agent, target: Target, concurrency: number, total: number) {
  const latencies: number[] = [];
  let errors = 0;
  const failedStatuses: Record<number, number> = {};
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      const started = process.hrtime.bigint();
      const status = await send(agent, target).catch(() => 0);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (status !== 200) {
        errors++;
        failedStatuses[status] = (failedStatuses[status] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors, failedStatuses };
}

/** Sends one request and reads its answer to the end; resolves with the status. */
export function send(agent: Agent | undefined, target: Target): Promise<number> {
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

/** The median and the range of a set of figures. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2
      ? (sorted[Math.floor(middle)] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}
