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
const printed: string[] = [];
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

for (const method of METHODS) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    printed.push(args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
    original(...args);
  };
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
