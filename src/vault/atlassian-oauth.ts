import * as z from 'zod';
import type { Config } from '../config.ts';

/**
 * The thin client for Atlassian's OAuth 2.0 (3LO) endpoints: the authorize URL, and token requests
 * that keep the body of a 403 and take a timeout, since the difference between "refresh token dead"
 * (403 / invalid_grant: the user must consent again) and "Atlassian unavailable" (keep the token,
 * retry later) is the whole point.
 */
type OAuthConfig = Pick<
  Config,
  'CONFLUENCE_CLIENT_ID' | 'CONFLUENCE_CLIENT_SECRET' | 'CONFLUENCE_REDIRECT_URI' | 'ATLASSIAN_AUTH_BASE_URL'
>;

const TOKEN_TIMEOUT_MS = 10_000;

/**
 * Where the connect flow sends the browser: `{ATLASSIAN_AUTH_BASE_URL}/authorize` (beside
 * `/oauth/token`, under the same base) with the parameters 3LO asks for (atlassian/FACTS.md).
 */
export function authorizationUrl(
  config: OAuthConfig & Pick<Config, 'CONFLUENCE_OAUTH_SCOPE'>,
  state: string,
): URL {
  const url = new URL(`${config.ATLASSIAN_AUTH_BASE_URL}/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.CONFLUENCE_CLIENT_ID,
    state,
    scope: config.CONFLUENCE_OAUTH_SCOPE.join(' '),
    redirect_uri: config.CONFLUENCE_REDIRECT_URI,
    audience: 'api.atlassian.com',
    prompt: 'consent',
  }).toString();
  return url;
}

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive(),
  scope: z.string().optional(),
});

export interface TokenGrant {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  accessExpiresAt: number;
  scopes: string[];
}

/**
 * Why a token request failed. `invalid_grant`: the code or refresh token is dead (expired, used,
 * rotated out, revoked): only a new consent helps. `client_rejected`: the client id or secret is
 * wrong (an operator problem). `unavailable`: network, timeout, 5xx or 429: try again later.
 *
 * `inDoubt`: Atlassian may have carried the request out (and so rotated the refresh token) without
 * the answer reaching us: a timeout, a dropped connection, a 5xx, a success whose body is unreadable.
 * A 429 or a 4xx answer is a clear "not done".
 */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  readonly kind: 'invalid_grant' | 'client_rejected' | 'unavailable';
  readonly retryAfterSeconds?: number;
  readonly inDoubt: boolean;
  constructor(
    kind: TokenRequestError['kind'],
    message: string,
    options: { retryAfterSeconds?: number; inDoubt?: boolean } = {},
  ) {
    super(message);
    this.kind = kind;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.inDoubt = options.inDoubt ?? false;
  }
}

export function exchangeCode(config: OAuthConfig, code: string): Promise<TokenGrant> {
  return requestTokens(config, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: config.CONFLUENCE_REDIRECT_URI,
  });
}

export function refreshTokens(config: OAuthConfig, refreshToken: string): Promise<TokenGrant> {
  return requestTokens(config, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

async function requestTokens(config: OAuthConfig, grant: Record<string, string>): Promise<TokenGrant> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${config.ATLASSIAN_AUTH_BASE_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        ...grant,
        client_id: config.CONFLUENCE_CLIENT_ID,
        client_secret: config.CONFLUENCE_CLIENT_SECRET,
      }),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw new TokenRequestError(
      'unavailable',
      timedOut ? 'the token endpoint timed out' : 'the connection to the token endpoint failed',
      { inDoubt: true },
    );
  }
  if (response.ok) {
    const parsed = TokenAnswer.safeParse(safeJson(text));
    if (!parsed.success)
      throw new TokenRequestError('unavailable', 'the token endpoint answered with an unreadable body', {
        inDoubt: true,
      });
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      accessExpiresAt: Date.now() + parsed.data.expires_in * 1000,
      scopes: parsed.data.scope?.split(/\s+/).filter(Boolean) ?? [],
    };
  }
  const error = z.object({ error: z.string() }).safeParse(safeJson(text)).data?.error;
  // Atlassian answers a dead refresh token with 403 (invalid_grant, sometimes unauthorized_client),
  // a dead code with 400 invalid_grant / invalid_request, and a wrong client secret with 401.
  if (response.status === 401) {
    throw new TokenRequestError('client_rejected', 'Atlassian rejected the client id or secret');
  }
  if (
    response.status === 403 ||
    (response.status === 400 && (error === 'invalid_grant' || error === 'invalid_request'))
  ) {
    throw new TokenRequestError(
      'invalid_grant',
      `Atlassian refused the grant (${response.status} ${error ?? 'no error code'})`,
    );
  }
  throw new TokenRequestError('unavailable', `the token endpoint answered ${response.status}`, {
    retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')),
    inDoubt: response.status >= 500,
  });
}

export interface AccessibleResource {
  id: string;
  name: string;
  url: string;
  scopes: string[];
}

const AccessibleResources = z.array(
  z.object({ id: z.string(), name: z.string(), url: z.string(), scopes: z.array(z.string()).default([]) }),
);

/** The sites a fresh access token reaches (`/oauth/token/accessible-resources`). */
export async function accessibleResources(
  apiBaseUrl: string,
  accessToken: string,
): Promise<AccessibleResource[]> {
  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch {
    throw new TokenRequestError('unavailable', 'accessible-resources is unreachable');
  }
  const parsed = AccessibleResources.safeParse(safeJson(await response.text()));
  if (!response.ok || !parsed.success) {
    throw new TokenRequestError('unavailable', `accessible-resources answered ${response.status}`);
  }
  return parsed.data;
}

/**
 * The Atlassian account a fresh access token acts for, from Confluence's current user on one of its
 * sites (`read:confluence-user`). The account id is the same on every site of the account.
 */
export async function currentAccountId(
  apiBaseUrl: string,
  accessToken: string,
  cloudId: string,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(
      `${apiBaseUrl}/ex/confluence/${encodeURIComponent(cloudId)}/wiki/rest/api/user/current`,
      {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      },
    );
  } catch {
    throw new TokenRequestError('unavailable', 'the current user is unreachable');
  }
  const parsed = z.object({ accountId: z.string().min(1) }).safeParse(safeJson(await response.text()));
  if (!response.ok || !parsed.success) {
    throw new TokenRequestError('unavailable', `the current user answered ${response.status}`);
  }
  return parsed.data.accountId;
}

/** Confluence sites only: accessible-resources also lists Jira and other products' sites. */
export function isConfluenceSite(resource: AccessibleResource): boolean {
  return resource.scopes.some((scope) => scope.includes('confluence'));
}

export function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
