import type { AuditLog } from './audit/log.ts';
import type { DeliveryMessage, EventOutbox } from './event-delivery/outbox.ts';
import type { IntegrationLifecycle } from './integrations/lifecycle.ts';
import type { Policy } from './policy/policy.ts';
import type { CallBudget } from './tools/call-budget.ts';
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
  EVENT_OUTBOX: DurableObjectNamespace<EventOutbox>;
  /** The queue that carries received events to the event destination (wrangler.toml). */
  EVENT_QUEUE: Queue<DeliveryMessage>;
  INTEGRATION_LIFECYCLE: DurableObjectNamespace<IntegrationLifecycle>;
  CALL_BUDGET: DurableObjectNamespace<CallBudget>;
  AUDIT_LOG: DurableObjectNamespace<AuditLog>;
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
  /** "true" lets event destinations use http:// URLs (the sandbox and tests); https only otherwise. */
  EVENT_DESTINATIONS_ALLOW_HTTP?: string;
  /** Seconds before the first retry of a failed event delivery; doubles per failure up to an hour (default 30). */
  EVENT_DELIVERY_FIRST_RETRY_SECONDS?: string;
  /** Seconds after queueing during which a failing delivery is retried, then failed (default 86400). */
  EVENT_DELIVERY_RETRY_WINDOW_SECONDS?: string;
  /** Days an audit entry is kept (default 90). */
  AUDIT_RETENTION_DAYS?: string;
  /** Browser origins, besides the gateway's own, that may call the MCP endpoints (comma-separated). */
  MCP_ALLOWED_ORIGINS?: string;
  /** Bytes of one Confluence answer the gateway reads before it gives up on it (default 16 MiB). */
  CONFLUENCE_MAX_RESPONSE_BYTES?: string;
  /** Tool calls one integration may make per minute, over both doors (default 600). */
  TOOL_CALLS_PER_MINUTE?: string;
}

type GatewayEnv = Env;

declare global {
  namespace Cloudflare {
    interface Env extends GatewayEnv {}
  }
}

/**
 * Who made a request, as the auth middleware established it. An agent carries its token's label (for
 * the audit log) and its token's own policy, which can only narrow the integration's.
 */
export type Caller =
  | { kind: 'service' }
  | { kind: 'agent'; tokenId: string; integrationId: string; label: string | null; policy: Policy | null }
  /** An MCP client with an OAuth access token (oauth/): one grant, bound to one integration, on `/mcp` only. */
  | { kind: 'mcp_client'; grantId: string; clientId: string; integrationId: string };

/** The Hono environment of every route. */
export interface AppEnv {
  Bindings: Env;
  Variables: { caller: Caller };
}
