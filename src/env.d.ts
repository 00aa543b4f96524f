/**
 * The Worker's bindings: the one place the environment is typed, declared globally so that no module
 * imports it (a module that did would depend on every Durable Object class named here). Every
 * setting is optional on purpose: `config.ts` checks them, so a missing one answers `503
 * misconfigured` instead of crashing. The classes are named by `import()` types, which keep this file
 * a global declaration rather than a module.
 */
declare namespace Cloudflare {
  interface Env {
    CONFLUENCE_KV: KVNamespace;
    TOKEN_REFRESHER: DurableObjectNamespace<import('./vault/token-refresher.ts').TokenRefresher>;
    WEBHOOK_INBOX: DurableObjectNamespace<import('./webhooks/inbox.ts').WebhookInbox>;
    EVENT_OUTBOX: DurableObjectNamespace<import('./event-delivery/outbox.ts').EventOutbox>;
    /** The queue that carries received events to the event destination (wrangler.toml). */
    EVENT_QUEUE: Queue<import('./event-delivery/outbox.ts').DeliveryMessage>;
    INTEGRATION_LIFECYCLE: DurableObjectNamespace<import('./integrations/lifecycle.ts').IntegrationLifecycle>;
    CALL_BUDGET: DurableObjectNamespace<import('./tools/call-budget.ts').CallBudget>;
    AUDIT_LOG: DurableObjectNamespace<import('./audit/log.ts').AuditLog>;
    /** Atlassian's points pools, one object per pool (quota/ledger.ts). */
    QUOTA_LEDGER: DurableObjectNamespace<import('./quota/ledger.ts').QuotaLedger>;
    /** Workers Rate Limiting: sign-in routes per client address (wrangler.toml `[[ratelimits]]`). */
    SIGN_IN_RATE_LIMIT?: RateLimit;
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
    /** The app's points pool until Atlassian's RateLimit-Policy says otherwise (default 65000). */
    ATLASSIAN_POINTS_PER_HOUR?: string;
    /** Points one integration may spend per hour (default: 10% of the pool). */
    POINTS_PER_INTEGRATION_PER_HOUR?: string;
    /** Seconds an integration's identical reads are answered from the cache (default 30; 0: off). */
    CONFLUENCE_READ_CACHE_SECONDS?: string;
    /** "on" (default) or "off": whether MCP clients may register and sign in with Atlassian. */
    MCP_SIGN_IN?: string;
    /** Comma-separated cloud ids or site hosts MCP sign-in may connect (default: any site). */
    MCP_SIGN_IN_SITES?: string;
  }
}

/** `Env` in the gateway's code: the bindings above. */
interface Env extends Cloudflare.Env {}
