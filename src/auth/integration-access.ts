import { ApiError } from '../lib/errors.ts';
import type { Caller } from './caller.ts';

/**
 * Which integration a caller may act on, decided the same way for both doors (REST and MCP):
 * callTool and the per-integration catalog apply these, so neither door keeps a copy of its own.
 */

/**
 * An agent token or an MCP grant belongs to one integration: on another one it is a valid
 * credential without the right (403). The service token may act on every integration.
 */
export function requireOwnIntegration(caller: Caller, integrationId: string): void {
  if (caller.kind === 'service' || caller.integrationId === integrationId) return;
  throw new ApiError(
    'forbidden',
    caller.kind === 'agent'
      ? 'This agent token belongs to another integration; use the token issued for this one.'
      : 'This sign-in belongs to another integration; call /mcp with the token issued for this one.',
  );
}

/**
 * What an integration that does not exist (or no longer) means to its caller. Its agent tokens and
 * MCP grants are purged shortly after a deletion, so meanwhile they are answered as the invalid
 * credentials they now are (401); the service token learns the integration is gone (404).
 */
export function missingIntegration(caller: Caller, integrationId: string): ApiError {
  if (caller.kind === 'agent') {
    return new ApiError(
      'unauthorized',
      'The bearer token is not a valid agent token (its integration was deleted). Ask for a new one.',
    );
  }
  if (caller.kind === 'mcp_client') {
    return new ApiError(
      'unauthorized',
      'This sign-in is no longer valid (its integration was deleted). Sign in again from the MCP client.',
    );
  }
  return new ApiError(
    'integration_not_found',
    `No integration ${integrationId}. It may have been deleted; list integrations with GET /api/v1/integrations?owner_id=….`,
  );
}
