import type { GrantType, OAuthAuthorizationServer, OAuthHelpers } from '@cloudflare/workers-oauth-provider';
import type { Context } from 'hono';
import type { AppEnv } from '../auth/caller.ts';
import { parseConfig, requireConfig } from '../config.ts';
import { readIntegration } from '../integrations/records.ts';
import { ApiError } from '../lib/errors.ts';

/**
 * The gateway as an OAuth 2.1 authorization server for MCP clients, built on Cloudflare's
 * `@cloudflare/workers-oauth-provider`. The library owns the protocol: authorization-server metadata,
 * dynamic client registration, Client ID Metadata Documents, PKCE, the token endpoint, rotating refresh
 * tokens, and storage (tokens, codes and client secrets kept only as SHA-256 hashes; grant props
 * AES-GCM encrypted under a key wrapped by each token, so a KV dump alone opens nothing).
 *
 * The gateway owns the rest: `/authorize` (the Atlassian connect flow underneath, oauth/authorize.ts),
 * the protected-resource metadata and the MCP door's bearer check (the same route also takes agent
 * tokens), and what a grant means: its user id is the integration id and its props name that
 * integration, so a grant reaches exactly one integration, and only through the `/mcp` resource.
 */

type Library = typeof import('@cloudflare/workers-oauth-provider');
let library: Promise<Library> | undefined;

/**
 * The library, loaded by the first request that needs it (sign-in, an OAuth token at `/mcp`, a
 * grant listing): evaluating its modules is left out of every isolate's start, which REST calls pay.
 */
export function oauthLibrary(): Promise<Library> {
  library ??= import('@cloudflare/workers-oauth-provider');
  return library;
}

/** The one scope: use the Confluence tools of the integration the user connected. */
export const MCP_SCOPE = 'confluence';
/** Access tokens are short-lived; the client refreshes them. */
export const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;
/** A grant lives while it is used: each refresh moves its end this far ahead. */
export const GRANT_IDLE_TTL_SECONDS = 30 * 24 * 3600;

export interface McpGrantProps {
  integration_id: string;
}

/** Where the gateway is reached: the origin of its public callback URL. */
export function publicOrigin(env: Env): string {
  return new URL(requireConfig(env, ['CONFLUENCE_REDIRECT_URI']).CONFLUENCE_REDIRECT_URI).origin;
}

/** The protected resource MCP tokens are bound to (RFC 8707): `https://<host>/mcp`. */
export function mcpResource(env: Env): string {
  return `${publicOrigin(env)}/mcp`;
}

/** RFC 9728: where the MCP resource's metadata lives; the 401 challenge of `/mcp` points here. */
export function mcpResourceMetadataUrl(env: Env): string {
  return `${publicOrigin(env)}/.well-known/oauth-protected-resource/mcp`;
}

/**
 * What the `/mcp` 401 challenge tells an MCP client, or undefined where no sign-in is possible (the
 * gateway is not on https or loopback, or not configured): agent tokens still work there.
 */
export async function oauthDiscovery(env: Env): Promise<{ metadataUrl: string; scope: string } | undefined> {
  // MCP_SIGN_IN=off: the challenge sends no client to a sign-in that would refuse it.
  if (parseConfig(env).values.MCP_SIGN_IN === false) return undefined;
  if (!(await authorizationServerIfConfigured(env))) return undefined;
  return { metadataUrl: mcpResourceMetadataUrl(env), scope: MCP_SCOPE };
}

/**
 * The authorization server, or null where it cannot exist (not on https or loopback, or not
 * configured). No grant can have been issued there, so there is none to find, list or revoke, and
 * that must not turn an agent's 401 or an integration's deletion into a 503.
 */
export async function authorizationServerIfConfigured(
  env: Env,
): Promise<OAuthAuthorizationServer<LibraryEnv> | null> {
  try {
    return await authorizationServer(env);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'misconfigured') return null;
    throw error;
  }
}

