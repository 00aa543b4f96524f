import type { TokenRefresher } from './vault/token-refresher.ts';
import type { WebhookInbox } from './webhooks/inbox.ts';

/**
 * The Worker's bindings: the one place the environment is typed. Every setting is optional here on
 * purpose: `config.ts` checks them, so a missing one answers `503 misconfigured` instead of crashing.
 */
export interface Env {
  CONFLUENCE_KV: KVNamespace;
  TOKEN_REFRESHER: DurableObjectNamespace<TokenRefresher>;
  WEBHOOK_INBOX: DurableObjectNamespace<WebhookInbox>;
  CONFLUENCE_CLIENT_ID?: string;
  CONFLUENCE_CLIENT_SECRET?: string;
  CONFLUENCE_OAUTH_SCOPE?: string;
  CONFLUENCE_REDIRECT_URI?: string;
  TOKEN_ENCRYPTION_KEYS?: string;
  SERVICE_API_TOKEN?: string;
  ATLASSIAN_AUTH_BASE_URL?: string;
  ATLASSIAN_API_BASE_URL?: string;
  /** Days a received webhook event is kept (default 7). */
  WEBHOOK_RETENTION_DAYS?: string;
  /** Webhook deliveries accepted per integration per minute (default 120). */
  WEBHOOK_RATE_LIMIT_PER_MINUTE?: string;
  /** Milliseconds one Confluence call may take before it answers 504 upstream_timeout (default 15000). */
  CONFLUENCE_TIMEOUT_MS?: string;
  /** Browser origins, besides the gateway's own, that may call the MCP endpoints (comma-separated). */
  MCP_ALLOWED_ORIGINS?: string;
}

type GatewayEnv = Env;

declare global {
  namespace Cloudflare {
    interface Env extends GatewayEnv {}
  }
}

/** Who made a request, as the auth middleware established it. */
export type Caller =
  | { kind: 'service' }
  | { kind: 'agent'; tokenId: string; integrationId: string }
  /** An MCP client with an OAuth access token (oauth/): one grant, bound to one integration, on `/mcp` only. */
  | { kind: 'mcp_client'; grantId: string; clientId: string; integrationId: string };

/** The Hono environment of every route. */
export interface AppEnv {
  Bindings: Env;
  Variables: { caller: Caller };
}
