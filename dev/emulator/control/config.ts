import { parseMatch } from '../faults.ts';
import { parseClient } from '../oauth/clients.ts';
import { isSitePreset, parseSite, SITE_PRESETS } from '../sites.ts';
import type { EmulatorState } from '../state.ts';
import { ACCOUNTS } from '../users.ts';

/**
 * `POST /_emulator/config`: any of `auto_approve`, `access_token_ttl_seconds`, `site_preset`
 * ("default" | "single" | "jira_only"), `sites` ([{id, name, url?, product?, scopes?, avatarUrl?}]),
 * `clients` ([{client_id, client_secret, name?, redirect_uris?}], added to the registered ones),
 * `removed_endpoints` ([{method?, path_contains}]: answered `410 Gone` until reset; replaces the list),
 * `consenting_account` (the account id of a seeded user: who signs in at /authorize until reset).
 * Throws with a message for the caller's 400.
 */
export function applyConfig(state: EmulatorState, input: unknown): void {
  const body = (input ?? {}) as Record<string, unknown>;
  if (body.auto_approve !== undefined) {
    if (typeof body.auto_approve !== 'boolean') throw new Error('"auto_approve" must be a boolean');
    state.autoApprove = body.auto_approve;
  }
  if (body.access_token_ttl_seconds !== undefined) {
    const ttl = body.access_token_ttl_seconds;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1) {
      throw new Error('"access_token_ttl_seconds" must be a positive integer');
    }
    state.grants.accessTokenTtlSeconds = ttl;
  }
  if (body.site_preset !== undefined) {
    if (!isSitePreset(body.site_preset)) {
      throw new Error(`"site_preset" must be one of ${Object.keys(SITE_PRESETS).join(', ')}`);
    }
    state.sites = [...SITE_PRESETS[body.site_preset]];
  }
  if (body.sites !== undefined) {
    if (!Array.isArray(body.sites)) throw new Error('"sites" must be an array');
    state.sites = body.sites.map(parseSite);
  }
  if (body.removed_endpoints !== undefined) {
    if (!Array.isArray(body.removed_endpoints)) {
      throw new Error('"removed_endpoints" must be an array of {method?, path_contains}');
    }
    state.removedEndpoints = body.removed_endpoints.map(parseMatch);
  }
  if (body.consenting_account !== undefined) {
    const account = ACCOUNTS.find((candidate) => candidate.accountId === body.consenting_account);
    if (!account) {
      throw new Error(`"consenting_account" must be one of ${ACCOUNTS.map((a) => a.accountId).join(', ')}`);
    }
    state.consentingAccountId = account.accountId;
  }
  if (body.clients !== undefined) {
    if (!Array.isArray(body.clients)) throw new Error('"clients" must be an array');
    for (const client of body.clients.map(parseClient)) state.clients.register(client);
  }
}

export function describeConfig(state: EmulatorState) {
  return {
    auto_approve: state.autoApprove,
    consenting_account: state.consentingAccountId,
    access_token_ttl_seconds: state.grants.accessTokenTtlSeconds,
    removed_endpoints: state.removedEndpoints,
    sites: state.sites,
    clients: state.clients.list().map(({ client_secret: _secret, ...client }) => client),
  };
}
