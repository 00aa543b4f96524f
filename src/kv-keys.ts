/**
 * Every key the gateway writes to CONFLUENCE_KV, in one place, so the whole layout can be read at a
 * glance. Values marked "sealed" are AES-GCM encrypted (vault/crypto.ts); "hash" values are SHA-256
 * of a secret that is shown once and never stored. Nothing here holds a token or secret in plaintext.
 */
export const kvKeys = {
  /** IntegrationRecord JSON: public facts about a connected site. Never a token. */
  integration: (id: string) => `integration:${id}`,
  /** Empty marker per (SHA-256 of the owner id, integration), so an owner's integrations list with one prefix scan. */
  ownerIndex: (ownerHash: string, id: string) => `owner:${ownerHash}:${id}`,
  ownerIndexPrefix: (ownerHash: string) => `owner:${ownerHash}:`,
  /** Sealed access token and its expiry (never the refresh token), context = integration id. */
  tokens: (id: string) => `tokens:${id}`,
  /** Agent token record, keyed by the token's hash: {integration_id, token_id, label, created_at}. */
  agentToken: (tokenHash: string) => `agent-token:${tokenHash}`,
  /** The hash of each agent token of an integration, so revocation and deletion can find them. */
  agentTokenOf: (integrationId: string, tokenId: string) => `agent-token-of:${integrationId}:${tokenId}`,
  agentTokensOfPrefix: (integrationId: string) => `agent-token-of:${integrationId}:`,
  /**
   * One received webhook event (JSON: id, received_at, event, page_id?, payload), never rewritten;
   * expires after WEBHOOK_RETENTION_DAYS. The sort key is an inverted, zero-padded timestamp plus a
   * random suffix, so KV's lexicographic list gives newest first.
   */
  webhookEvent: (integrationId: string, sortKey: string) => `event:${integrationId}:${sortKey}`,
  webhookEventsPrefix: (integrationId: string) => `event:${integrationId}:`,
  /** A connect session created by the service API (owner, name, return URL, reconnect target). */
  connectSession: (id: string) => `connect-session:${id}`,
  /** An OAuth state in flight: single use, expires with the session cookie. */
  oauthState: (stateHash: string) => `oauth-state:${stateHash}`,
  /** A completed code exchange waiting for the user to pick a site: sealed tokens, expires. */
  pendingConnection: (id: string) => `pending:${id}`,
  /**
   * MCP OAuth (oauth/). The library stores its own records here too, under `client:` (registered
   * clients, secrets hashed), `grant:<integration id>:<grant id>` (props encrypted, refresh tokens
   * hashed), `token:<integration id>:<grant id>:<hash>` (access tokens) and `client-assertion-jti:`.
   * When an MCP grant last served a call (ISO time), written at most every five minutes.
   */
  mcpGrantUsed: (integrationId: string, grantId: string) => `mcp-grant-used:${integrationId}:${grantId}`,
  mcpGrantUsedPrefix: (integrationId: string) => `mcp-grant-used:${integrationId}:`,
  /** A refresh token that rotation retired (key: its SHA-256), value: its grant's key. Presenting it again revokes the grant. */
  retiredRefreshToken: (tokenHash: string) => `mcp-retired-refresh:${tokenHash}`,
} as const;
