import { env, exports } from 'cloudflare:workers';

/** The service API token the suite's gateway is configured with (vitest.config.ts). */
export const SERVICE_TOKEN = 'test-service-token-0123456789abcdef';
export const GATEWAY = 'http://gateway.test';

/** A request to the gateway under test, in-process (no network). */
export function gateway(path: string, init?: RequestInit): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(new URL(path, GATEWAY), init),
  );
}

/** A JSON request to the service API with the service token. */
export function serviceApi(method: string, path: string, body?: unknown): Promise<Response> {
  return gateway(path, {
    method,
    headers: {
      authorization: `Bearer ${SERVICE_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The emulator's base URL (its control routes live under /_emulator). */
export const EMULATOR_URL = (env as unknown as { EMULATOR_URL: string }).EMULATOR_URL;

/** A call to one of the emulator's control routes, e.g. `emulatorControl('POST', '/reset')`. */
export async function emulatorControl<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`emulator ${method} ${path} answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
