import type { OAuthHelpers } from '@cloudflare/workers-oauth-provider';
import { listKeys } from '../integrations/records.ts';
import { kvKeys } from '../kv-keys.ts';
import { setBounded } from '../lib/bounded-map.ts';
import {
  authorizationServerIfConfigured,
  GRANT_IDLE_TTL_SECONDS,
  libraryEnv,
  type McpGrantProps,
  mcpResource,
} from './server.ts';

/**
 * The MCP grants of an integration: the library keeps each under `grant:<user id>:<grant id>` and
 * the gateway makes the integration id the user id, so an integration's grants list with one prefix.
 */

/** Who an MCP access token speaks for: one grant of one integration. */
export interface McpGrantCaller {
  integrationId: string;
  grantId: string;
  clientId: string;
}

/**
 * The grant behind an access token presented at `/mcp`, or null. The library checks the token's
 * hash, expiry and audience (the `/mcp` resource: a token can never be used elsewhere) and opens
 * its props; the props must name the integration the grant was written for.
 */
export async function findMcpGrant(env: Env, token: string): Promise<McpGrantCaller | null> {
  // Library tokens are `<user id>:<grant id>:<secret>`; anything else is not ours to look up.
  const [userId, grantId, secret] = token.split(':');
  if (!userId || !grantId || !secret) return null;
  const server = await authorizationServerIfConfigured(env);
  if (!server) return null;
  const validated = await server.validateToken<McpGrantProps>(mcpResource(env), token, libraryEnv(env));
  if (!validated || validated.props?.integration_id !== userId) return null;
  await noteGrantUsed(env.CONFLUENCE_KV, userId, grantId);
  return { integrationId: userId, grantId, clientId: validated.clientId };
}

export interface McpGrantView {
  id: string;
  client_id: string;
  client_name: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export async function listMcpGrants(env: Env, integrationId: string): Promise<McpGrantView[]> {
  const oauth = await helpersOrNull(env);
  if (!oauth) return [];
  const grants: McpGrantView[] = [];
  let cursor: string | undefined;
  do {
    const page = await oauth.listUserGrants(integrationId, { cursor });
    for (const grant of page.items) {
      const lastUsed = await env.CONFLUENCE_KV.get(kvKeys.mcpGrantUsed(integrationId, grant.id));
      grants.push({
        id: grant.id,
        client_id: grant.clientId,
        client_name: typeof grant.metadata?.client_name === 'string' ? grant.metadata.client_name : null,
        created_at: new Date(grant.createdAt * 1000).toISOString(),
        last_used_at: lastUsed,
        expires_at: grant.expiresAt === undefined ? null : new Date(grant.expiresAt * 1000).toISOString(),
      });
    }
    cursor = page.cursor;
  } while (cursor);
  return grants.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Revokes one grant with its tokens; false when the integration has no such grant. */
export async function revokeMcpGrant(env: Env, integrationId: string, grantId: string): Promise<boolean> {
  const oauth = await helpersOrNull(env);
  if (!oauth || !/^[A-Za-z0-9_-]{1,128}$/.test(grantId)) return false;
  if ((await env.CONFLUENCE_KV.get(`grant:${integrationId}:${grantId}`)) === null) return false;
  await oauth.revokeGrant(grantId, integrationId);
  await env.CONFLUENCE_KV.delete(kvKeys.mcpGrantUsed(integrationId, grantId));
  return true;
}

/** Every grant of a deleted integration, with its tokens. */
export async function revokeAllMcpGrants(env: Env, integrationId: string): Promise<void> {
  for (const grant of await listMcpGrants(env, integrationId)) {
    await revokeMcpGrant(env, integrationId, grant.id);
  }
  const marks = await listKeys(env.CONFLUENCE_KV, kvKeys.mcpGrantUsedPrefix(integrationId));
  await Promise.all(marks.map((key) => env.CONFLUENCE_KV.delete(key)));
}

async function helpersOrNull(env: Env): Promise<OAuthHelpers | null> {
  return (await authorizationServerIfConfigured(env))?.getOAuthApi(libraryEnv(env)) ?? null;
}

// "Last used" is kept to the minute-ish: one KV write per grant per isolate every five minutes at
// most, so a busy client does not turn each tool call into a write.
const USED_WRITE_INTERVAL_MS = 5 * 60 * 1000;
const lastWrites = new Map<string, number>();

async function noteGrantUsed(kv: KVNamespace, integrationId: string, grantId: string): Promise<void> {
  const now = Date.now();
  if (now - (lastWrites.get(grantId) ?? 0) < USED_WRITE_INTERVAL_MS) return;
  setBounded(lastWrites, grantId, now, 10_000);
  await kv.put(kvKeys.mcpGrantUsed(integrationId, grantId), new Date(now).toISOString(), {
    expirationTtl: GRANT_IDLE_TTL_SECONDS,
  });
}
