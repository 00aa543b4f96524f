import type { AuthRequest } from '@cloudflare/workers-oauth-provider';
import type { Context } from 'hono';
import type { AppEnv } from '../auth/caller.ts';
import { requireConfig } from '../config.ts';
import { ConnectError } from '../connect/errors.ts';
import { finishConnection } from '../connect/finish.ts';
import { errorPage, sitePickerPage } from '../connect/pages.tsx';
import { markFinished, type PendingConnection, type PickableSite, savePending } from '../connect/pending.ts';
import { type ConnectSession, createSession, returnUrlWith } from '../connect/sessions.ts';
import type { OAuthState } from '../connect/state.ts';
import { listIntegrations } from '../integrations/records.ts';
import { currentAccountId, TokenRequestError } from '../vault/atlassian-oauth.ts';
import { sha256Hex } from '../vault/crypto.ts';
import type { TokenSet } from '../vault/tokens.ts';
import { pkceRefusal } from './pkce.ts';
import type { McpAuthorization } from './request.ts';
import { MCP_SCOPE, type McpGrantProps, oauthHelpers, oauthLibrary } from './server.ts';
import { keepClient, signInOpen, signInSites } from './sign-in-door.ts';

/**
 * `/authorize` for MCP clients, and the two places where the connect flow hands over to it.
 *
 * 1. `GET /authorize`: the library checks the request (known client, exact registered redirect URI,
 *    resource); the gateway also requires PKCE S256, then starts a connect session that carries the
 *    request and sends the browser through the usual connect flow (cookie, Atlassian consent).
 * 2. At the callback, the Atlassian account that consented is read from Confluence: it is the owner
 *    (`atlassian:<accountId>`). The consent page names the MCP client and lets the user pick the site.
 * 3. At finalize, that account's integration for the site is reused (or one is created, or brought
 *    back to active with the new tokens), and the grant is written for that one integration; the
 *    browser goes back to the client with the code.
 *
 * Failures after step 1 go back to the client's redirect URI with `error=<code>` and its `state`.
 */
export async function startMcpAuthorization(c: Context<AppEnv>): Promise<Response> {
  const config = requireConfig(c.env, ['CONFLUENCE_REDIRECT_URI']);
  if (!signInOpen(c.env)) {
    return refusedPage(
      c,
      'access_denied',
      'Signing in with Atlassian is turned off on this gateway (MCP_SIGN_IN=off); use an agent token instead.',
      403,
    );
  }
  const oauth = await oauthHelpers(c.env);
  const { AuthorizationError, CimdFetchError, authorizationErrorRedirect } = await oauthLibrary();
  let request: AuthRequest;
  try {
    request = await oauth.parseAuthRequest(c.req.raw);
  } catch (error) {
    if (error instanceof AuthorizationError) {
      // A redirect only once the library has matched the redirect URI to the client's registration.
      if (error.redirectTo) return c.redirect(error.redirectTo, 302);
      return refusedPage(c, error.code, error.description);
    }
    if (error instanceof CimdFetchError) {
      return refusedPage(
        c,
        'invalid_client',
        'The client’s metadata document (its client_id URL) could not be fetched or is not valid.',
      );
    }
    throw error;
  }
  const pkce = pkceRefusal(request);
  if (pkce) return c.redirect(authorizationErrorRedirect(request, 'invalid_request', pkce), 302);
  const consent = await oauth.describeConsent(request);
  const mcp: McpAuthorization = {
    request: { ...request },
    client: {
      name: consent.clientName,
      domain: consent.clientDomain,
      redirect_host: consent.redirectHost,
      redirect_is_loopback: consent.redirectIsLoopback,
    },
  };
  const { id } = await createSession(c.env.CONFLUENCE_KV, {
    // The owner is not known until the user signs in at Atlassian (step 2).
    owner_id: '',
    return_url: clientReturnUrl(request),
    mcp,
  });
  const connectUrl = new URL('/integrations/confluence/connect', config.CONFLUENCE_REDIRECT_URI);
  connectUrl.searchParams.set('session', id);
  return c.redirect(connectUrl.toString(), 302);
}

