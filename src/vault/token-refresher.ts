import { DurableObject } from 'cloudflare:workers';
import { requireConfig } from '../config.ts';
import { kvKeys } from '../kv-keys.ts';
import { ApiError } from '../lib/errors.ts';
import { refreshTokens, TokenRequestError } from './atlassian-oauth.ts';
import { SealedValueError, sealedUnderOldKey } from './crypto.ts';
import { isFresh, openTokens, putDurably, sealAccessCopy, sealTokens, type TokenSet } from './tokens.ts';

export type AccessTokenResult =
  | { ok: true; accessToken: string; expiresAt: number }
  | {
      ok: false;
      reason: 'needs_reauth' | 'unavailable' | 'misconfigured' | 'erased';
      message: string;
      retryAfterSeconds?: number;
    };

/** The settings a refresh needs; callers check them first, since errors lose their class over RPC. */
export const REFRESH_SETTINGS = [
  'CONFLUENCE_CLIENT_ID',
  'CONFLUENCE_CLIENT_SECRET',
  'CONFLUENCE_REDIRECT_URI',
  'ATLASSIAN_AUTH_BASE_URL',
  'TOKEN_ENCRYPTION_KEYS',
] as const;

const STORAGE_TOKENS = 'tokens';
const STORAGE_NEEDS_REAUTH = 'needs_reauth';
const STORAGE_KV_BEHIND = 'kv_behind';
/** needs_reauth is known here but not yet in the KV record (that write failed): retried later. */
const STORAGE_STATUS_BEHIND = 'status_behind';
/** Left by erase(): the integration was deleted, and no stale copy of its tokens may revive it. */
const STORAGE_ERASED = 'erased';
/** A refresh whose outcome is unknown: Atlassian may have rotated the stored refresh token (InDoubt). */
const STORAGE_IN_DOUBT = 'refresh_in_doubt';

/** Since when the stored refresh token may have been rotated out by a refresh whose answer was lost. */
interface InDoubt {
  since: number;
  integration_id: string;
}

/**
 * Atlassian tolerates reuse of a rotated-out refresh token for 10 minutes, then revokes the whole
 * family. An in-doubt refresh is retried from an alarm at growing intervals (15 s, 30 s, 1 min, …)
 * while it is still inside that leeway, leaving a minute of margin; the last retry is at 9 minutes.
 */
const REUSE_LEEWAY_MS = 10 * 60_000;
const LAST_RETRY_AFTER_MS = REUSE_LEEWAY_MS - 60_000;
const FIRST_RETRY_AFTER_MS = 15_000;
/** What a caller is told to wait while a refresh stays in doubt: the next call repeats it at once. */
const IN_DOUBT_RETRY_AFTER_SECONDS = 2;

/**
 * One object per integration (named by its id): the only place that spends a refresh token.
 *
 * Atlassian rotates the refresh token on every use, and a rotated-out token reused after a 10-minute
 * leeway revokes the whole family. So refreshes must never race: every caller in every isolate asks
 * this object, which runs at most one refresh at a time and hands the result to everyone waiting.
 * The object's own storage holds the authoritative sealed tokens (strongly consistent, unlike KV);
 * the KV copy, the access token alone, is what Workers read on the hot path. The order of writes after a refresh is: object
 * storage, then KV (retried), then the new access token is handed out.
 *
 * A refresh whose answer is lost (timeout, dropped connection, 5xx, or this object evicted before it
 * stored the result) may still have rotated the token at Atlassian. So "in doubt since T" is stored
 * durably, with an alarm, before the token request leaves; an unclear outcome keeps the mark, and
 * the alarm retries with the stored token inside the reuse leeway, with or without traffic.
 */
