import { setBounded } from '../lib/bounded-map.ts';

import type { AccessToken } from '../vault/access-token.ts';

/**
 * Whether a 404 or 403 from Confluence may mean "your access token died" rather than "not there" or
 * "not allowed". Atlassian's gateway answers an access token it issued but that has expired or been
 * revoked with 404 on v2 paths and 403 on v1 paths, not 401 (docs/reference/atlassian/FACTS.md), so the answer alone
 * cannot tell. Two cheap signs can:
 * - the expiry the gateway recorded: a token this close to it (clock skew, a TTL Atlassian shortened)
 *   is simply refreshed;
 * - otherwise one authenticated probe of `accessible-resources`, which answers a dead token 401. A
 *   live answer is remembered per token for a minute, so a run of genuine 404s costs one probe, not
 *   a refresh each; concurrent callers share one probe. A probe that proves nothing (Atlassian
 *   unreachable, a 5xx) counts as "may have died": a token problem must never be answered as
 *   not_found, so the token is refreshed, and if that cannot be done either the caller gets a
 *   retryable error instead.
 */
const NEAR_EXPIRY_MS = 10 * 60_000;
const ALIVE_FOR_MS = 60_000;
const PROBE_TIMEOUT_MS = 5_000;
const MAX_REMEMBERED = 10_000;

/** By integration id: the last token seen alive and until when that is believed. */
const alive = new Map<string, { accessToken: string; until: number }>();
type Verdict = 'alive' | 'dead' | 'unknown';
/** By access token: the probe under way. */
const probes = new Map<string, Promise<Verdict>>();

export async function mayHaveDied(
  apiBaseUrl: string,
  integrationId: string,
  token: AccessToken,
): Promise<boolean> {
  const now = Date.now();
  if (token.expiresAt - now < NEAR_EXPIRY_MS) return true;
  const known = alive.get(integrationId);
  if (known?.accessToken === token.accessToken && known.until > now) return false;
  let probe = probes.get(token.accessToken);
  if (!probe) {
    probe = probeToken(apiBaseUrl, token.accessToken).finally(() => probes.delete(token.accessToken));
    probes.set(token.accessToken, probe);
  }
  const verdict = await probe;
  if (verdict === 'alive') {
    setBounded(
      alive,
      integrationId,
      { accessToken: token.accessToken, until: Date.now() + ALIVE_FOR_MS },
      MAX_REMEMBERED,
    );
  }
  return verdict !== 'alive';
}

/**
 * Whether Atlassian accepts the token. A probe that fails for another reason (network, 5xx, 429)
 * proves nothing, and nothing is remembered.
 */
async function probeToken(apiBaseUrl: string, accessToken: string): Promise<Verdict> {
  try {
    const response = await fetch(`${apiBaseUrl}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return 'alive';
    return [401, 403, 404].includes(response.status) ? 'dead' : 'unknown';
  } catch {
    return 'unknown';
  }
}