/** Step 2, from the callback once the code is exchanged and the Confluence sites are known. */
export async function showMcpConsent(
  c: Context<AppEnv>,
  mcp: McpAuthorization,
  input: {
    flow: OAuthState;
    session: ConnectSession;
    sites: PickableSite[];
    scopes: string[];
    tokens: TokenSet;
  },
): Promise<Response> {
  const config = requireConfig(c.env, ['ATLASSIAN_API_BASE_URL', 'TOKEN_ENCRYPTION_KEYS']);
  const { session } = input;
  // Only the sites the operator opened sign-in to (MCP_SIGN_IN_SITES) are offered.
  const sites = signInSites(c.env, input.sites);
  if (sites.length === 0) throw new ConnectError('site_not_allowed', session.return_url);
  let accountId: string;
  try {
    accountId = await currentAccountId(
      config.ATLASSIAN_API_BASE_URL,
      input.tokens.access_token,
      (sites[0] as PickableSite).cloud_id,
    );
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    console.warn(JSON.stringify({ event: 'mcp_current_user_failed', kind: error.kind }));
    throw new ConnectError('exchange_failed', session.return_url);
  }
  const owned = await listIntegrations(c.env.CONFLUENCE_KV, ownerOf(accountId));
  const connected = sites.find((site) => owned.some((record) => record.site.cloud_id === site.cloud_id));
  const pendingId = await savePending(c.env.CONFLUENCE_KV, config.TOKEN_ENCRYPTION_KEYS, {
    session: { ...session, owner_id: ownerOf(accountId) },
    browser: input.flow.browser,
    sites,
    scopes: input.scopes,
    tokens: input.tokens,
  });
  const page = sitePickerPage({
    pendingId,
    sites,
    name: '',
    selected: connected?.cloud_id,
    mcpClient: mcp.client,
  });
  return c.html(page, 200);
}

/** Step 3, from finalize: the user allowed (or denied) the client on the consent page. */
export async function finishMcpAuthorization(
  c: Context<AppEnv>,
  mcp: McpAuthorization,
  pendingId: string,
  pending: PendingConnection,
  form: Record<string, string | undefined>,
): Promise<Response> {
  const kv = c.env.CONFLUENCE_KV;
  const { session } = pending;
  const { request } = mcp;
  // Whatever happens next, this form is used up: a second submission lands on a plain page.
  const usedUp = { ...pending, session: { ...session, return_url: null } };
  if (form.decision === 'deny') {
    await markFinished(kv, pendingId, usedUp, '');
    const { authorizationErrorRedirect } = await oauthLibrary();
    const description = 'The user declined to connect Confluence.';
    return c.redirect(authorizationErrorRedirect(request, 'access_denied', description), 302);
  }
  const site = pending.sites.find((candidate) => candidate.cloud_id === form.site_id);
  if (!site) {
    const page = sitePickerPage({
      pendingId,
      sites: pending.sites,
      name: '',
      mcpClient: mcp.client,
      error: 'Choose one of the Confluence sites below.',
    });
    return c.html(page, 400);
  }
  // The same account and site reuse their integration, so a second client does not fork the tokens.
  const owned = await listIntegrations(kv, session.owner_id);
  const existing = owned.find((record) => record.site.cloud_id === site.cloud_id);
  const { record } = await finishConnection(c.env, {
    session: { ...session, integration_id: existing?.id ?? session.integration_id, reconnect: false },
    site,
    name: null,
    scopes: pending.scopes,
    tokens: pending.tokens,
    finisher: await sha256Hex(`pending:${pendingId}`),
    // The consent page read it from Confluence and made it the owner.
    accountId: session.owner_id.slice(ownerOf('').length),
  });
  const props: McpGrantProps = { integration_id: record.id };
  const { redirectTo } = await (await oauthHelpers(c.env)).completeAuthorization({
    request,
    userId: record.id,
    metadata: { client_name: mcp.client.name, client_domain: mcp.client.domain ?? null },
    scope: [MCP_SCOPE],
    props,
  });
  await markFinished(kv, pendingId, usedUp, record.id);
  // A client that completed a sign-in is kept; one that never does expires (sign-in-door.ts).
  await keepClient(c.env, request.clientId);
  return c.redirect(redirectTo, 302);
}

/** The owner id of an integration an MCP client connected: the Atlassian account. */
export function ownerOf(accountId: string): string {
  return `atlassian:${accountId}`;
}

/**
 * Where a connect-flow failure sends the browser: the client's redirect URI with its `state` and our
 * `iss` (RFC 9207) already on it; the flow appends `error=<code>`.
 */
function clientReturnUrl(request: AuthRequest): string {
  return returnUrlWith(request.redirectUri, {
    ...(request.state && { state: request.state }),
    ...(request.issuer && { iss: request.issuer }),
  });
}

/** A request that cannot be sent back to its client (unknown client, unregistered redirect URI). */
async function refusedPage(
  c: Context<AppEnv>,
  code: string,
  description: string,
  status: 400 | 403 = 400,
): Promise<Response> {
  const page = await errorPage({
    title: status === 403 ? 'Signing in is not available' : 'This sign-in request is not valid',
    advice: `${description} Go back to the application and start again.`,
    code,
  });
  return c.html(page, status);
}
