import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { startEmulator } from './dev/emulator/server.ts';
import { startReceiver } from './dev/receiver.ts';
import { unitProject } from './vitest.unit.config.ts';

// Three tiers (docs/architecture.md, "Development and tests"):
// - "unit" (`npm run test:unit`): pure modules in Node, files in parallel; seconds, fit for --watch.
// - "worker" (`npm run test:worker`): the Worker under test runs inside workerd (the Workers Vitest
//   plugin) and talks over loopback to an Atlassian emulator and an event receiver in Node. Each
//   workerd runtime gets an emulator and a receiver of its own and runs test files one after
//   another; as many runtimes run at once as the pool has workers.
// - "node" (`npm run test:e2e`): tests that need real processes (the emulator's conformance suite,
//   the browser flow, `npm start`, the README tour) or Node itself (Ajv's compiled validators for
//   the tool catalog). Its global setup bundles the gateway once for every file that serves it.
// All three share one pool of workers: a run keeps every core busy with whichever tier's files are
// left, instead of running the tiers (or their files) one after another.
export default defineConfig({
  test: {
    // Failure-path tests make the gateway log what it logs in production ({"event":"…"} lines such as
    // confluence_call_failed or webhook_store_failed). They are expected, so they are not printed;
    // TEST_LOGS=1 shows them.
    onConsoleLog: (log) => (process.env.TEST_LOGS === '1' || !/^\s*\{"event":/.test(log) ? undefined : false),
    // Every tier shares one pool of workers, one per core (vitest's default leaves a core out: one
    // worker on two cores), so the tiers' files run side by side. `--maxWorkers` or
    // VITEST_MAX_WORKERS changes it.
    maxWorkers: availableParallelism(),
    projects: [
      unitProject,
      ...workerShards(),
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/emulator/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/catalog/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // A worker runs file after file and keeps what it imported (the MCP SDKs, the agent
          // frameworks, Ajv, playwright): no file mocks a module or changes a global, and each starts
          // and stops its own processes and servers on ports of their own.
          isolate: false,
          // Read by test/support/sandbox-servers.ts: the global setup has bundled dist/ already.
          env: { GATEWAY_BUNDLE_READY: '1' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

/** Settings the gateway sees in the test suite: a dev client, a dev key ring, a known service token. */
const testBindings = {
  CONFLUENCE_CLIENT_ID: 'test-client-id',
  CONFLUENCE_CLIENT_SECRET: 'test-client-secret',
  CONFLUENCE_REDIRECT_URI: 'http://gateway.test/integrations/confluence/callback',
  TOKEN_ENCRYPTION_KEYS:
    'k2:qOw9RcQw2Zk2KuCz0g7r5r8mQ3QYqXzYc8PBjzV0vKk=,k1:7Lh2r5Y0Fq8X6yE3bA1nC4dZ9sW2tV5uR8oP0iK3jM4=',
  SERVICE_API_TOKEN: 'test-service-token-0123456789abcdef',
  // The event receiver listens on http://127.0.0.1. A failed delivery is retried minutes later, so
  // the queue never brings a retry back while a test file runs: event-delivery.test.ts plays the
  // queue's part for retries and moves event delivery's clock on instead of waiting.
  EVENT_DESTINATIONS_ALLOW_HTTP: 'true',
  EVENT_DELIVERY_FIRST_RETRY_SECONDS: '600',
  EVENT_DELIVERY_RETRY_WINDOW_SECONDS: '7200',
  // Many tests have someone else edit a page and read it again at once: the read cache would answer
  // that read. The quota tests turn it on where they test it.
  CONFLUENCE_READ_CACHE_SECONDS: '0',
};

/** The emulators and receivers started for the worker tier's runtimes, closed when the run ends. */
const testServers: { close(): Promise<void> }[] = [];

/**
 * The workerd tier: test/gateway's files, as one project ("worker-1") or, with WORKER_SHARDS=N, dealt
 * round-robin in name order into N projects "worker-1" … "worker-N", a slice each (to run one alone
 * with `--project worker-2`, say, or one per CI job). Shards do not decide how many files run at
 * once: every project draws on the same pool of workers, and one project is the fastest (each
 * project transforms the sources anew and starts runtimes of its own).
 *
 * The plugin asks for a runtime's options when it starts one, so each runtime gets an emulator and a
 * receiver of its own, started here. With `isolate: false` a runtime runs file after file (vitest
 * hands a free worker the next file), so a handful of runtimes serve the ~70 files instead of one
 * started, and one emulator, for each. Files in one runtime share its storage as they share its
 * emulator: each test makes its own integration (random ids) and resets the emulator it uses.
 */
function workerShards(): TestProjectInlineConfiguration[] {
  const files = readdirSync(new URL('./test/gateway/', import.meta.url))
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  const wanted = Number(process.env.WORKER_SHARDS ?? 1);
  const count = Math.max(1, Math.min(files.length, Number.isInteger(wanted) && wanted > 0 ? wanted : 1));
  return Array.from({ length: count }, (_, shard) => ({
    plugins: [
      cloudflareTest(async () => {
        const emulator = await startEmulator({ port: 0 });
        const receiver = await startReceiver({ port: 0 });
        testServers.push(emulator, receiver);
        return {
          remoteBindings: false,
          wrangler: { configPath: './wrangler.toml' },
          miniflare: {
            bindings: {
              ...testBindings,
              ATLASSIAN_AUTH_BASE_URL: emulator.url,
              ATLASSIAN_API_BASE_URL: emulator.url,
              EMULATOR_URL: emulator.url,
              RECEIVER_URL: receiver.url,
            },
            // wrangler.toml's consumer, except that a message is handed over at once instead of after
            // a second's wait for a fuller batch (max_batch_timeout): each event delivery test waits
            // for its first attempt.
            queueConsumers: {
              'confluence-gateway-events': { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 100 },
            },
          },
        };
      }),
      {
        name: 'close-test-servers',
        configureVitest: ({ vitest }) =>
          vitest.onClose(async () => {
            await Promise.all(testServers.splice(0).map((server) => server.close()));
          }),
      },
    ],
    test: {
      name: `worker-${shard + 1}`,
      include: files.filter((_, index) => index % count === shard).map((name) => `test/gateway/${name}`),
      // A runtime runs file after file (see above).
      isolate: false,
      // Every test runs with the console watched for secrets (docs/reference/CONTRACT.md: never in logs).
      setupFiles: ['test/gateway/support/watch-console.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  }));
}