export class TokenRefresher extends DurableObject<Env> {
  private tokens?: TokenSet;
  private inFlight?: Promise<AccessTokenResult>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // A mark found on load whose alarm is gone (its retries ran out): settle it now.
    void ctx.blockConcurrencyWhile(async () => {
      if ((await ctx.storage.get(STORAGE_IN_DOUBT)) && (await ctx.storage.getAlarm()) === null) {
        await ctx.storage.setAlarm(Date.now());
      }
    });
  }

  /** Retries an in-doubt refresh; a clear outcome (new tokens, or a dead grant) removes the mark. */
  override async alarm(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    const doubt = await this.ctx.storage.get<InDoubt>(STORAGE_IN_DOUBT);
    if (!doubt) return;
    const id = doubt.integration_id;
    this.inFlight ??= this.settle(id)
      .catch(explainFailure)
      .finally(() => {
        this.inFlight = undefined;
      });
    await this.inFlight.catch(() => undefined);
  }

  /** Stores tokens from a fresh consent (connect or reconnect) and clears needs_reauth. */
  async store(integrationId: string, tokens: TokenSet): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.persist(integrationId, tokens);
    await this.ctx.storage.delete([STORAGE_NEEDS_REAUTH, STORAGE_STATUS_BEHIND, STORAGE_ERASED]);
    // Should KV fail here, the copy stays marked behind and the next accessToken() retries it.
    await this.syncKv(integrationId, tokens);
  }

  /**
   * A usable access token: the stored one while it has more than five minutes left, else a new one
   * from a refresh. `rejected` is an access token Confluence just refused (a 401, or a 404/403 found
   * to be a dead token): it is refreshed
   * even if it looks fresh, unless another caller has already replaced it.
   */
  async accessToken(integrationId: string, rejected?: string): Promise<AccessTokenResult> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const joined = this.inFlight !== undefined;
      this.inFlight ??= this.resolve(integrationId, rejected)
        .catch(explainFailure)
        .finally(() => {
          this.inFlight = undefined;
        });
      const result = await this.inFlight;
      // A flight we joined may have returned the very token our caller saw rejected: go once more.
      if (!(joined && result.ok && result.accessToken === rejected)) return result;
    }
    return { ok: false, reason: 'unavailable', message: 'Confluence keeps rejecting fresh access tokens' };
  }

  /** Forgets the tokens for good: the integration was deleted. */
  async erase(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    this.tokens = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    await this.ctx.storage.put(STORAGE_ERASED, true);
  }

  /** The alarm's refresh: like resolve(), but it refreshes even while the access token is fresh. */
  private async settle(integrationId: string): Promise<AccessTokenResult> {
    const flags = await this.ctx.storage.get<boolean>([STORAGE_ERASED, STORAGE_NEEDS_REAUTH]);
    const tokens = await this.load(integrationId);
    if (flags.get(STORAGE_ERASED) || flags.get(STORAGE_NEEDS_REAUTH) || !tokens) {
      await this.ctx.storage.delete(STORAGE_IN_DOUBT);
      return needsReauth();
    }
    return this.refresh(integrationId, tokens);
  }

  private async resolve(integrationId: string, rejected: string | undefined): Promise<AccessTokenResult> {
    const flags = await this.ctx.storage.get<boolean>([
      STORAGE_ERASED,
      STORAGE_NEEDS_REAUTH,
      STORAGE_STATUS_BEHIND,
    ]);
    if (flags.get(STORAGE_ERASED))
      return { ok: false, reason: 'erased', message: 'the integration was deleted' };
    if (flags.get(STORAGE_NEEDS_REAUTH)) {
      if (flags.get(STORAGE_STATUS_BEHIND)) await this.recordNeedsReauth(integrationId);
      return needsReauth();
    }
    const tokens = await this.load(integrationId);
    if (!tokens) return needsReauth();
    if (await this.ctx.storage.get<boolean>(STORAGE_KV_BEHIND)) {
      const synced = await this.syncKv(integrationId, tokens);
      if (!synced.ok) return synced;
    }
    if (isFresh(tokens) && tokens.access_token !== rejected) {
      return { ok: true, accessToken: tokens.access_token, expiresAt: tokens.access_expires_at };
    }
    return this.refresh(integrationId, tokens);
  }

  /**
   * Spends the refresh token. An attempt whose outcome is in doubt (its answer lost) is repeated at
   * once, with the same refresh token: Atlassian accepts it again inside the reuse leeway, so the
   * caller waiting now gets a token instead of an error. A second doubtful attempt is left to the
   * next caller and the alarm, and answered as a wait of a few seconds.
   */
  private async refresh(
    integrationId: string,
    current: TokenSet,
    repeated = false,
  ): Promise<AccessTokenResult> {
    const config = requireConfig(this.env, REFRESH_SETTINGS);
    const earlierDoubt = await this.markInDoubt(integrationId);
    let next: TokenSet;
    try {
      const grant = await refreshTokens(config, current.refresh_token);
      next = {
        // Atlassian always rotates; should an answer ever omit the new one, the old one stays valid.
        refresh_token: grant.refreshToken ?? current.refresh_token,
        access_token: grant.accessToken,
        access_expires_at: grant.accessExpiresAt,
      };
    } catch (error) {
      // A dead grant settles any doubt; a clear "not done" (429, 4xx) settles only this attempt's.
      const rotatedMaybe = !(error instanceof TokenRequestError) || error.inDoubt;
      const grantDead = error instanceof TokenRequestError && error.kind === 'invalid_grant';
      if (grantDead || (!rotatedMaybe && !earlierDoubt)) await this.clearInDoubt();
      if (error instanceof TokenRequestError && error.kind === 'invalid_grant') {
        await this.markNeedsReauth(integrationId);
        return needsReauth();
      }
      if (error instanceof TokenRequestError && error.kind === 'client_rejected') {
        // An operator's mistake, not an outage: retrying will not help until the settings are fixed.
        return {
          ok: false,
          reason: 'misconfigured',
          message: 'Atlassian rejected CONFLUENCE_CLIENT_ID / CONFLUENCE_CLIENT_SECRET when refreshing',
        };
      }
      // Atlassian asked for a wait (a 5xx with Retry-After): that is honoured, not repeated at once.
      const waitAsked = error instanceof TokenRequestError ? error.retryAfterSeconds : undefined;
      if (rotatedMaybe && waitAsked === undefined && !repeated && (await this.insideLeeway())) {
        return this.refresh(integrationId, current, true);
      }
      const message =
        rotatedMaybe && waitAsked === undefined
          ? 'a token refresh is in doubt (Atlassian’s answer was lost) and is being retried'
          : error instanceof TokenRequestError
            ? error.message
            : 'the token refresh failed';
      const retryAfterSeconds = waitAsked ?? (rotatedMaybe ? IN_DOUBT_RETRY_AFTER_SECONDS : undefined);
      // The stored refresh token is kept: it is the newest one Atlassian issued, or, when the outcome
      // is in doubt, the one it still accepts within the leeway (the alarm retries with it).
      return { ok: false, reason: 'unavailable', message, retryAfterSeconds };
    }
    await this.persist(integrationId, next);
    const synced = await this.syncKv(integrationId, next);
    if (!synced.ok) return synced;
    return { ok: true, accessToken: next.access_token, expiresAt: next.access_expires_at };
  }

  private async load(integrationId: string): Promise<TokenSet | undefined> {
    if (this.tokens) return this.tokens;
    const { TOKEN_ENCRYPTION_KEYS: ring } = requireConfig(this.env, ['TOKEN_ENCRYPTION_KEYS']);
    // Only the object's own storage counts: a KV copy may be stale (KV propagates in up to 60 s) or
    // outlive a deletion, and spending its refresh token would revive a deleted integration.
    const sealed = await this.ctx.storage.get<string>(STORAGE_TOKENS);
    if (!sealed) return undefined;
    this.tokens = await openTokens(ring, integrationId, sealed);
    // Sealed under a key that is no longer first: move it to the first key now, not at the next
    // refresh, so an old key can leave the ring once every integration has been used once. persist()
    // marks KV behind, so the caller re-seals the KV copy too.
    if (sealedUnderOldKey(ring, sealed)) await this.persist(integrationId, this.tokens);
    return this.tokens;
  }

  /**
   * Object storage first: once this resolves, a rotated refresh token cannot be lost. New tokens
   * (from a refresh or a fresh consent) settle any doubt about the old ones.
   */
  private async persist(integrationId: string, tokens: TokenSet): Promise<void> {
    const { TOKEN_ENCRYPTION_KEYS: ring } = requireConfig(this.env, ['TOKEN_ENCRYPTION_KEYS']);
    const sealed = await sealTokens(ring, integrationId, tokens);
    await this.ctx.storage.put({ [STORAGE_TOKENS]: sealed, [STORAGE_KV_BEHIND]: true });
    this.tokens = tokens;
    await this.clearInDoubt();
  }

  /**
   * Before a token request leaves: "in doubt since T" (T kept from an earlier unsettled attempt,
   * since the leeway runs from the first rotation) and the alarm that retries it, on disk first.
   * Returns whether an earlier attempt was already in doubt.
   */
  private async markInDoubt(integrationId: string): Promise<boolean> {
    const now = Date.now();
    const earlier = await this.ctx.storage.get<InDoubt>(STORAGE_IN_DOUBT);
    const since = earlier?.since ?? now;
    const retryAt = nextRetryAt(since, now);
    await this.ctx.storage.put(STORAGE_IN_DOUBT, { since, integration_id: integrationId } satisfies InDoubt);
    if (retryAt === undefined) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(retryAt);
    await this.ctx.storage.sync();
    return earlier !== undefined;
  }

  /** Whether the refresh in doubt began recently enough to be repeated with the same refresh token. */
  private async insideLeeway(): Promise<boolean> {
    const doubt = await this.ctx.storage.get<InDoubt>(STORAGE_IN_DOUBT);
    return doubt !== undefined && Date.now() - doubt.since < LAST_RETRY_AFTER_MS;
  }

  private async clearInDoubt(): Promise<void> {
    await this.ctx.storage.delete(STORAGE_IN_DOUBT);
    await this.ctx.storage.deleteAlarm();
  }

  /** Copies the stored tokens to KV, retrying; on failure the copy is retried by the next caller. */
  private async syncKv(integrationId: string, tokens: TokenSet): Promise<AccessTokenResult> {
    const { TOKEN_ENCRYPTION_KEYS: ring } = requireConfig(this.env, ['TOKEN_ENCRYPTION_KEYS']);
    try {
      await putDurably(
        this.env.CONFLUENCE_KV,
        kvKeys.tokens(integrationId),
        await sealAccessCopy(ring, integrationId, tokens),
      );
    } catch {
      return {
        ok: false,
        reason: 'unavailable',
        message: 'the token store is unavailable',
        retryAfterSeconds: 1,
      };
    }
    await this.ctx.storage.delete(STORAGE_KV_BEHIND);
    return { ok: true, accessToken: tokens.access_token, expiresAt: tokens.access_expires_at };
  }

  private async markNeedsReauth(integrationId: string): Promise<void> {
    await this.ctx.storage.put({ [STORAGE_NEEDS_REAUTH]: true, [STORAGE_STATUS_BEHIND]: true });
    await this.recordNeedsReauth(integrationId);
  }

  /** Best effort: the record's status in KV. Until it lands, every resolve() tries again. */
  private async recordNeedsReauth(integrationId: string): Promise<void> {
    try {
      // Through the lifecycle object, which changes the status alone: never a stale policy with it.
      const lifecycle = this.env.INTEGRATION_LIFECYCLE;
      await lifecycle
        .get(lifecycle.idFromName(integrationId))
        .changeRecord(integrationId, { status: 'needs_reauth' });
      await this.ctx.storage.delete(STORAGE_STATUS_BEHIND);
    } catch {
      // Tool calls already answer needs_reauth from this object; the record catches up later.
    }
  }
}

