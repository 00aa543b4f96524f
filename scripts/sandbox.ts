/**
 * `npm start`: the sandbox. The Atlassian emulator on :8788, the gateway (wrangler dev) on :8787 and
 * an event receiver on :8789 standing for the agent platform (it prints each event the gateway
 * pushes and checks its signature), wired together with local settings: a dev OAuth client
 * registered in the emulator, a dev key ring and a service token, generated once and kept in
 * .sandbox/sandbox.json. Gateway state lives in .sandbox/state and is wiped at each start, because
 * the emulator forgets its tokens when it stops.
 *
 * GATEWAY_PORT, EMULATOR_PORT, RECEIVER_PORT and INSPECTOR_PORT move them; 0 asks for any free
 * port, and the banner's `export` line gives the URLs they got (the tests start it that way).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { startEmulator } from '../dev/emulator/server.ts';
import { type ReceivedDelivery, startReceiver } from '../dev/receiver.ts';

const HOST = '127.0.0.1';
const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 8787);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8788);
const RECEIVER_PORT = Number(process.env.RECEIVER_PORT ?? 8789);
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

/** What to do when a port is taken, most often by another `npm start` still running. */
function portTaken(port: number, what: string, setting: string): string {
  return `Port ${port} (the ${what}) is taken, perhaps by another npm start. Stop that, or move this one: ${setting}=<port> npm start (0 picks any free port).`;
}

/** Starts a server of the sandbox; a port another program holds ends the start with portTaken's advice. */
async function listening<T>(
  start: () => Promise<T>,
  port: number,
  what: string,
  setting: string,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.error(portTaken(port, what, setting));
    process.exit(1);
  }
}

const emulator = await listening(
  () =>
    startEmulator({
      port: EMULATOR_PORT,
      host: HOST,
      log: process.env.EMULATOR_LOG === '1',
      clients: [{ clientId, clientSecret, name: 'Confluence Agent Gateway (sandbox)' }],
    }),
  EMULATOR_PORT,
  'Atlassian emulator',
  'EMULATOR_PORT',
);

const receiver = await listening(
  () => startReceiver({ port: RECEIVER_PORT, host: HOST, onDelivery: printDelivery }),
  RECEIVER_PORT,
  'event receiver',
  'RECEIVER_PORT',
);

/** What the platform's endpoint would see: the event, and whether its signature verified. */
function printDelivery(delivery: ReceivedDelivery): void {
  const signature =
    delivery.verified === null
      ? 'signature not checked (POST the signing secret to /_receiver/secret)'
      : delivery.verified
        ? 'signature verified'
        : 'signature does NOT verify';
  const outcome = delivery.answered === 0 ? 'dropped (down)' : `answered ${delivery.answered}`;
  let body = delivery.body;
  try {
    body = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Printed as it came.
  }
  console.log(
    `\n[receiver] ${delivery.path} webhook-id=${delivery.headers['webhook-id']}: ${signature}, ${outcome}\n${body}\n`,
  );
}

rmSync(`${SANDBOX_DIR}/state`, { recursive: true, force: true });

/** The gateway's settings; the OAuth callback names the gateway's own URL. */
function gatewayVars(gatewayUrl: string): Record<string, string> {
  return {
    CONFLUENCE_CLIENT_ID: clientId,
    CONFLUENCE_CLIENT_SECRET: clientSecret,
    CONFLUENCE_REDIRECT_URI: `${gatewayUrl}/integrations/confluence/callback`,
    TOKEN_ENCRYPTION_KEYS: settings.encryptionKeys,
    SERVICE_API_TOKEN: settings.serviceToken,
    ATLASSIAN_AUTH_BASE_URL: emulator.url,
    ATLASSIAN_API_BASE_URL: emulator.url,
    // The receiver listens on plain http on loopback.
    EVENT_DESTINATIONS_ALLOW_HTTP: 'true',
  };
}

