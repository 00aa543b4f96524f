/**
 * `npm run setup`: the settings a deployed gateway needs, stored as Worker secrets in one step.
 *
 *   npm run setup -- --client-id <id> --redirect-uri https://<host>/integrations/confluence/callback
 *
 * The Atlassian app's client secret is read from CONFLUENCE_CLIENT_SECRET or typed at the prompt.
 * The key ring (TOKEN_ENCRYPTION_KEYS) and the service token (SERVICE_API_TOKEN) are generated here.
 * Everything goes to Cloudflare through `wrangler secret bulk` on standard input, never through a
 * file or the command line; the service token is printed once, for the backend that will call the
 * service API. `--dry-run` prints what would be stored (names only) and calls nothing.
 *
 * A second run would replace the key ring and orphan every stored token, so setup refuses when the
 * Worker already has TOKEN_ENCRYPTION_KEYS unless `--replace-keys` is given (rotate keys with the
 * procedure of docs/deploy.md, "Key rotation", instead).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    'client-id': { type: 'string' },
    'redirect-uri': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'replace-keys': { type: 'boolean', default: false },
  },
});

const WRANGLER = process.env.WRANGLER ?? 'wrangler';

function fail(message: string): never {
  console.error(`setup: ${message}`);
  process.exit(2);
}

const clientId = options['client-id'] ?? process.env.CONFLUENCE_CLIENT_ID;
if (!clientId) fail('give --client-id (the Client ID from the Atlassian developer console).');
const redirectUri = options['redirect-uri'] ?? process.env.CONFLUENCE_REDIRECT_URI;
if (!redirectUri || !/^https:\/\/[^/]+\/integrations\/confluence\/callback$/.test(redirectUri)) {
  fail(
    'give --redirect-uri https://<your worker host>/integrations/confluence/callback (the Callback URL of the Atlassian app, exactly).',
  );
}

async function clientSecret(): Promise<string> {
  if (process.env.CONFLUENCE_CLIENT_SECRET) return process.env.CONFLUENCE_CLIENT_SECRET;
  if (!process.stdin.isTTY) fail('set CONFLUENCE_CLIENT_SECRET, or run setup in a terminal to type it.');
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const secret = await prompt.question('Atlassian app client secret: ');
  prompt.close();
  return secret.trim();
}

function existingSecretNames(): string[] {
  const listed = spawnSync(WRANGLER, ['secret', 'list', '--format', 'json'], { encoding: 'utf8' });
  // A Worker that was never deployed has no secrets; wrangler says so with a non-zero exit.
  if (listed.status !== 0) return [];
  try {
    return (JSON.parse(listed.stdout) as { name: string }[]).map((secret) => secret.name);
  } catch {
    return [];
  }
}

/** The five settings setup stores; the object below must hold each of them. */
const names = [
  'CONFLUENCE_CLIENT_ID',
  'CONFLUENCE_CLIENT_SECRET',
  'CONFLUENCE_REDIRECT_URI',
  'TOKEN_ENCRYPTION_KEYS',
  'SERVICE_API_TOKEN',
] as const;

// Before the prompt: a dry run stores nothing, so it needs no client secret.
if (options['dry-run']) {
  console.log(`Would store with \`${WRANGLER} secret bulk\`: ${names.join(', ')}.`);
  process.exit(0);
}

const secret = await clientSecret();
if (!secret) fail('the client secret is empty.');

const serviceToken = randomBytes(32).toString('base64url');
const keyId = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
const secrets: Record<(typeof names)[number], string> = {
  CONFLUENCE_CLIENT_ID: clientId,
  CONFLUENCE_CLIENT_SECRET: secret,
  CONFLUENCE_REDIRECT_URI: redirectUri,
  TOKEN_ENCRYPTION_KEYS: `${keyId}:${randomBytes(32).toString('base64')}`,
  SERVICE_API_TOKEN: serviceToken,
};

if (!options['replace-keys'] && existingSecretNames().includes('TOKEN_ENCRYPTION_KEYS')) {
  fail(
    'this Worker already has TOKEN_ENCRYPTION_KEYS; replacing it would make every stored token unreadable. Rotate keys as docs/deploy.md describes (Key rotation), or pass --replace-keys on a Worker with no integrations yet.',
  );
}

const stored = spawnSync(WRANGLER, ['secret', 'bulk'], {
  input: JSON.stringify(secrets),
  stdio: ['pipe', 'inherit', 'inherit'],
});
if (stored.status !== 0)
  fail(`\`${WRANGLER} secret bulk\` failed (exit ${stored.status}); nothing else was changed.`);

console.log(`
Stored ${Object.keys(secrets).join(', ')}.

The service API token, shown this once (give it to the backend that calls /api/v1; it is not kept here):
  ${serviceToken}

Next: npx wrangler deploy, then curl https://${new URL(redirectUri).host}/healthz
`);
