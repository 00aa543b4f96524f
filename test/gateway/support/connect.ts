import { env } from 'cloudflare:workers';
import { requireConfig } from '../../../src/config.ts';
import { finishConnection } from '../../../src/connect/finish.ts';
import { readSession } from '../../../src/connect/sessions.ts';
import type { IntegrationRecord } from '../../../src/integrations/records.ts';
import { accessibleResources, exchangeCode, isConfluenceSite } from '../../../src/vault/atlassian-oauth.ts';
import { emulatorControl, gateway, serviceApi } from './http.ts';

/** The service API's `Integration`. */
export type Integration = IntegrationRecord;

/** Where the connect flow sends the browser back in these tests (the "application"). */
export const RETURN_URL = 'https://app.example.test/integrations/done';

/**
 * Connects a Confluence site through the whole browser flow, with the emulator approving consent at
 * once: POST connect-sessions → GET connect_url (keeping the cookie) → the emulator's /authorize →
 * GET the callback with the cookie → the site picker's form when one appears.
 *
 * `preset` sets the emulator's sites first ("single": one Confluence site, finishes at once;
 * "default": two, so the picker shows and the first site is chosen unless `siteId` says otherwise).
 */
export async function connectIntegration(
  options: { ownerId?: string; name?: string; preset?: 'default' | 'single'; siteId?: string } = {},
): Promise<{ id: string; record: Integration }> {
  const ownerId = options.ownerId ?? 'owner-1';
  const name = options.name ?? 'Team wiki';
  await emulatorControl('POST', '/config', {
    auto_approve: true,
    ...(options.preset && { site_preset: options.preset }),
  });
  const session = await createConnectSession({ owner_id: ownerId, name, return_url: RETURN_URL });
  const browser = await startConnect(session.connect_url);
  const callbackUrl = await approveConsent(browser.authorizeUrl);
  let response = await browser.get(callbackUrl);
  if (response.status === 200) {
    const picker = await readPicker(response);
    response = await browser.finalize({
      pending: picker.pending,
      site_id: options.siteId ?? (picker.siteIds[0] as string),
      name,
    });
  }
  const id = integrationIdFrom(response);
  const recordResponse = await serviceApi('GET', `/api/v1/integrations/${id}`);
  if (recordResponse.status !== 200)
    throw new Error(`GET integration ${id} answered ${recordResponse.status}`);
  return { id, record: (await recordResponse.json()) as Integration };
}

/**
 * A connected integration without the browser: the emulator issues the code an approved consent
 * would redirect with (`POST /_emulator/codes`), the gateway's own OAuth client exchanges it and
 * lists the sites, and a connect session made through the service API is finished by the gateway's
 * own finish step. So the integration is the one the browser flow would leave (same record, same
 * sealed tokens, same lifecycle claim) for a fraction of the requests. Tests of the tools, policy,
 * vault and events start here; the connect tests walk the browser flow with connectIntegration().
 */
export async function seedIntegration(
  options: { ownerId?: string; name?: string; preset?: 'default' | 'single'; siteId?: string } = {},
): Promise<{ id: string; record: Integration }> {
  const ownerId = options.ownerId ?? 'owner-1';
  const name = options.name ?? 'Team wiki';
  if (options.preset) await emulatorControl('POST', '/config', { site_preset: options.preset });
  const config = requireConfig(env, [
    'CONFLUENCE_CLIENT_ID',
    'CONFLUENCE_CLIENT_SECRET',
    'CONFLUENCE_OAUTH_SCOPE',
    'CONFLUENCE_REDIRECT_URI',
    'ATLASSIAN_AUTH_BASE_URL',
    'ATLASSIAN_API_BASE_URL',
  ]);
  const { code } = await emulatorControl<{ code: string }>('POST', '/codes', {
    client_id: config.CONFLUENCE_CLIENT_ID,
    redirect_uri: config.CONFLUENCE_REDIRECT_URI,
    scope: config.CONFLUENCE_OAUTH_SCOPE.join(' '),
  });
  const grant = await exchangeCode(config, code);
  const sites = (await accessibleResources(config.ATLASSIAN_API_BASE_URL, grant.accessToken)).filter(
    isConfluenceSite,
  );
  const site = options.siteId ? sites.find((s) => s.id === options.siteId) : sites[0];
  if (!site) throw new Error(`the emulator's sites do not include ${options.siteId ?? 'a Confluence site'}`);
  if (!grant.refreshToken)
    throw new Error('the emulator granted no refresh token: is offline_access asked for?');
  const answer = await createConnectSession({ owner_id: ownerId, name, return_url: RETURN_URL });
  const sessionId = new URL(answer.connect_url).searchParams.get('session') ?? '';
  const session = await readSession(env.CONFLUENCE_KV, sessionId);
  if (!session) throw new Error('the connect session just made is not readable');
  const { record } = await finishConnection(env, {
    session,
    site: { cloud_id: site.id, url: site.url, name: site.name },
    name,
    scopes: grant.scopes.length > 0 ? grant.scopes : site.scopes,
    tokens: {
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
      access_expires_at: grant.accessExpiresAt,
    },
    finisher: `seeded:${session.session_hash}`,
  });
  return { id: record.id, record };
}

