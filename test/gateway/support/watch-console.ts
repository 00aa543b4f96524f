import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, expect } from 'vitest';
import { emulatorControl, SERVICE_TOKEN } from './http.ts';

/**
 * docs/reference/CONTRACT.md: secrets and tokens never appear in logs. Every gateway test runs with the console
 * watched: whatever the gateway (or the test) prints is kept, and after the test it must hold none
 * of the secrets the suite knows of: the service token, the client secret, the key ring's keys,
 * every code and token the emulator issued during the test, and anything shaped like an agent token
 * or a webhook signing secret.
 */
const printed = watchConsole();

/**
 * Wraps the console once per runtime. A runtime runs file after file (vitest.config.ts) and this
 * setup file again before each: wrapping again would stack one wrapper per file, each keeping
 * every later line in a buffer nothing reads.
 */
function watchConsole(): string[] {
  const key = Symbol.for('gateway-tests.printed');
  const runtime = globalThis as { [key]?: string[] };
  const existing = runtime[key];
  if (existing) return existing;
  const lines: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
      original(...args);
    };
  }
  runtime[key] = lines;
  return lines;
}

function safeJson(value: unknown): string {
  try {
    return value instanceof Error
      ? `${value.name}: ${value.message}\n${value.stack ?? ''}`
      : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

const settings = env as unknown as Record<string, string | undefined>;
const CONFIGURED_SECRETS = [
  SERVICE_TOKEN,
  settings.CONFLUENCE_CLIENT_SECRET,
  ...(settings.TOKEN_ENCRYPTION_KEYS ?? '').split(',').map((entry) => entry.split(':')[1]),
].filter((value): value is string => typeof value === 'string' && value.length >= 8);

const SECRET_SHAPES = [/cgw_agent_[A-Za-z0-9_-]{16,}/, /whsec_[A-Za-z0-9+/_=-]{16,}/];

beforeEach(() => {
  printed.length = 0;
});

afterEach(async () => {
  const { values: issued } = await emulatorControl<{ values: string[] }>('GET', '/tokens/issued');
  const output = printed.join('\n');
  for (const secret of [...CONFIGURED_SECRETS, ...issued]) {
    if (output.includes(secret)) expect.fail(`a secret was printed: ${secret.slice(0, 4)}… in\n${output}`);
  }
  for (const shape of SECRET_SHAPES) expect(output).not.toMatch(shape);
});
