import type { Context } from 'hono';
import type { AppEnv } from '../auth/caller.ts';
import { parseConfig, requireConfig } from '../config.ts';
import type { PickableSite } from '../connect/pending.ts';
import { ApiError } from '../lib/errors.ts';
import { serveByLibrary } from './server.ts';

/**
 * How far an operator opens MCP sign-in: MCP_SIGN_IN (`on` by default, `off` closes registration
 * and the authorization endpoint; grants already issued keep working until revoked) and
 * MCP_SIGN_IN_SITES (the sites sign-in may connect, by cloud id or host; any when unset). And the
 * housekeeping of open registration: a client registered by anyone is kept only a day unless a
 * sign-in completes with it.
 */

/** A registered client that never completed a sign-in is gone after this long. */
export const UNUSED_CLIENT_TTL_SECONDS = 24 * 3600;

/** The library's key for a registered client (its own storage layout, in CONFLUENCE_KV). */
const clientKey = (clientId: string) => `client:${clientId}`;

/** Whether MCP sign-in is open; a malformed MCP_SIGN_IN answers 503 misconfigured rather than guess. */
export function signInOpen(env: Env): boolean {
  return requireConfig(env, ['MCP_SIGN_IN']).MCP_SIGN_IN;
}

/** 403 when an operator closed MCP sign-in. */
export function requireSignInOpen(env: Env): void {
  if (signInOpen(env)) return;
  throw new ApiError(
    'forbidden',
    'MCP sign-in is turned off on this gateway (MCP_SIGN_IN=off). Use an agent token with the MCP endpoint instead (Authorization: Bearer <agent token>), or ask the operator.',
  );
}

/** The sites MCP sign-in may connect, of those the Atlassian account shared. */
export function signInSites(env: Env, sites: readonly PickableSite[]): PickableSite[] {
  const allowed = parseConfig(env).values.MCP_SIGN_IN_SITES ?? [];
  if (allowed.length === 0) return [...sites];
  return sites.filter(
    (site) => allowed.includes(site.cloud_id.toLowerCase()) || allowed.includes(hostOf(site.url)),
  );
}

/** `POST /register`: the library registers the client; the gateway keeps it a day unless it is used. */
export async function registerClient(c: Context<AppEnv>): Promise<Response> {
  requireSignInOpen(c.env);
  const response = await serveByLibrary(c);
  if (response.status !== 201) return response;
  const { client_id: clientId } = (await response.clone().json()) as { client_id?: unknown };
  if (typeof clientId === 'string') await rewriteClient(c.env, clientId, UNUSED_CLIENT_TTL_SECONDS);
  return response;
}

/** A sign-in completed with this client: it is kept from now on. */
export async function keepClient(env: Env, clientId: string): Promise<void> {
  await rewriteClient(env, clientId, undefined);
}

async function rewriteClient(env: Env, clientId: string, ttlSeconds: number | undefined): Promise<void> {
  const kv = env.CONFLUENCE_KV;
  const value = await kv.get(clientKey(clientId));
  // Client ID Metadata Documents (https client ids) are not stored: nothing to keep or expire.
  if (value === null) return;
  await kv.put(clientKey(clientId), value, ttlSeconds === undefined ? {} : { expirationTtl: ttlSeconds });
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host.toLowerCase() : '';
}
