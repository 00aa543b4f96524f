/**
 * `npm run test:mutations [-- name…]`: breaks the code on purpose, one plausible bug at a time, and
 * checks that the test file named for it fails. Each mutation is applied to a temporary copy of the
 * repository (never to this work tree), whose test file is then run; a mutation whose test still
 * passes "survived" and the run exits 1. Runs on demand, not in `npm test`: each mutation costs one
 * vitest run (about a minute on a loaded 2-core machine).
 *
 *   node scripts/mutations.ts                # all of them
 *   node scripts/mutations.ts space-key-cache refresh-margin
 *   node scripts/mutations.ts --list
 *   node scripts/mutations.ts --markdown     # the table docs/architecture.md keeps
 *
 * Importing the module (the unit tests read MUTATIONS) runs nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Mutation {
  name: string;
  /** The bug it stands for. */
  bug: string;
  file: string;
  /** Exact text in `file` (it must occur once) and what replaces it. */
  from: string;
  to: string;
  /**
   * Ignored: the test file's folder decides its tier (projectOf). Kept optional so that entries
   * written before the tiers still read.
   */
  project?: 'gateway' | 'node';
  /** The test file expected to fail on the mutated code. */
  test: string;
}

export const MUTATIONS: Mutation[] = [
  {
    name: 'space-key-cache',
    bug: 'space ids cached by key alone: two sites with the same key share one id',
    file: 'src/confluence/api.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to find, not a template
    from: 'const cacheKey = `${this.integrationId}:${key}`;',
    to: 'const cacheKey = key;',
    test: 'test/gateway/second-site.test.ts',
  },
  {
    name: 'refresh-margin',
    bug: 'access tokens refreshed 4 minutes before expiry instead of 5',
    file: 'src/vault/tokens.ts',
    from: 'export const REFRESH_MARGIN_MS = 5 * 60_000;',
    to: 'export const REFRESH_MARGIN_MS = 4 * 60_000;',
    test: 'test/gateway/timing-and-config.test.ts',
  },
  {
    name: 'service-token-length-shortcut',
    bug: 'the service-token check returns early when the lengths differ',
    file: 'src/auth/service-auth.ts',
    from: 'return timingSafeEqualText(token, serviceToken);',
    to: 'return token.length === serviceToken.length && timingSafeEqualText(token, serviceToken);',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'delete-keeps-cached-record',
    bug: 'DELETE leaves the integration record in the isolate cache',
    file: 'src/integrations/routes.ts',
    from: '  forgetAccessToken(record.id);\n  forgetIntegration(record.id);\n',
    to: '  forgetAccessToken(record.id);\n',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'return-url-loses-query',
    bug: "the return_url's own query and fragment are dropped",
    file: 'src/connect/sessions.ts',
    from: '  const url = new URL(returnUrl);\n',
    to: "  const url = new URL(returnUrl);\n  url.search = '';\n  url.hash = '';\n",
    test: 'test/gateway/connect.test.ts',
  },
  {
    name: 'slice-splits-surrogates',
    bug: 'page slices may end between the two halves of a surrogate pair',
    file: 'src/tools/slicing.ts',
    from: '    end += end - 1 > offset ? -1 : 1;\n',
    to: '',
    test: 'test/gateway/second-site.test.ts',
  },
  {
    name: 'slice-stalls-on-surrogate',
    bug: 'a one-character slice at a surrogate pair comes back empty with next_offset where it started',
    file: 'src/tools/slicing.ts',
    from: 'end - 1 > offset ? -1 : 1',
    to: '-1',
    test: 'test/unit/slicing.test.ts',
  },
  {
    name: 'webhook-secret-plain-compare',
    bug: 'the webhook secret hash compared with ===, which stops at the first difference',
    file: 'src/webhooks/inbox.ts',
    from: 'const matches = timingSafeEqualText(secretHash, current ?? secretHash);',
    to: 'const matches = secretHash === (current ?? secretHash);',
    test: 'test/gateway/timing-and-config.test.ts',
  },
  // Found while writing the ones above.
  {
    name: 'token-in-failure-log',
    bug: "a failed Confluence call's log line carries the access token",
    file: 'src/confluence/client.ts',
    from: '      logFailure(call, answer.status);\n      throw upstreamError(answer, call);',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to put in, not a template
    to: '      logFailure(call, `${answer.status} ${token.accessToken}`);\n      throw upstreamError(answer, call);',
    test: 'test/gateway/confluence-client.test.ts',
  },
  {
    name: 'retry-after-not-waited',
    bug: 'a short Retry-After is retried at once instead of after the wait',
    file: 'src/confluence/client.ts',
    from: 'setTimeout(resolve, wait * 1000)',
    to: 'setTimeout(resolve, 0)',
    test: 'test/gateway/confluence-client.test.ts',
  },
  {
    name: 'reauth-keeps-cached-record',
    bug: 'a needs_reauth answer leaves the active record in the isolate cache',
    file: 'src/tools/call.ts',
    from: "if (error instanceof ApiError && error.code === 'needs_reauth') forgetIntegration(integration.id);",
    to: "if (error instanceof ApiError && error.code === 'needs_reauth') forgetIntegration('');",
    test: 'test/gateway/connect-reconnect.test.ts',
  },
  {
    name: 'view-body-dropped',
    bug: 'body_format "view" answers an empty content',
    file: 'src/tools/get-confluence-page.ts',
    from: "const stored = page.body?.[format]?.value ?? '';",
    to: "const stored = format === 'view' ? '' : (page.body?.[format]?.value ?? '');",
    test: 'test/gateway/tools-pages.test.ts',
  },
  {
    name: 'webhook-settings-unchecked',
    bug: 'the webhook receiver runs with malformed WEBHOOK_* settings instead of answering 503',
    file: 'src/webhooks/routes.ts',
    from: "    'WEBHOOK_RETENTION_DAYS',\n    'WEBHOOK_RATE_LIMIT_PER_MINUTE',\n    'CONFLUENCE_READ_CACHE_SECONDS',\n  ]);",
    to: "    'CONFLUENCE_READ_CACHE_SECONDS',\n  ]);\n  Object.assign(config, { WEBHOOK_RATE_LIMIT_PER_MINUTE: 120 });",
    project: 'gateway',
    test: 'test/gateway/settings.test.ts',
  },
  {
    name: 'default-scope-missing',
    bug: 'a scope of docs/reference/atlassian/FACTS.md missing from the default list',
    file: 'src/config.ts',
    from: "  'read:confluence-groups',\n",
    to: '',
    test: 'test/gateway/settings.test.ts',
  },
  {
    name: 'comment-title-dropped',
    bug: "add_confluence_comment answers without the comment's title",
    file: 'src/tools/add-confluence-comment.ts',
    from: 'title: comment.title',
    to: "title: ''",
    test: 'test/gateway/tools-contract.test.ts',
  },
  {
    name: 'late-request-logged',
    bug: 'the emulator logs a request that arrived before the last clear: an abandoned call lands in the next test',
    file: 'dev/emulator/request-log.ts',
    from: '    if (entry.seq <= this.#floor) return;\n',
    to: '',
    test: 'test/gateway/confluence-client.test.ts',
  },
  {
    name: 'output-schema-never-built',
    bug: "a tool's lazily built output schema is never built: MCP clients get no outputSchema",
    file: 'src/tools/tool.ts',
    from: '      if (output) builtOutput ??= output();\n',
    to: '',
    test: 'test/e2e/mcp.test.ts',
  },
  {
    name: 'fence-list-items-unchecked',
    bug: 'the space fence inspects a list answer but not its items: an item of a fenced space reaches the agent',
    file: 'src/policy/space-fence.ts',
    from: 'for (const item of [answer, ...(Array.isArray(results) ? results : [])]) {',
    to: 'for (const item of [answer]) {',
    test: 'test/gateway/policy-spaces-lists.test.ts',
  },
  {
    name: 'pkce-any-method',
    bug: 'the PKCE check at /authorize asks only for a challenge, so plain (or any method) passes',
    file: 'src/oauth/pkce.ts',
    from: "if (request.codeChallengeMethod === 'S256' && request.codeChallenge) return undefined;",
    to: 'if (request.codeChallenge) return undefined;',
    test: 'test/unit/oauth-pkce.test.ts',
  },
  {
    name: 'markdown-read-outside-output-schema',
    bug: 'a Markdown page read answers a content_format its output schema does not admit',
    file: 'src/tools/get-confluence-page.ts',
    from: 'content_format: z.enum(pageBodyFormats),',
    to: "content_format: z.enum(['storage', 'atlas_doc_format', 'view']),",
    test: 'test/e2e/mcp-output-shapes.test.ts',
  },
  {
    name: 'markdown-linkify-on',
    bug: "the Markdown parser turns linkify on, which the bundle's linkify-it stand-in refuses: a write with a URL would fail",
    file: 'src/markdown/to-storage.ts',
    from: "markdownit('commonmark', { html: false }).enable(['table', 'strikethrough'])",
    to: "markdownit('commonmark', { html: false, linkify: true }).enable(['table', 'strikethrough', 'linkify'])",
    test: 'test/unit/markdown/linkify-off.test.ts',
  },
  {
    name: 'layout-cells-hidden',
    bug: 'a layout reads as one placeholder again, hiding every word of its cells',
    file: 'src/markdown/to-markdown.ts',
    from: '        return this.layout(node);',
    to: '        return undefined;',
    project: 'node',
    test: 'test/unit/markdown/corpus.test.ts',
  },
  {
    name: 'container-slot-rewritten',
    bug: 'an edit inside a cell or panel rewrites the whole cell or panel instead of merging it block by block',
    file: 'src/markdown/round-trip.ts',
    from: '    return this.level(text, slot.blocks, slot.start, slot.end);',
    to: '    return text === slot.markdown ? this.#source.slice(slot.start, slot.end) : this.convert(text);',
    project: 'node',
    test: 'test/unit/markdown/corpus.test.ts',
  },
  // Security and data-safety promises of README.md and docs/ (docs/guarantees.md names each one's test).
  {
    name: 'agent-token-any-integration',
    bug: "an agent token is accepted on another integration's routes",
    file: 'src/auth/integration-access.ts',
    from: "caller.kind === 'service' || caller.integrationId === integrationId",
    to: 'true',
    project: 'gateway',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'agent-token-kept-in-clear',
    bug: 'the agent token is stored in its KV record beside its hash',
    file: 'src/auth/agent-tokens.ts',
    from: 'await kv.put(kvKeys.agentToken(hash), JSON.stringify(record));',
    to: 'await kv.put(kvKeys.agentToken(hash), JSON.stringify({ ...record, token }));',
    project: 'gateway',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'revoked-agent-token-still-works',
    bug: 'revoking an agent token removes it from the list but not the record a call looks up',
    file: 'src/auth/agent-tokens.ts',
    from: '  await kv.delete(kvKeys.agentToken(hash));\n',
    to: '',
    project: 'gateway',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'revocation-list-ignored',
    bug: 'a revoked agent token works wherever KV still serves its record (the lifecycle object is not asked)',
    file: 'src/auth/integration-auth.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to find, not a template
    from: "  if (await isRevoked(c.env, record.integration_id, `agent:${record.token_id}`)) return 'unknown_token';\n",
    to: '',
    test: 'test/gateway/revocation.test.ts',
  },
  {
    name: 'agent-token-record-kept-a-minute',
    bug: "an isolate keeps an agent token's record for a minute: a changed record is not seen within the revocation check's seconds",
    file: 'src/auth/agent-tokens.ts',
    from: 'const RECORD_TTL_MS = CHECK_TTL_MS;',
    to: 'const RECORD_TTL_MS = 60_000;',
    test: 'test/gateway/agent-token-records.test.ts',
  },
  {
    name: 'connect-state-any-browser',
    bug: 'the connect callback accepts a state opened in another browser',
    file: 'src/connect/routes.ts',
    from: "if (!(await isSameBrowser(c, config, flow.browser))) throw fail('invalid_state');",
    to: '',
    project: 'gateway',
    test: 'test/gateway/connect-errors.test.ts',
  },
  {
    name: 'connect-state-lives-20-minutes',
    bug: 'an OAuth state is accepted for 20 minutes instead of 10',
    file: 'src/connect/state.ts',
    from: 'export const STATE_TTL_SECONDS = 10 * 60;',
    to: 'export const STATE_TTL_SECONDS = 20 * 60;',
    project: 'gateway',
    test: 'test/gateway/connect-errors.test.ts',
  },
  {
    name: 'session-finish-not-recorded',
    bug: 'the first finish of a connect session is not recorded, so a second flow finishes too (and swaps the tokens)',
    file: 'src/integrations/lifecycle.ts',
    from: '[sessionKey(sessionHash)]: { states: entry.states, finished_by: finisher }',
    to: '[sessionKey(sessionHash)]: { states: entry.states }',
    project: 'gateway',
    test: 'test/gateway/connect-single-use.test.ts',
  },
  {
    name: 'pending-integration-callable',
    bug: 'an integration awaiting confirmation answers tool calls',
    file: 'src/tools/call.ts',
    from: "if (record.status === 'pending_confirmation') {",
    to: "if (record.status === ('pending' as string)) {",
    project: 'gateway',
    test: 'test/gateway/connect-confirmation.test.ts',
  },
  {
    name: 'sealed-tokens-not-bound',
    bug: 'sealed tokens carry one context for every integration: a copy opens under another id',
    file: 'src/vault/tokens.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to find, not a template
    from: 'return `tokens:${integrationId}`;',
    to: "return 'tokens';",
    project: 'gateway',
    test: 'test/gateway/vault-storage.test.ts',
  },
  {
    name: 'seal-reuses-iv',
    bug: 'every value is sealed with the same (zero) IV',
    file: 'src/vault/crypto.ts',
    from: 'const iv = crypto.getRandomValues(new Uint8Array(12));',
    to: 'const iv = new Uint8Array(12);',
    project: 'gateway',
    test: 'test/unit/vault-crypto.test.ts',
  },
  {
    name: 'delete-keeps-kv-tokens',
    bug: 'deleting an integration leaves its sealed access token in KV',
    file: 'src/integrations/lifecycle.ts',
    from: '    await kv.delete(kvKeys.tokens(integrationId));\n',
    to: '',
    project: 'gateway',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'audit-keeps-arguments',
    bug: 'the audit entry keeps every string argument as a target, titles and bodies included',
    file: 'src/audit/entry.ts',
    from: 'if (!TARGET_ARGUMENT.test(name)) continue;',
    to: "if (!TARGET_ARGUMENT.test(name) && typeof value !== 'string') continue;",
    project: 'gateway',
    test: 'test/gateway/audit.test.ts',
  },
  {
    name: 'stale-version-overwrites',
    bug: 'an update based on an older version than the current one is written over it',
    file: 'src/tools/page-versions.ts',
    from: 'if (versionNumber !== (current.version?.number ?? 0))',
    to: 'if (versionNumber > (current.version?.number ?? 0))',
    project: 'gateway',
    test: 'test/gateway/tools-writes.test.ts',
  },
  {
    name: 'content-loss-flag-inverted',
    bug: 'a Markdown update that drops an element Markdown cannot rebuild is written unless allow_removal is sent',
    file: 'src/tools/body-format.ts',
    from: 'if (merge.lost.length === 0 || allowed) return;',
    to: 'if (merge.lost.length === 0 || !allowed) return;',
    project: 'gateway',
    test: 'test/gateway/markdown.test.ts',
  },
  {
    name: 'read-only-by-tool-name',
    bug: 'read_only refuses only the tools whose names say they update',
    file: 'src/policy/policy.ts',
    from: 'if (policy.read_only && writes(tool)) {',
    to: "if (policy.read_only && tool.name.startsWith('update')) {",
    project: 'gateway',
    test: 'test/gateway/policy.test.ts',
  },
  {
    name: 'token-policy-replaces-integration',
    bug: "an agent token's policy is applied instead of its integration's, so a token can widen it",
    file: 'src/policy/policy.ts',
    from: "return refusalBy(integration, 'integration', tool) ?? (token && refusalBy(token, 'agent_token', tool));",
    to: "return token ? refusalBy(token, 'agent_token', tool) : refusalBy(integration, 'integration', tool);",
    project: 'gateway',
    test: 'test/gateway/policy.test.ts',
  },
  {
    name: 'cql-not-parenthesised',
    bug: "the agent's CQL is joined to the space clause without parentheses, so an OR escapes it",
    file: 'src/policy/cql.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to find, not a template
    from: 'AND (${condition})',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to put in, not a template
    to: 'AND ${condition}',
    project: 'gateway',
    test: 'test/gateway/policy-spaces.test.ts',
  },
  {
    name: 'tool-body-cap-100-mib',
    bug: 'tool call bodies are accepted up to 100 MiB instead of 10',
    file: 'src/app.ts',
    from: 'const apiBodyLimit = bodyLimit({ maxSize: 10 * 1024 * 1024,',
    to: 'const apiBodyLimit = bodyLimit({ maxSize: 100 * 1024 * 1024,',
    project: 'gateway',
    test: 'test/gateway/input-limits.test.ts',
  },
  {
    name: 'response-read-unbounded',
    bug: 'a Confluence answer is read whole, whatever its size',
    file: 'src/confluence/client.ts',
    from: 'const text = await readTextWithin(response, this.#maxResponseBytes);',
    to: 'const text = await response.text();',
    project: 'gateway',
    test: 'test/gateway/bounded-answers.test.ts',
  },
  {
    name: 'call-budget-never-refuses',
    bug: 'an isolate whose lease came back empty lets the call through',
    file: 'src/tools/call-budget.ts',
    from: 'if (slice.left < 0) throw rateLimited(limit, slice.windowEndsAt - now);',
    to: '',
    project: 'gateway',
    test: 'test/gateway/tools-call-budget.test.ts',
  },
  {
    name: 'webhook-body-cap-65-kib',
    bug: 'webhook bodies are accepted up to 65 KiB instead of 64',
    file: 'src/webhooks/body.ts',
    from: 'export const MAX_BODY_BYTES = 64 * 1024;',
    to: 'export const MAX_BODY_BYTES = 65 * 1024;',
    project: 'gateway',
    test: 'test/gateway/webhooks.test.ts',
  },
  {
    name: 'event-destination-http-allowed',
    bug: 'an http:// event destination is accepted although EVENT_DESTINATIONS_ALLOW_HTTP is false',
    file: 'src/event-delivery/routes.ts',
    from: "if (url.protocol !== 'https:' && !config.EVENT_DESTINATIONS_ALLOW_HTTP) {",
    to: "if (!url.protocol.startsWith('http') && !config.EVENT_DESTINATIONS_ALLOW_HTTP) {",
    project: 'gateway',
    test: 'test/gateway/event-delivery.test.ts',
  },
  {
    name: 'signature-without-timestamp',
    bug: 'pushed events are signed over the id and body only, so a recorded delivery can be replayed later',
    file: 'src/event-delivery/signing.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to find, not a template
    from: '`${webhookId}.${timestampSeconds}.${body}`',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to put in, not a template
    to: '`${webhookId}.${body}`',
    project: 'gateway',
    test: 'test/gateway/event-delivery.test.ts',
  },
  {
    name: 'event-redirect-followed',
    bug: "a pushed event follows the destination's redirect, so the signed body lands wherever it points",
    file: 'src/event-delivery/consumer.ts',
    from: "redirect: 'manual',",
    to: "redirect: 'follow',",
    project: 'gateway',
    test: 'test/gateway/event-delivery.test.ts',
  },
  {
    name: 'in-doubt-not-rearmed-on-load',
    bug: 'a refresh-in-doubt mark whose alarm was lost is left alone when the refresher loads again, so the grant dies after the leeway',
    file: 'src/vault/token-refresher.ts',
    from: '        await ctx.storage.setAlarm(Date.now());',
    to: '        // no alarm',
    project: 'gateway',
    test: 'test/gateway/refresh-in-doubt.test.ts',
  },
  {
    name: 'retry-window-from-last-attempt',
    bug: 'the retry window is measured from each attempt instead of from when the event was queued, so a dead destination is retried forever',
    file: 'src/event-delivery/outbox.ts',
    from: 'const giveUp = now + delaySeconds * 1000 > row.queued_at + policy.windowSeconds * 1000;',
    to: 'const giveUp = delaySeconds * 1000 > policy.windowSeconds * 1000;',
    project: 'gateway',
    test: 'test/gateway/event-delivery.test.ts',
  },
  {
    name: 'retired-refresh-token-keeps-grant',
    bug: 'an MCP refresh token presented again after rotation is refused but its grant stays alive',
    file: 'src/oauth/token-endpoint.ts',
    from: 'await (await oauthHelpers(c.env)).revokeGrant(grantId, userId);',
    to: '',
    project: 'gateway',
    test: 'test/gateway/mcp-oauth.test.ts',
  },
  {
    name: 'mcp-any-origin',
    bug: 'the MCP door accepts requests from any browser origin (DNS rebinding)',
    file: 'src/mcp/origin.ts',
    from: 'if (redirectUri !== undefined && origin === new URL(redirectUri).origin) return true;',
    to: 'return true;',
    project: 'node',
    test: 'test/e2e/mcp.test.ts',
  },
  // The points quota (docs/quota.md).
  {
    name: 'quota-share-unenforced',
    bug: "an integration's allowance is the whole pool, not its share: one crawler can spend the pool",
    file: 'src/quota/ledger.ts',
    from: '    perHour === undefined ? state.size * DEFAULT_INTEGRATION_SHARE : (perHour * state.windowSeconds) / 3600;',
    to: '    perHour === undefined ? state.size : (perHour * state.windowSeconds) / 3600;',
    test: 'test/gateway/quota.test.ts',
  },
  {
    name: 'quota-reserve-open-to-listings',
    bug: 'no reserve is kept: listings spend the last 20% of the pool that small calls need',
    file: 'src/quota/rules.ts',
    from: 'export const RESERVE_SHARE = 0.2;',
    to: 'export const RESERVE_SHARE = 0;',
    test: 'test/gateway/quota.test.ts',
  },
  {
    name: 'read-cache-kept-after-write',
    bug: "a write through the gateway leaves the integration's cached reads in place: the next read is stale",
    file: 'src/confluence/read-cache.ts',
    from: '  async drop(): Promise<void> {\n    await dropCachedReads(this.#integrationId, this.#ttlSeconds);\n',
    to: '  async drop(): Promise<void> {\n',
    test: 'test/gateway/quota.test.ts',
  },
  {
    name: 'update-from-cached-read-any-version',
    bug: 'an update starts from the cached read whatever version the agent names: a change based on an older version overwrites the newer one',
    file: 'src/tools/page-versions.ts',
    from: "if (seen?.status === 'current' && seen.version?.number === versionNumber) {",
    to: "if (seen?.status === 'current') {",
    test: 'test/gateway/page-sections.test.ts',
  },
  {
    name: 'delete-from-cached-read',
    bug: 'a delete (which sends no version) checks the version against a cached read: an edit made in Confluence since is deleted with the page',
    file: 'src/tools/delete-confluence-page.ts',
    from: 'readVersion(confluence, args.page_id, args.version_number)',
    to: 'readVersion(confluence, args.page_id, args.version_number, { reuseRead: true })',
    test: 'test/gateway/page-sections.test.ts',
  },
  {
    name: 'delete-reads-cached-page',
    bug: 'a delete checks its version against a read the cache kept from an earlier call: an edit made in Confluence since is deleted with the page',
    file: 'src/tools/page-versions.ts',
    from: '  const current = await readForUpdate(confluence, id, true);\n  if (versionNumber',
    to: '  const current = await readForUpdate(confluence, id);\n  if (versionNumber',
    test: 'test/gateway/page-sections.test.ts',
  },
  {
    name: 'unchanged-from-cached-read',
    bug: 'an update that finds nothing to write answers unchanged from a cached read: an edit made in Confluence since is reported as the page at the old version',
    file: 'src/tools/page-versions.ts',
    from: '  if (!startedFromCache.has(page)) return page;',
    to: '  return page;',
    test: 'test/gateway/page-sections.test.ts',
  },
  {
    name: 'read-cache-kept-after-webhook',
    bug: "a received webhook event for a page leaves the integration's cached reads in place",
    file: 'src/webhooks/routes.ts',
    from: '    await dropCachedReads(integrationId, config.CONFLUENCE_READ_CACHE_SECONDS);\n',
    to: '',
    test: 'test/gateway/quota.test.ts',
  },
  {
    name: 'rendered-format-under-fence',
    bug: 'a space-confined caller may read view, which Confluence renders with other spaces in it',
    file: 'src/policy/space-fence.ts',
    from: 'if (UNRENDERED_FORMATS.has(format)) return;',
    to: 'return;',
    project: 'gateway',
    test: 'test/gateway/policy-rendered-formats.test.ts',
  },
  {
    name: 'reconnect-by-any-account',
    bug: "a reconnect stores another Atlassian account's tokens in the integration",
    file: 'src/connect/finish.ts',
    from: 'existing.account_id !== accountId &&',
    to: 'false &&',
    project: 'gateway',
    test: 'test/gateway/connect-account.test.ts',
  },
  {
    name: 'refusals-free',
    bug: 'a refused call spends no call budget, so a loop on it writes audit entries without end',
    file: 'src/tools/call.ts',
    from: `    await spendToolCall(context.env, integration.id, TOOL_CALLS_PER_MINUTE);
    const error = forbidden(refused, integration.id);`,
    to: '    const error = forbidden(refused, integration.id);',
    project: 'gateway',
    test: 'test/gateway/audit-refusals.test.ts',
  },
  {
    name: 'inconclusive-probe-trusted',
    bug: 'a token probe that proves nothing lets a dead token be answered not_found',
    file: 'src/confluence/token-liveness.ts',
    from: "return verdict !== 'alive';",
    to: "return verdict === 'dead';",
    project: 'gateway',
    test: 'test/gateway/refresh-in-doubt-dead-token.test.ts',
  },
  {
    name: 'toolsets-unenforced',
    bug: "a policy's toolsets are listed but not enforced: a tool of another set runs",
    file: 'src/policy/policy.ts',
    from: 'if (policy.toolsets !== null && !policy.toolsets.includes(tool.toolset)) {',
    to: 'if (policy.toolsets === undefined) {',
    test: 'test/gateway/toolsets.test.ts',
  },
  {
    name: 'null-argument-refused',
    bug: 'a null sent for an optional argument is validated as a value, so a strict model is refused',
    file: 'src/tools/null-arguments.ts',
    from: '      if (!accepts(field, null) && accepts(field, undefined)) kept = undefined;',
    to: '      kept = item;',
    test: 'test/gateway/null-arguments.test.ts',
  },
  {
    name: 'quota-slices-never-swept',
    bug: "an isolate keeps every integration's allowance slice after its window ends, one per integration it ever served",
    file: 'src/quota/meter.ts',
    from: '    if (now - sweptAt >= SWEEP_MS) dropEnded(now);',
    to: '',
    test: 'test/unit/quota-meter.test.ts',
  },
  {
    name: 'ended-window-spending-reported',
    bug: "the quota report counts what was spent before the hour turned into the new window's total",
    file: 'src/quota/meter.ts',
    from: '  dropEnded(Date.now());\n  const reports',
    to: '  const reports',
    test: 'test/unit/quota-meter.test.ts',
  },
  {
    name: 'revoked-record-remembered',
    bug: 'the isolate that revokes an agent token keeps its remembered record, so the token keeps working there for seconds if the revocation list is missed',
    file: 'src/auth/agent-tokens.ts',
    from: '  found.delete(hash);\n  await kv.delete(kvKeys.agentToken(hash));',
    to: '  await kv.delete(kvKeys.agentToken(hash));',
    test: 'test/unit/agent-token-cache.test.ts',
  },
  {
    name: 'integration-routes-any-agent-token',
    bug: "a route of one integration admits another integration's agent token: it reads that integration's quota share",
    file: 'src/auth/integration-auth.ts',
    from: "  requireOwnIntegration(caller, c.req.param('id') ?? '');\n",
    to: '',
    test: 'test/gateway/quota.test.ts',
  },
  {
    name: 'reference-tag-ends-at-quoted-gt',
    bug: "the write fence reads a reference's tag only up to a '>' inside a quoted value, missing the space key after it",
    file: 'src/policy/storage-references.ts',
    from: 'const TAG_ATTRIBUTES = `((?:[^<>"\']|"[^<"]*"|\'[^<\']*\')*)(>)?`;',
    to: 'const TAG_ATTRIBUTES = `([^<>]*)(>)?`;',
    test: 'test/unit/storage-references.test.ts',
  },
  {
    name: 'fence-lookup-not-audited',
    bug: 'a comment or attachment of another space, placed through its page, is answered as missing but not audited as refused by allowed_spaces',
    file: 'src/policy/space-fence.ts',
    from: '      if (error instanceof SpaceRefusal) throw new SpaceRefusal(notFound);\n',
    to: '',
    test: 'test/gateway/policy-every-tool.test.ts',
  },
  {
    name: 'fence-lookup-names-the-page',
    bug: "a comment or attachment that does not exist answers in its page lookup's words, unlike one of another space",
    file: 'src/policy/space-fence.ts',
    from: "      if (error instanceof ApiError && error.code === 'not_found') throw new ApiError('not_found', notFound);\n",
    to: '',
    test: 'test/gateway/policy-every-tool.test.ts',
  },
  {
    name: 'strict-function-with-untyped-argument',
    bug: 'the strict catalog marks a tool strict whose argument strict mode cannot type: OpenAI refuses the whole request',
    file: 'src/tools/openai-strict.ts',
    from: '    strict: everyNodeTyped(parameters),',
    to: '    strict: true,',
    test: 'test/catalog/openai-strict.test.ts',
  },
  {
    name: 'reference-quote-crosses-tags',
    bug: "a quoted value in a reference's tag may run past the next '<': a quote left open makes the scan re-read the body from every tag",
    file: 'src/policy/storage-references.ts',
    from: 'const TAG_ATTRIBUTES = `((?:[^<>"\']|"[^<"]*"|\'[^<\']*\')*)(>)?`;',
    to: 'const TAG_ATTRIBUTES = `((?:[^<>"\']|"[^"]*"|\'[^\']*\')*)(>)?`;',
    test: 'test/unit/storage-references.test.ts',
  },
  {
    name: 'unavailable-grant-ends-window',
    bug: 'while the ledger is unreachable, the allowance slice takes the five-second grant for its window: what was spent meanwhile is dropped unreported',
    file: 'src/quota/meter.ts',
    from: '        Math.max(until, s?.resetsAt ?? 0),',
    to: '        until,',
    test: 'test/unit/quota-meter.test.ts',
  },
];