// One library instance per env (the isolate keeps the same env across requests), like config.ts.
const servers = new WeakMap<Env, OAuthAuthorizationServer<LibraryEnv>>();

/**
 * The library reads its storage from `env.OAUTH_KV`. The gateway gives it CONFLUENCE_KV, so one
 * namespace holds everything and no new binding is needed: its keys (`client:`, `grant:`, `token:`,
 * `client-assertion-jti:`) do not meet the gateway's (kv-keys.ts).
 */
export type LibraryEnv = Env & { OAUTH_KV: KVNamespace };
const libraryEnvs = new WeakMap<Env, LibraryEnv>();

export function libraryEnv(env: Env): LibraryEnv {
  let derived = libraryEnvs.get(env);
  if (!derived) {
    derived = Object.assign(Object.create(env) as Env, { OAUTH_KV: env.CONFLUENCE_KV });
    libraryEnvs.set(env, derived);
  }
  return derived;
}

export async function authorizationServer(env: Env): Promise<OAuthAuthorizationServer<LibraryEnv>> {
  let server = servers.get(env);
  if (server) return server;
  const issuer = publicOrigin(env);
  const { OAuthAuthorizationServer } = await oauthLibrary();
  // Another request may have built it while the library loaded.
  server = servers.get(env);
  if (server) return server;
  try {
    server = new OAuthAuthorizationServer<LibraryEnv>({
      issuer,
      resources: [mcpResource(env)],
      authorizeEndpoint: '/authorize',
      tokenEndpoint: '/token',
      clientRegistrationEndpoint: '/register',
      scopesSupported: [MCP_SCOPE],
      accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTTL: GRANT_IDLE_TTL_SECONDS,
      refreshTokenIdleTTL: GRANT_IDLE_TTL_SECONDS,
      clientIdMetadataDocumentEnabled: true,
      tokenExchangeCallback: refuseGrantsOfDeletedIntegrations,
      // Only the stable reason is logged: never a description that could echo client input.
      onError: ({ code, internal }) => {
        console.warn(JSON.stringify({ event: 'oauth_refused', code, reason: internal.reason }));
      },
    });
  } catch {
    // The library accepts an https issuer, or http on a loopback host only (OAuth 2.1).
    throw new ApiError(
      'misconfigured',
      'MCP sign-in needs the gateway on https (or http on localhost/127.0.0.1): setting CONFLUENCE_REDIRECT_URI is malformed for it.',
    );
  }
  servers.set(env, server);
  return server;
}

/** Hands a request to the library's own endpoints (metadata, registration, token). */
export async function serveByLibrary(c: Context<AppEnv>): Promise<Response> {
  // Hono types the context's ExecutionContext apart from workers-types' one; it is the same object.
  const ctx = c.executionCtx as unknown as ExecutionContext;
  return (await authorizationServer(c.env)).fetch(c.req.raw, libraryEnv(c.env), ctx);
}

export async function oauthHelpers(env: Env): Promise<OAuthHelpers> {
  return (await authorizationServer(env)).getOAuthApi(libraryEnv(env));
}

/**
 * Code exchange and refresh both pass here: a grant whose integration was deleted is dead, and
 * `invalid_grant` from this callback makes the library revoke it (the client then signs in again).
 * An integration that needs reauthorization keeps its grant: its tool calls say to reconnect.
 */
async function refuseGrantsOfDeletedIntegrations({
  grantType,
  props,
  env,
}: {
  grantType: GrantType;
  props: McpGrantProps;
  env: LibraryEnv;
}): Promise<void> {
  const { GrantType, OAuthError } = await oauthLibrary();
  if (grantType !== GrantType.AUTHORIZATION_CODE && grantType !== GrantType.REFRESH_TOKEN) return;
  if (!(await readIntegration(env.CONFLUENCE_KV, props.integration_id))) {
    throw new OAuthError('invalid_grant', {
      description: 'The Confluence integration of this grant was deleted. Sign in again.',
    });
  }
}
