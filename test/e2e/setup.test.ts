/**
 * `npm run setup` as an operator runs it before the first deploy, with `wrangler` replaced by a
 * recorder (Cloudflare cannot be reached from the test machine): what it would store, how, and
 * what it refuses.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const REDIRECT = 'https://gateway.example.com/integrations/confluence/callback';
let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'setup-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** A stand-in for wrangler: records its arguments and standard input; `secret list` answers `existing`. */
function fakeWrangler(existing: string[] = []): string {
  const path = join(folder, 'wrangler');
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
if (args[0] === 'secret' && args[1] === 'list') { console.log(JSON.stringify(${JSON.stringify(existing.map((name) => ({ name, type: 'secret_text' })))})); process.exit(0); }
fs.writeFileSync(${JSON.stringify(join(folder, 'calls.json'))}, JSON.stringify({ args, stdin: fs.readFileSync(0, 'utf8') }));
`,
  );
  chmodSync(path, 0o755);
  return path;
}

function setup(
  args: string[],
  wrangler = fakeWrangler(),
  clientSecret: string | null = 'app-secret-from-console',
) {
  // null: none in the environment, as for an operator who would type it at the prompt.
  const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER: wrangler };
  if (clientSecret === null) delete env.CONFLUENCE_CLIENT_SECRET;
  else env.CONFLUENCE_CLIENT_SECRET = clientSecret;
  return spawnSync(process.execPath, ['scripts/setup.ts', ...args], { encoding: 'utf8', env });
}

describe('npm run setup', () => {
  it('stores the five settings through `wrangler secret bulk` on stdin and shows the service token once', () => {
    const run = setup(['--client-id', 'abc123', '--redirect-uri', REDIRECT]);
    expect(run.status).toBe(0);
    const call = JSON.parse(readFileSync(join(folder, 'calls.json'), 'utf8')) as {
      args: string[];
      stdin: string;
    };
    expect(call.args).toEqual(['secret', 'bulk']);
    const stored = JSON.parse(call.stdin) as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual([
      'CONFLUENCE_CLIENT_ID',
      'CONFLUENCE_CLIENT_SECRET',
      'CONFLUENCE_REDIRECT_URI',
      'SERVICE_API_TOKEN',
      'TOKEN_ENCRYPTION_KEYS',
    ]);
    expect(stored.CONFLUENCE_CLIENT_SECRET).toBe('app-secret-from-console');
    // A key ring the gateway accepts: kid:base64 of 32 bytes.
    const [kid, key] = (stored.TOKEN_ENCRYPTION_KEYS as string).split(':') as [string, string];
    expect(kid).toMatch(/^k\d{8}$/);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(stored.SERVICE_API_TOKEN).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Printed once for the backend; no other secret is printed.
    expect(run.stdout.split(stored.SERVICE_API_TOKEN as string)).toHaveLength(2);
    expect(run.stdout).not.toContain('app-secret-from-console');
    expect(run.stdout).not.toContain(key);
  });

  it('refuses to replace an existing key ring, which would orphan every stored token', () => {
    const run = setup(
      ['--client-id', 'abc123', '--redirect-uri', REDIRECT],
      fakeWrangler(['TOKEN_ENCRYPTION_KEYS']),
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('already has TOKEN_ENCRYPTION_KEYS');
    expect(() => readFileSync(join(folder, 'calls.json'))).toThrow();
  });

  it('--dry-run names what it would store and calls nothing, without asking for the client secret', () => {
    const run = setup(
      ['--dry-run', '--client-id', 'abc123', '--redirect-uri', REDIRECT],
      fakeWrangler(),
      null,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'CONFLUENCE_CLIENT_ID, CONFLUENCE_CLIENT_SECRET, CONFLUENCE_REDIRECT_URI, TOKEN_ENCRYPTION_KEYS, SERVICE_API_TOKEN',
    );
    expect(() => readFileSync(join(folder, 'calls.json'))).toThrow();
  });

  it('refuses a callback URL that is not https://<host>/integrations/confluence/callback', () => {
    const run = setup(['--client-id', 'abc123', '--redirect-uri', 'http://localhost/callback']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      '--redirect-uri https://<your worker host>/integrations/confluence/callback',
    );
  });
});
