/**
 * `npm start`: the sandbox. The Atlassian emulator on :8788 and the gateway (wrangler dev) on :8787,
 * wired together with local settings: a dev OAuth client registered in the emulator, a dev key ring
 * and a service token, generated once and kept in .sandbox/sandbox.json. Gateway state lives in
 * .sandbox/state and is wiped at each start, because the emulator forgets its tokens when it stops.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { startEmulator } from '../test/emulator/server.ts';

const HOST = '127.0.0.1';
const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 8787);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8788);
const SANDBOX_DIR = process.env.SANDBOX_DIR ?? '.sandbox';
const SETTINGS_FILE = `${SANDBOX_DIR}/sandbox.json`;

interface SandboxSettings {
  serviceToken: string;
  encryptionKeys: string;
}

function sandboxSettings(): SandboxSettings {
  mkdirSync(SANDBOX_DIR, { recursive: true });
  if (existsSync(SETTINGS_FILE)) return JSON.parse(readFileSync(SETTINGS_FILE, 'utf8')) as SandboxSettings;
  const settings = {
    serviceToken: `sandbox_${randomBytes(24).toString('base64url')}`,
    encryptionKeys: `sandbox1:${randomBytes(32).toString('base64')}`,
  };
  writeFileSync(SETTINGS_FILE, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  return settings;
}

const settings = sandboxSettings();
const clientId = 'sandbox-client-id';
const clientSecret = 'sandbox-client-secret';
const gatewayUrl = `http://${HOST}:${GATEWAY_PORT}`;

const emulator = await startEmulator({
  port: EMULATOR_PORT,
  host: HOST,
  log: process.env.EMULATOR_LOG === '1',
  clients: [{ clientId, clientSecret, name: 'Confluence Agent Gateway (sandbox)' }],
});

rmSync(`${SANDBOX_DIR}/state`, { recursive: true, force: true });
const vars: Record<string, string> = {
  CONFLUENCE_CLIENT_ID: clientId,
  CONFLUENCE_CLIENT_SECRET: clientSecret,
  CONFLUENCE_REDIRECT_URI: `${gatewayUrl}/integrations/confluence/callback`,
  TOKEN_ENCRYPTION_KEYS: settings.encryptionKeys,
  SERVICE_API_TOKEN: settings.serviceToken,
  ATLASSIAN_AUTH_BASE_URL: emulator.url,
  ATLASSIAN_API_BASE_URL: emulator.url,
};
const wrangler = spawn(
  'wrangler',
  [
    'dev',
    '--ip',
    HOST,
    '--port',
    String(GATEWAY_PORT),
    '--persist-to',
    `${SANDBOX_DIR}/state`,
    '--show-interactive-dev-session=false',
    ...(process.env.INSPECTOR_PORT ? ['--inspector-port', process.env.INSPECTOR_PORT] : []),
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' },
  },
);

/**
 * What wrangler prints that says nothing to a sandbox user is left out: its binding table (the
 * settings above), the offline `Request.cf` warning with its ENOTFOUND stack (harmless: the sandbox
 * never reaches Cloudflare) and the start-up lines the banner below replaces. Request lines and
 * whatever the gateway itself logs pass through.
 */
function isNoise(line: string, state: { inTable: boolean; inStack: boolean }): boolean {
  if (line.startsWith('Your Worker has access to the following bindings')) state.inTable = true;
  if (state.inTable) {
    if (line.trim() === '') state.inTable = false;
    return true;
  }
  if (line.includes('Unable to fetch the `Request.cf` object')) {
    state.inStack = true;
    return true;
  }
  if (state.inStack && (/ENOTFOUND workers\.cloudflare\.com/.test(line) || /^\s+at /.test(line))) return true;
  state.inStack = false;
  return /^(⎔ Starting local server|\[wrangler:info\] Ready on|─+$)/.test(line.trim());
}

const noise = { inTable: false, inStack: false };
let pending = '';
let announced = false;
wrangler.stdout.on('data', (chunk: Buffer) => {
  const lines = (pending + chunk.toString()).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (!isNoise(line, noise)) process.stdout.write(`${line}\n`);
    if (!announced && line.includes('Ready on')) {
      announced = true;
      console.log(`
  Sandbox ready. Ctrl-C stops it.

    gateway             ${gatewayUrl}
    service token       ${settings.serviceToken}
    Atlassian emulator  ${emulator.url}   (consent page; control routes under ${emulator.url}/_emulator, e.g. /_emulator/seed)

  In another shell, start the tour (README, "Sandbox tour"):
    export GATEWAY=${gatewayUrl} SERVICE_TOKEN=${settings.serviceToken} EMULATOR=${emulator.url}
    curl -s $GATEWAY/healthz
`);
    }
  }
});

async function stop(code: number) {
  wrangler.kill('SIGTERM');
  await emulator.close();
  process.exit(code);
}
process.on('exit', () => wrangler.kill('SIGTERM'));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
wrangler.on('exit', (code) => void stop(code ?? 1));