/**
 * When to retry a refresh in doubt since `since`: after as long again as has passed (at least 15 s),
 * never later than LAST_RETRY_AFTER_MS into the leeway; undefined once that is past (then only the
 * next caller tries, which is all that is left to do).
 */
export function nextRetryAt(since: number, now: number): number | undefined {
  const last = since + LAST_RETRY_AFTER_MS;
  if (now >= last) return undefined;
  return Math.min(now + Math.max(FIRST_RETRY_AFTER_MS, now - since), last);
}

function needsReauth(): AccessTokenResult {
  return {
    ok: false,
    reason: 'needs_reauth',
    message: "Atlassian no longer accepts this integration's authorization; the user must reconnect it",
  };
}

/**
 * The failures a caller can act on, as results: an exception would reach the Worker as a bare Error
 * (RPC keeps no class) and answer 500. Anything else is a bug and stays an exception.
 */
function explainFailure(error: unknown): AccessTokenResult {
  if (error instanceof SealedValueError) {
    return {
      ok: false,
      reason: 'misconfigured',
      message: `no key in TOKEN_ENCRYPTION_KEYS opens this integration's tokens (was a key removed from the ring?)`,
    };
  }
  if (error instanceof ApiError && error.code === 'misconfigured') {
    return { ok: false, reason: 'misconfigured', message: error.message };
  }
  throw error;
}
