import { Agent, request } from 'node:http';

/** One closed-loop load run: `concurrency` workers, each sending its next request when the last answers. */
export interface LoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  concurrency: number;
  requests: number;
  /** Calls sent and discarded first, to warm caches and connections. */
  warmup?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    const warmup = options.warmup ?? Math.min(200, options.requests / 10);
    await closedLoop(agent, options, warmup);
    const started = process.hrtime.bigint();
    const { latencies, errors } = await closedLoop(agent, options, options.requests);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    return {
      requests: options.requests,
      errors,
      seconds,
      rps: options.requests / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    };
  } finally {
    agent.destroy();
  }
}

async function closedLoop(agent: Agent, options: LoadOptions, total: number) {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      const started = process.hrtime.bigint();
      const status = await send(agent, options);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { latencies, errors };
}

function send(agent: Agent, options: LoadOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      options.url,
      { agent, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
}
