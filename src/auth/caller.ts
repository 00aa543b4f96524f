import type { Policy } from '../policy/policy.ts';

/**
 * Who made a request, as the auth middleware established it. An agent carries its token's label (for
 * the audit log) and its token's own policy, which can only narrow the integration's.
 */
export type Caller =
  | { kind: 'service' }
  | { kind: 'agent'; tokenId: string; integrationId: string; label: string | null; policy: Policy | null }
  /** An MCP client with an OAuth access token (oauth/): one grant, bound to one integration, on `/mcp` only. */
  | { kind: 'mcp_client'; grantId: string; clientId: string; integrationId: string };

/** The Hono environment of every route: the Worker's bindings, and the caller once authenticated. */
export interface AppEnv {
  Bindings: Env;
  Variables: { caller: Caller };
}
