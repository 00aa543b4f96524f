import { requireConfig } from '../config.ts';
import { setBounded } from '../lib/bounded-map.ts';
import { ApiError, needsReauth } from '../lib/errors.ts';
import { SealedValueError } from './crypto.ts';
import { REFRESH_SETTINGS } from './token-refresher.ts';
import { isFresh, openAccessCopy, readSealedTokens } from './tokens.ts';

/**
 * Access tokens on the hot path. Lookups go: this isolate's memory, then the KV copy, then the
 * integration's TokenRefresher (which refreshes, single-flight, when needed). The in-memory copy is
 * kept at most CACHE_TTL_MS (below KV's 60 s propagation) and never past the token's own refresh
 * point; it is dropped at once when this isolate sees the token rejected or the integration deleted.
 */
const CACHE_TTL_MS = 30_000;
/** Tokens kept at most; the one stored longest ago makes room (lib/bounded-map.ts). */
const MAX_CACHED = 10_000;
const cache = new Map<string, { accessToken: string; expiresAt: number; cachedUntil: number }>();

/** An access token and the expiry the gateway recorded for it (epoch milliseconds). */
export interface AccessToken {
  accessToken: string;
  expiresAt: number;
}

export async function getAccessToken(
  env: Env,
  integrationId: string,
  options: { rejected?: string } = {},
): Promise<AccessToken> {
  const now = Date.now();
  if (!options.rejected) {
    const cached = cache.get(integrationId);
    if (cached && cached.cachedUntil > now && isFresh({ access_expires_at: cached.expiresAt }, now))
      return cached;
    const fromKv = await readFromKv(env, integrationId);
    if (fromKv && isFresh({ access_expires_at: fromKv.expiresAt }, now))
      return remember(integrationId, fromKv);
  }
  forgetAccessToken(integrationId);
  requireConfig(env, REFRESH_SETTINGS);
  const stub = env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(integrationId));
  const result = await stub.accessToken(integrationId, options.rejected);
  if (result.ok) return remember(integrationId, result);
  if (result.reason === 'erased') {
    throw new ApiError('integration_not_found', `Integration ${integrationId} was deleted.`);
  }
  if (result.reason === 'misconfigured') {
    throw new ApiError(
      'misconfigured',
      `The gateway is not configured: ${result.message}. An operator must fix it.`,
    );
  }
  if (result.reason === 'needs_reauth') {
    throw needsReauth(
      "Atlassian no longer accepts this integration's authorization (the user revoked access or it expired). Ask the user to reconnect the integration; retrying will not help.",
    );
  }
  throw new ApiError(
    'upstream_error',
    `Could not obtain an access token: ${result.message}. Retry shortly.`,
    {
      retryable: true,
      retryAfterSeconds: result.retryAfterSeconds ?? 5,
    },
  );
}

export function forgetAccessToken(integrationId: string): void {
  cache.delete(integrationId);
}

async function readFromKv(env: Env, integrationId: string) {
  const { TOKEN_ENCRYPTION_KEYS: ring } = requireConfig(env, ['TOKEN_ENCRYPTION_KEYS']);
  const sealed = await readSealedTokens(env.CONFLUENCE_KV, integrationId);
  if (!sealed) return undefined;
  try {
    const tokens = await openAccessCopy(ring, integrationId, sealed);
    return { accessToken: tokens.access_token, expiresAt: tokens.access_expires_at };
  } catch (error) {
    // A copy no key opens is left to the refresher, which holds the authoritative one.
    if (error instanceof SealedValueError) return undefined;
    throw error;
  }
}

function remember(integrationId: string, token: AccessToken): AccessToken {
  const { accessToken, expiresAt } = token;
  setBounded(
    cache,
    integrationId,
    { accessToken, expiresAt, cachedUntil: Date.now() + CACHE_TTL_MS },
    MAX_CACHED,
  );
  return { accessToken, expiresAt };
}
