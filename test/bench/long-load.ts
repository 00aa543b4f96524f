/**
 * `node test/bench/long-load.ts [seconds]` (default 200): the 50 KB page read at concurrency 16 for
 * that long, against the bench's gateway and emulator, counting the answers that are not 200 in each
 * 20 seconds and printing the first such answer. On a 2-core machine the gateway answered every
 * call for about a minute and a half, then 1–3% of them with 500 ("The Workers runtime canceled
 * this request because it detected that your Worker's code had hung…") while workerd warned of
 * promises resolved from another request's context (docs/performance.md, "Failed calls under long
 * load"). A run that prints no failures is what a fix must show.
 */
import { SCENARIOS, startBenchEnvironment } from './setup.ts';

const seconds = Number(process.argv[2] ?? 200);
const env = await startBenchEnvironment();
const request = env.toolRequest(SCENARIOS[0] as (typeof SCENARIOS)[number]);
const started = Date.now();
const buckets = new Map<number, { ok: number; failed: number }>();
let first = '';
try {
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() - started < seconds * 1000) {
        const answer = await fetch(request.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        const text = await answer.text();
        const bucket = Math.floor((Date.now() - started) / 20_000) * 20;
        const counts = buckets.get(bucket) ?? { ok: 0, failed: 0 };
        if (answer.status === 200) counts.ok++;
        else {
          counts.failed++;
          first ||= `${answer.status} ${text.slice(0, 200)}`;
        }
        buckets.set(bucket, counts);
      }
    }),
  );
} finally {
  await env.gateway.close();
  await env.emulator.close();
}
for (const [bucket, { ok, failed }] of buckets)
  console.log(`  from ${bucket} s: ${ok} answered 200, ${failed} failed`);
if (first) console.log(`  the first failure: ${first}`);
process.exit(first ? 1 : 0);