const root = resolve(import.meta.dirname, '..');

/** A copy of the repository without node_modules (linked) or build output, in a fresh temporary folder. */
function copyRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), 'mutation-'));
  cpSync(root, copy, {
    recursive: true,
    filter: (source) => {
      const path = relative(root, source);
      return !/^(node_modules|dist|\.git|\.wrangler)(\/|$)/.test(path);
    },
  });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

function apply(copy: string, mutation: Mutation): void {
  const path = join(copy, mutation.file);
  const source = readFileSync(path, 'utf8');
  const at = source.indexOf(mutation.from);
  if (at === -1 || source.indexOf(mutation.from, at + 1) !== -1) {
    throw new Error(`${mutation.name}: the text to replace must occur exactly once in ${mutation.file}`);
  }
  writeFileSync(path, source.slice(0, at) + mutation.to + source.slice(at + mutation.from.length));
}

/** The tests vitest reported as failed ("file > describe > test"), without colours. */
function failedTests(output: string): string[] {
  const plain = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const names = [...plain.matchAll(/^\s*FAIL\s+(?:\S+\s+)?(\S+\.test\.ts\s+>\s+.+)$/gm)].map(
    (m) => m[1]?.trim() ?? '',
  );
  return [...new Set(names)];
}

/** The vitest project (tier) that runs a test file: test/unit → unit, test/gateway → its worker shard, else node. */
function projectOf(test: string): string {
  if (test.startsWith('test/unit/')) return 'unit';
  if (test.startsWith('test/gateway/')) return 'worker-*';
  return 'node';
}

