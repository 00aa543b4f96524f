import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects:
// - "gateway": the Worker under test runs inside workerd (the Workers Vitest plugin) and talks over
//   loopback to one Atlassian emulator that the global setup starts in Node. Files run one at a time
//   because they share that emulator and reset it between tests.
// - "node": tests that need real processes (the emulator's conformance suite, the browser flow) or
//   Node itself (Ajv's compiled validators for the tool catalog), and the unit tests of pure
//   modules (test/unit/), which run in seconds.
export default defineConfig({
  test: {
    // Failure-path tests make the gateway log what it logs in production ({"event":"…"} lines such as
    // confluence_call_failed or webhook_store_failed). They are expected, so they are not printed;
    // TEST_LOGS=1 shows them.
    onConsoleLog: (log) => (process.env.TEST_LOGS === '1' || !/^\s*\{"event":/.test(log) ? undefined : false),
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const emulatorUrl = inject<string>('emulatorUrl');
            const receiverUrl = inject<string>('receiverUrl');
            return {
              remoteBindings: false,
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  ...testBindings,
                  ATLASSIAN_AUTH_BASE_URL: emulatorUrl,
                  ATLASSIAN_API_BASE_URL: emulatorUrl,
                  EMULATOR_URL: emulatorUrl,
                  RECEIVER_URL: receiverUrl,
                },
              },
            };
          }),
        ],
        test: {
          name: 'gateway',
          include: ['test/gateway/**/*.test.ts'],
          globalSetup: ['test/gateway/global-setup.ts'],
          // Every test runs with the console watched for secrets (docs/reference/CONTRACT.md: never in logs).
          setupFiles: ['test/gateway/support/watch-console.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'test/unit/**/*.test.ts',
            'test/emulator/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/catalog/**/*.test.ts',
          ],
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
  // The event receiver listens on http://127.0.0.1. Retries are seconds apart, not minutes, and
  // give up after a few seconds instead of a day, so the suite sees a whole retry window pass.
  EVENT_DESTINATIONS_ALLOW_HTTP: 'true',
  EVENT_DELIVERY_FIRST_RETRY_SECONDS: '1',
  EVENT_DELIVERY_RETRY_WINDOW_SECONDS: '10',
  // Many tests have someone else edit a page and read it again at once: the read cache would answer
  // that read. The quota tests turn it on where they test it.
  CONFLUENCE_READ_CACHE_SECONDS: '0',
};
