import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects:
// - "gateway": the Worker under test runs inside workerd (the Workers Vitest plugin) and talks over
//   loopback to one Atlassian emulator that the global setup starts in Node. Files run one at a time
//   because they share that emulator and reset it between tests.
// - "node": tests that need real processes (the emulator's conformance suite, the browser flow).
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
            return {
              remoteBindings: false,
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  ...testBindings,
                  ATLASSIAN_AUTH_BASE_URL: emulatorUrl,
                  ATLASSIAN_API_BASE_URL: emulatorUrl,
                  EMULATOR_URL: emulatorUrl,
                },
              },
            };
          }),
        ],
        test: {
          name: 'gateway',
          include: ['test/gateway/**/*.test.ts'],
          globalSetup: ['test/gateway/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/emulator/**/*.test.ts', 'test/e2e/**/*.test.ts'],
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
};
