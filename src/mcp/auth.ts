import type { Context } from 'hono';
import type { AppEnv, Caller } from '../env.ts';
import { ApiError } from '../errors.ts';
import { identifyCaller } from '../middleware/integration-auth/index.ts';

/** Why a request carries no usable credential. */
export type MissingCredential = 'no_token' | 'unknown_token';

/**
 * The `WWW-Authenticate` header of every 401 the MCP door sends (RFC 6750 §3): a bare challenge
 * when no token came, `error="invalid_token"` when the token is unknown or revoked. The one place
 * the challenge is built, so it can grow the `resource_metadata` an OAuth client discovers from.
 */
export function bearerChallenge(_c: Context<AppEnv>, problem: MissingCredential): string {
  const realm = 'Bearer realm="confluence-agent-gateway"';
  return problem === 'no_token'
    ? realm
    : `${realm}, error="invalid_token", error_description="The token is unknown or revoked"`;
}

const UNAUTHORIZED_MESSAGE: Record<MissingCredential, string> = {
  no_token:
    'Send "Authorization: Bearer <agent token>" (an agent token of the integration; the service API token also works on /api/v1/integrations/:id/mcp).',
  unknown_token:
    'The bearer token is not a valid agent token (it may have been revoked). Ask the integration owner for a new one.',
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
  const caller = await identifyCaller(c);
  if (caller === 'no_token' || caller === 'unknown_token') {
    return c.json(new ApiError('unauthorized', UNAUTHORIZED_MESSAGE[caller]).toJSON(), 401, {
      'WWW-Authenticate': bearerChallenge(c, caller),
    });
  }
  return { caller, integrationId: integrationOf(caller, c.req.param('id')) };
}

function integrationOf(caller: Caller, pathId: string | undefined): string {
  if (pathId === undefined) {
    if (caller.kind === 'agent') return caller.integrationId;
    throw new ApiError(
      'forbidden',
      'The service API token names no integration: use POST /api/v1/integrations/:id/mcp, or an agent token here.',
    );
  }
  if (caller.kind === 'agent' && caller.integrationId !== pathId) {
    throw new ApiError(
      'forbidden',
      'This agent token belongs to another integration; use the token issued for this one.',
    );
  }
  return pathId;
}
