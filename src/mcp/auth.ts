import type { Context } from 'hono';
import type { AppEnv, Caller } from '../auth/caller.ts';
import { requireOwnIntegration } from '../auth/integration-access.ts';
import { identifyCaller } from '../auth/integration-auth.ts';
import { isRevoked } from '../auth/revocations.ts';
import { bearerToken } from '../auth/service-auth.ts';
import { ApiError } from '../lib/errors.ts';
import { findMcpGrant } from '../oauth/grants.ts';
import { oauthDiscovery } from '../oauth/server.ts';

/** Why a request carries no usable credential. */
export type MissingCredential = 'no_token' | 'unknown_token';

/**
 * The `WWW-Authenticate` header of every 401 the MCP door sends (RFC 6750 §3): a bare challenge
 * when no token came, `error="invalid_token"` when the token is unknown or revoked. The one place
 * the challenge is built; on `/mcp` it names the `resource_metadata` an OAuth client discovers from.
 */
export async function bearerChallenge(c: Context<AppEnv>, problem: MissingCredential): Promise<string> {
  let challenge = 'Bearer realm="confluence-agent-gateway"';
  // Only `/mcp` takes OAuth tokens, so only its challenge sends an MCP client to sign in (RFC 9728).
  const discovery = c.req.param('id') === undefined ? await oauthDiscovery(c.env) : undefined;
  if (discovery) challenge += `, resource_metadata="${discovery.metadataUrl}", scope="${discovery.scope}"`;
  if (problem === 'unknown_token') {
    challenge += ', error="invalid_token", error_description="The token is unknown, expired or revoked"';
  }
  return challenge;
}

const UNAUTHORIZED_MESSAGE: Record<MissingCredential, string> = {
  no_token:
    'Send "Authorization: Bearer <token>": an agent token of the integration, or on /mcp an OAuth access token an MCP client gets by signing in (see resource_metadata in WWW-Authenticate); the service API token works on /api/v1/integrations/:id/mcp.',
  unknown_token:
    'The bearer token is not a valid agent token or OAuth access token (it may have expired or been revoked). Refresh or sign in again, or ask for a new agent token.',
};

/** Whom an MCP request acts for: the caller and the integration whose tools it calls. */
export interface McpAccess {
  caller: Caller;
  integrationId: string;
}

/**
 * Who may use the MCP door, and on which integration. `POST /mcp` takes an agent token, which names
 * its integration; `POST /api/v1/integrations/:id/mcp` takes the service token or an agent token of
 * that integration (another integration's token: 403). No or an unknown token: the 401 answer.
 */
export async function mcpAccess(c: Context<AppEnv>): Promise<McpAccess | Response> {
  let caller = await identifyCaller(c);
  // An OAuth access token is bound to the `/mcp` resource: it is looked up there and nowhere else.
  if (caller === 'unknown_token' && c.req.param('id') === undefined)
    caller = (await oauthCaller(c)) ?? caller;
  if (caller === 'no_token' || caller === 'unknown_token') {
    return c.json(new ApiError('unauthorized', UNAUTHORIZED_MESSAGE[caller]).toJSON(), 401, {
      'WWW-Authenticate': await bearerChallenge(c, caller),
    });
  }
  return { caller, integrationId: integrationOf(caller, c.req.param('id')) };
}

/** The grant behind an OAuth access token, bound to one integration (oauth/grants.ts). */
async function oauthCaller(c: Context<AppEnv>): Promise<Caller | null> {
  const token = bearerToken(c.req.header('authorization'));
  const grant = token ? await findMcpGrant(c.env, token) : null;
  if (!grant || (await isRevoked(c.env, grant.integrationId, `grant:${grant.grantId}`))) return null;
  return { kind: 'mcp_client', ...grant };
}

function integrationOf(caller: Caller, pathId: string | undefined): string {
  if (pathId === undefined) {
    if (caller.kind !== 'service') return caller.integrationId;
    throw new ApiError(
      'forbidden',
      'The service API token names no integration: use POST /api/v1/integrations/:id/mcp, or an agent token here.',
    );
  }
  // Refused here already, as an HTTP 403 before any JSON-RPC, by the rule callTool applies.
  requireOwnIntegration(caller, pathId);
  return pathId;
}