/**
 * What wrangler prints that says nothing to a sandbox user is left out: its binding table (the
 * settings above), the status of remote bindings (the sandbox has none), the offline `Request.cf`
 * warning with its ENOTFOUND stack (harmless: the sandbox never reaches Cloudflare) and the start-up
 * lines the banner below replaces. Request lines and whatever the gateway itself logs pass through.
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
  return /^(⎔ Starting local server|⎔ Connection status updated|\[wrangler:info\] Ready on|─+$)/.test(
    line.trim(),
  );
}

/** wrangler's start failed because another process holds the port. */
class AddressInUse extends Error {}

/** The wrangler dev process of the latest start; stopped with the sandbox. */
let wrangler: ChildProcess | undefined;

async function stop(code: number) {
  wrangler?.kill('SIGTERM');
  await receiver.close();
  await emulator.close();
  process.exit(code);
}
process.on('exit', () => wrangler?.kill('SIGTERM'));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/**
 * wrangler dev on `port`, settled with the gateway's URL once it says it is ready. Its output
 * passes through, filtered; when it exits before it is ready, the start fails, with AddressInUse
 * when the port was taken.
 */
function startWrangler(port: number): Promise<string> {
  const url = `http://${HOST}:${port}`;
  const child = spawn(
    'wrangler',
    [
      'dev',
      '--ip',
      HOST,
      '--port',
      String(port),
      '--persist-to',
      `${SANDBOX_DIR}/state`,
      '--show-interactive-dev-session=false',
      ...(process.env.INSPECTOR_PORT ? ['--inspector-port', process.env.INSPECTOR_PORT] : []),
      ...Object.entries(gatewayVars(url)).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' },
    },
  );
  wrangler = child;
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
    process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    const noise = { inTable: false, inStack: false };
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!isNoise(line, noise)) process.stdout.write(`${line}\n`);
        if (line.includes('Ready on')) resolve(url);
      }
    });
    child.on('exit', (code) => {
      const failure = `wrangler dev exited (${code}) before it was ready`;
      reject(errors.includes('Address already in use') ? new AddressInUse(failure) : new Error(failure));
    });
  });
}

/**
 * GATEWAY_PORT=0 asks for any free port. wrangler could pick one itself (`--port 0`), but the
 * gateway's OAuth callback (CONFLUENCE_REDIRECT_URI) must name its port before it starts, so the
 * port is chosen here, ahead; another process may take it in between, so a start that finds it
 * taken tries another (a few times, then gives up).
 */
async function startGateway(): Promise<string> {
  if (GATEWAY_PORT !== 0) return startWrangler(GATEWAY_PORT);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWrangler(await portFreeNow());
    } catch (error) {
      if (!(error instanceof AddressInUse) || attempt === 5) throw error;
    }
  }
}

/** A loopback port that was free a moment ago (see startGateway for why that is enough). */
async function portFreeNow(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

try {
  const gatewayUrl = await startGateway();
  wrangler?.on('exit', (code) => void stop(code ?? 1));
  console.log(`
  Sandbox ready. Ctrl-C stops it.

    gateway             ${gatewayUrl}
    service token       ${settings.serviceToken}
    Atlassian emulator  ${emulator.url}   (consent page; control routes under ${emulator.url}/_emulator, e.g. /_emulator/seed)
    event receiver      ${receiver.url}   (prints pushed events; control routes under /_receiver)

  In another shell, start the tour (README, "Sandbox tour"):
    export GATEWAY=${gatewayUrl} SERVICE_TOKEN=${settings.serviceToken} EMULATOR=${emulator.url} RECEIVER=${receiver.url}
    curl -s $GATEWAY/healthz
`);
} catch (error) {
  console.error(
    error instanceof AddressInUse && GATEWAY_PORT !== 0
      ? portTaken(GATEWAY_PORT, 'gateway', 'GATEWAY_PORT')
      : (error as Error).message,
  );
  await stop(1);
}
