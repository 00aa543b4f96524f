import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import app from '../../../src/index.ts';
import { toBase64Url } from '../../../src/lib/base64.ts';
import { approveConsent } from './connect.ts';
import { emulatorControl, SERVICE_TOKEN } from './http.ts';

/**
 * An MCP client of the gateway's authorization server, speaking HTTP as one would. The library
 * accepts an issuer on https (or loopback http) only, so these requests reach the gateway as
 * https://gateway.test with the callback URL set to match; everything else is the suite's settings.
 */
export const ORIGIN = 'https://gateway.test';
export const MCP_RESOURCE = `${ORIGIN}/mcp`;
export const CLIENT_REDIRECT = 'http://127.0.0.1:33418/callback';

const httpsEnv = { ...env, CONFLUENCE_REDIRECT_URI: `${ORIGIN}/integrations/confluence/callback` };

/** A request to the gateway on https://gateway.test. */
export async function onHttps(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(new URL(path, ORIGIN), { redirect: 'manual', ...init }),
    httpsEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** The service API on the same https gateway (its MCP grants live where its issuer is valid). */
export function serviceOnHttps(method: string, path: string): Promise<Response> {
  return onHttps(path, { method, headers: { authorization: `Bearer ${SERVICE_TOKEN}` } });
}

export function postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return onHttps(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** RFC 7591 registration of a public client (PKCE, no secret). */
export async function registerClient(
  metadata: Record<string, unknown> = {},
): Promise<{ client_id: string; client_name: string }> {
  const response = await onHttps('/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Test MCP client',
      redirect_uris: [CLIENT_REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...metadata,
    }),
  });
  if (response.status !== 201)
    throw new Error(`POST /register answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { client_id: string; client_name: string };
}

export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: toBase64Url(new Uint8Array(digest)) };
}

export function authorizeUrl(
  clientId: string,
  challenge: string | undefined,
  extra: Record<string, string> = {},
) {
  const url = new URL('/authorize', ORIGIN);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CLIENT_REDIRECT,
    state: 'client-state-1',
    scope: 'confluence',
    resource: MCP_RESOURCE,
    ...(challenge && { code_challenge: challenge, code_challenge_method: 'S256' }),
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export interface ConsentPage {
  cookie: string;
  pending: string;
  siteIds: string[];
  html: string;
}

/**
 * /authorize → connect → Atlassian consent (auto-approved by the emulator) → the gateway's callback,
 * which shows the consent page naming the client. `preset` sets the emulator's sites.
 */
export async function signInUntilConsent(
  url: string,
  preset: 'single' | 'default' = 'default',
): Promise<ConsentPage> {
  await emulatorControl('POST', '/config', { auto_approve: true, site_preset: preset });
  const authorize = await onHttps(url);
  if (authorize.status !== 302)
    throw new Error(`GET /authorize answered ${authorize.status}: ${await authorize.text()}`);
  const connect = await onHttps(authorize.headers.get('location') as string);
  if (connect.status !== 302)
    throw new Error(`GET connect answered ${connect.status}: ${await connect.text()}`);
  const cookie = (connect.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const callbackUrl = await approveConsent(connect.headers.get('location') as string);
  const callback = await onHttps(callbackUrl, { headers: { cookie } });
  const html = await callback.text();
  if (callback.status !== 200) throw new Error(`the callback answered ${callback.status}: ${html}`);
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1] as string;
  const siteIds = [...html.matchAll(/name="site_id" value="([^"]+)"/g)].map((match) => match[1] as string);
  return { cookie, pending, siteIds, html };
}

/** The consent page's form, as the user submits it; returns the gateway's answer (a 302 to the client). */
export function answerConsent(
  page: ConsentPage,
  decision: 'allow' | 'deny',
  siteId = page.siteIds[0] as string,
) {
  return postForm(
    '/integrations/confluence/finalize',
    { pending: page.pending, site_id: siteId, decision },
    { cookie: page.cookie },
  );
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
  token_type: string;
  resource?: string;
}

/** The whole flow for a fresh client: registration, sign-in, consent, code, token. */
export async function connectMcpClient(
  options: { preset?: 'single' | 'default'; siteIndex?: number; clientName?: string } = {},
): Promise<{ clientId: string; tokens: Tokens }> {
  const client = await registerClient(options.clientName ? { client_name: options.clientName } : {});
  const { verifier, challenge } = await pkcePair();
  const page = await signInUntilConsent(authorizeUrl(client.client_id, challenge), options.preset);
  const back = await answerConsent(page, 'allow', page.siteIds[options.siteIndex ?? 0]);
  const code = new URL(back.headers.get('location') as string).searchParams.get('code') as string;
  const response = await exchangeCode(client.client_id, code, verifier);
  if (response.status !== 200)
    throw new Error(`POST /token answered ${response.status}: ${await response.text()}`);
  return { clientId: client.client_id, tokens: (await response.json()) as Tokens };
}

export function exchangeCode(clientId: string, code: string, verifier: string) {
  return postForm('/token', {
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    code_verifier: verifier,
    redirect_uri: CLIENT_REDIRECT,
    resource: MCP_RESOURCE,
  });
}

export function refresh(clientId: string, refreshToken: string) {
  return postForm('/token', {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: refreshToken,
  });
}

/** The grant (and integration) id an issued token names: `<integration id>:<grant id>:<secret>`. */
export function grantOf(token: string): { integrationId: string; grantId: string } {
  const [integrationId, grantId] = token.split(':');
  return { integrationId: integrationId as string, grantId: grantId as string };
}
