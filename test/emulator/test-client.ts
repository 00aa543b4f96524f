/** Helpers the emulator's own tests share: start one, drive the control plane, get a token. */
import { DEFAULT_SCOPES } from '../../dev/emulator/oauth/scopes.ts';
import { SEED } from '../../dev/emulator/seed.ts';
import { type EmulatorOptions, startEmulator } from '../../dev/emulator/server.ts';

export const REDIRECT_URI = 'http://gateway.test/integrations/confluence/callback';
export const CLIENT = { client_id: 'test-client-id', client_secret: 'test-client-secret' };
export const ACME = SEED.sites.acme.cloudId;

/** JSON the tests pick apart with expect(); typing every Atlassian shape here would only restate the specs. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk loosely typed JSON
export type LooseJson = any;

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

export async function startTestEmulator(options: EmulatorOptions = {}) {
  const emulator = await startEmulator({ port: 0, ...options });
  const { url } = emulator;

  /** A control call (`/_emulator/…`), JSON in and out. */
  async function control<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    method = body === undefined ? 'GET' : 'POST',
  ) {
    const response = await fetch(`${url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as T;
  }

  async function token(body: Record<string, string>) {
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as TokenAnswer & { error?: string; error_description?: string },
    };
  }

  /** A consent without the browser (`POST /_emulator/codes`), exchanged for tokens. */
  async function connect(scope = DEFAULT_SCOPES.join(' ')): Promise<TokenAnswer> {
    const { code } = await control<{ code: string }>('/codes', { redirect_uri: REDIRECT_URI, scope });
    const answer = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      ...CLIENT,
    });
    if (answer.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** A call under `/ex/confluence/{cloudId}` (the path starts with `/wiki/`). */
  function confluence(accessToken: string, path: string, init: RequestInit = {}, cloudId: string = ACME) {
    return fetch(`${url}/ex/confluence/${cloudId}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  }

  return { ...emulator, control, token, connect, confluence };
}

export type TestEmulator = Awaited<ReturnType<typeof startTestEmulator>>;