function runTest(copy: string, mutation: Mutation): { passed: boolean; seconds: number; failed: string[] } {
  const started = performance.now();
  const run = spawnSync('npx', ['vitest', 'run', '--project', projectOf(mutation.test), mutation.test], {
    cwd: copy,
    encoding: 'utf8',
    // The copy lives outside the folder that holds ../shared: point the emulator at the real specs.
    env: {
      ...process.env,
      ATLASSIAN_SPEC_DIR: process.env.ATLASSIAN_SPEC_DIR ?? resolve(root, '../shared/atlassian'),
    },
  });
  return {
    passed: run.status === 0,
    seconds: Math.round((performance.now() - started) / 1000),
    failed: failedTests(`${run.stdout}\n${run.stderr}`),
  };
}

/** Every mutation and the test file that kills it, as the Markdown table of docs/architecture.md. */
export function mutationTable(mutations: readonly Mutation[] = MUTATIONS): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = mutations.map((m) => `| \`${m.name}\` | ${cell(m.bug)} | \`${m.test}\` |`);
  return ['| mutation | the bug | killed by |', '| --- | --- | --- |', ...rows].join('\n');
}

function main(): number {
  const args = process.argv.slice(2);
  if (args.includes('--markdown')) {
    console.log(mutationTable());
    return 0;
  }
  if (args.includes('--list')) {
    for (const m of MUTATIONS) console.log(`${m.name.padEnd(32)} ${m.test}  (${m.bug})`);
    return 0;
  }
  const unknown = args.filter((name) => !MUTATIONS.some((m) => m.name === name));
  if (unknown.length) {
    console.error(`Unknown mutation(s): ${unknown.join(', ')}. --list shows them.`);
    return 2;
  }
  const chosen = args.length ? MUTATIONS.filter((m) => args.includes(m.name)) : MUTATIONS;
  const survivors: string[] = [];
  for (const mutation of chosen) {
    const copy = copyRepository();
    try {
      apply(copy, mutation);
      const { passed, seconds, failed } = runTest(copy, mutation);
      const verdict = passed ? 'SURVIVED' : 'killed';
      if (passed) survivors.push(mutation.name);
      console.log(`${verdict.padEnd(8)} ${mutation.name.padEnd(28)} ${mutation.test} (${seconds} s)`);
      for (const name of failed) console.log(`         ✗ ${name}`);
      if (!passed && failed.length === 0)
        console.log('         (vitest failed without naming a test: check the run by hand)');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  console.log(`${chosen.length - survivors.length} killed, ${survivors.length} survived`);
  return survivors.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  process.exitCode = main();