// --- the steps, for tests that walk the flow themselves ---------------------------------------------

export interface ConnectSessionAnswer {
  id: string;
  connect_url: string;
  expires_at: string;
}

export async function createConnectSession(body: Record<string, unknown>): Promise<ConnectSessionAnswer> {
  const response = await serviceApi('POST', '/api/v1/connect-sessions', body);
  if (response.status !== 201) {
    throw new Error(`POST /api/v1/connect-sessions answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as ConnectSessionAnswer;
}

/** One browser: a cookie jar of one cookie (the connect cookie) and manual redirects. */
export interface Browser {
  cookie: string | undefined;
  authorizeUrl: string;
  get(url: string): Promise<Response>;
  finalize(form: Record<string, string>): Promise<Response>;
}

/** Opens a connect_url in a fresh browser: the gateway's 302 to /authorize and the cookie it set. */
export async function startConnect(connectUrl: string, cookie?: string): Promise<Browser> {
  const response = await gateway(connectUrl, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
  if (response.status !== 302) {
    throw new Error(`GET connect_url answered ${response.status}: ${await response.text()}`);
  }
  const browser: Browser = {
    cookie: cookieFrom(response) ?? cookie,
    authorizeUrl: response.headers.get('location') as string,
    get: (url) =>
      gateway(url, { redirect: 'manual', headers: browser.cookie ? { cookie: browser.cookie } : {} }),
    finalize: (form) =>
      gateway('/integrations/confluence/finalize', {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(browser.cookie ? { cookie: browser.cookie } : {}),
        },
        body: new URLSearchParams(form).toString(),
      }),
  };
  return browser;
}

/**
 * The emulator's /authorize, answered as the user would: with auto-approve on, its redirect; else
 * the consent form posted with `decision` ("allow" or "deny"). Returns the callback URL.
 */
export async function approveConsent(authorizeUrl: string, decision?: 'allow' | 'deny'): Promise<string> {
  if (decision) {
    const params = new URL(authorizeUrl).searchParams;
    params.set('decision', decision);
    const response = await fetch(new URL('/authorize', authorizeUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    if (response.status !== 302) throw new Error(`POST /authorize answered ${response.status}`);
    return response.headers.get('location') as string;
  }
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  if (response.status !== 302) {
    throw new Error(`/authorize answered ${response.status} (is auto_approve on?): ${await response.text()}`);
  }
  return response.headers.get('location') as string;
}

/** The picker's hidden `pending` id and the cloud ids offered, read from its HTML. */
export async function readPicker(
  response: Response,
): Promise<{ html: string; pending: string; siteIds: string[] }> {
  const html = await response.text();
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1];
  if (!pending) throw new Error(`expected the site picker, got: ${html.slice(0, 300)}`);
  const siteIds = [...html.matchAll(/name="site_id" value="([^"]+)"/g)].map((match) => match[1] as string);
  return { html, pending, siteIds };
}

/** The `integration_id` of a successful finish redirected to RETURN_URL. */
export function integrationIdFrom(response: Response): string {
  const location = response.headers.get('location');
  const url = location ? new URL(location) : undefined;
  const id = url?.searchParams.get('integration_id');
  if (response.status !== 302 || !id || url?.searchParams.get('status') !== 'connected') {
    throw new Error(`expected a redirect with integration_id, got ${response.status} ${location ?? ''}`);
  }
  return id;
}

/** `name=value` of the first Set-Cookie, as a browser would send it back. */
export function cookieFrom(response: Response): string | undefined {
  return response.headers.get('set-cookie')?.split(';')[0];
}

/** Every key and value in CONFLUENCE_KV right now (what an attacker with a KV dump would see). */
export async function kvDump(): Promise<Map<string, string>> {
  const kv = (env as unknown as { CONFLUENCE_KV: KVNamespace }).CONFLUENCE_KV;
  const dump = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await kv.list({ cursor });
    for (const key of page.keys) dump.set(key.name, (await kv.get(key.name)) ?? '');
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return dump;
}
