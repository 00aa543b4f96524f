import type { VirtualClock } from '../clock.ts';
import { opaqueToken } from '../random.ts';

/** Lifetimes Atlassian documents (docs/reference/atlassian/FACTS.md). */
export const CODE_TTL_SECONDS = 600;
export const REFRESH_REUSE_LEEWAY_SECONDS = 600;
export const REFRESH_INACTIVITY_SECONDS = 90 * 24 * 3600;
export const REFRESH_ABSOLUTE_SECONDS = 365 * 24 * 3600;

/** Everything that descends from one consent; revoking it kills every token it produced. */
export interface TokenFamily {
  id: string;
  clientId: string;
  scopes: string[];
  cloudIds: string[];
  accountId: string;
  createdAt: number;
  revoked: boolean;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  cloudIds: string[];
  accountId: string;
  issuedAt: number;
  used: boolean;
}

interface RefreshToken {
  familyId: string;
  issuedAt: number;
  /** Set when a refresh rotated it out; reuse is tolerated for a while after that. */
  rotatedAt?: number;
}

interface AccessToken {
  familyId: string;
  expiresAt: number;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: 'Bearer';
}

export type GrantFailure = { error: string; error_description: string; status: 400 | 403 };

const unknownRefreshToken: GrantFailure = {
  status: 403,
  error: 'invalid_grant',
  error_description: 'Unknown or invalid refresh token.',
};

/** Codes, families and tokens of the emulated authorization server, all timed by the virtual clock. */
export class GrantStore {
  #clock: VirtualClock;
  #codes = new Map<string, AuthorizationCode>();
  #families = new Map<string, TokenFamily>();
  #refreshTokens = new Map<string, RefreshToken>();
  #accessTokens = new Map<string, AccessToken>();
  accessTokenTtlSeconds: number;

  constructor(clock: VirtualClock, accessTokenTtlSeconds: number) {
    this.#clock = clock;
    this.accessTokenTtlSeconds = accessTokenTtlSeconds;
  }

  issueCode(grant: Omit<AuthorizationCode, 'issuedAt' | 'used'>): string {
    const code = opaqueToken(32);
    this.#codes.set(code, { ...grant, issuedAt: this.#clock.now(), used: false });
    return code;
  }

  /** Exchanges a code: single use, 10 minutes, bound to the client and redirect_uri it was issued for. */
  redeemCode(code: unknown, clientId: string, redirectUri: unknown): IssuedTokens | GrantFailure {
    const record = typeof code === 'string' ? this.#codes.get(code) : undefined;
    if (!record || record.used || record.clientId !== clientId) {
      return { status: 400, error: 'invalid_grant', error_description: 'Invalid authorization code' };
    }
    if (this.#clock.now() - record.issuedAt > CODE_TTL_SECONDS * 1000) {
      // Atlassian answers a stale code with invalid_request rather than invalid_grant.
      return { status: 400, error: 'invalid_request', error_description: 'Authorization code has expired' };
    }
    if (record.redirectUri !== redirectUri) {
      return { status: 400, error: 'invalid_grant', error_description: 'redirect_uri does not match' };
    }
    record.used = true;
    const family: TokenFamily = {
      id: opaqueToken(12),
      clientId,
      scopes: record.scopes,
      cloudIds: record.cloudIds,
      accountId: record.accountId,
      createdAt: this.#clock.now(),
      revoked: false,
    };
    this.#families.set(family.id, family);
    return this.#issue(family);
  }

  /** Rotates a refresh token; reuse of a rotated-out one past the leeway revokes the whole family. */
  refresh(token: unknown, clientId: string): IssuedTokens | GrantFailure {
    const record = typeof token === 'string' ? this.#refreshTokens.get(token) : undefined;
    const family = record && this.#families.get(record.familyId);
    if (!record || !family || family.revoked || family.clientId !== clientId) return unknownRefreshToken;
    const now = this.#clock.now();
    const expired =
      now - record.issuedAt > REFRESH_INACTIVITY_SECONDS * 1000 ||
      now - family.createdAt > REFRESH_ABSOLUTE_SECONDS * 1000;
    if (expired) return unknownRefreshToken;
    if (record.rotatedAt !== undefined && now - record.rotatedAt > REFRESH_REUSE_LEEWAY_SECONDS * 1000) {
      this.revokeFamily(family.id);
      return unknownRefreshToken;
    }
    record.rotatedAt ??= now;
    return this.#issue(family);
  }

  /** The live family behind an access token, or undefined when it is unknown, expired or revoked. */
  familyOfAccessToken(token: string | undefined): TokenFamily | undefined {
    const record = token ? this.#accessTokens.get(token) : undefined;
    if (!record || record.expiresAt <= this.#clock.now()) return undefined;
    const family = this.#families.get(record.familyId);
    return family && !family.revoked ? family : undefined;
  }

  /**
   * Whether Atlassian ever issued this access token: api.atlassian.com answers a token it issued but
   * that has since expired or been revoked differently from one it never saw (docs/reference/atlassian/FACTS.md).
   */
  wasIssued(token: string | undefined): boolean {
    return token !== undefined && this.#accessTokens.has(token);
  }

  /** Expires one access token, or all of them when none is named; returns how many changed. */
  expireAccessTokens(token?: string): number {
    const now = this.#clock.now();
    let count = 0;
    for (const [key, record] of this.#accessTokens) {
      if ((token === undefined || key === token) && record.expiresAt > now) {
        record.expiresAt = now;
        count++;
      }
    }
    return count;
  }

  /** Revokes the family of a refresh or access token; returns false when the token is unknown. */
  revokeByToken(token: string): boolean {
    const familyId = this.#refreshTokens.get(token)?.familyId ?? this.#accessTokens.get(token)?.familyId;
    if (!familyId) return false;
    this.revokeFamily(familyId);
    return true;
  }

  revokeFamily(familyId: string): void {
    const family = this.#families.get(familyId);
    if (family) family.revoked = true;
  }

  revokeAll(): number {
    let count = 0;
    for (const family of this.#families.values()) {
      if (!family.revoked) count++;
      family.revoked = true;
    }
    return count;
  }

  /** Every code and token value issued since the last reset, for tests that look for leaks. */
  issuedValues(): string[] {
    return [...this.#codes.keys(), ...this.#accessTokens.keys(), ...this.#refreshTokens.keys()];
  }

  summary() {
    const families = [...this.#families.values()];
    return {
      families: families.length,
      revoked_families: families.filter((f) => f.revoked).length,
      access_tokens: this.#accessTokens.size,
      refresh_tokens: this.#refreshTokens.size,
    };
  }

  #issue(family: TokenFamily): IssuedTokens {
    const now = this.#clock.now();
    const accessToken = opaqueToken();
    this.#accessTokens.set(accessToken, {
      familyId: family.id,
      expiresAt: now + this.accessTokenTtlSeconds * 1000,
    });
    const issued: IssuedTokens = {
      access_token: accessToken,
      expires_in: this.accessTokenTtlSeconds,
      scope: family.scopes.join(' '),
      token_type: 'Bearer',
    };
    if (family.scopes.includes('offline_access')) {
      const refreshToken = opaqueToken();
      this.#refreshTokens.set(refreshToken, { familyId: family.id, issuedAt: now });
      issued.refresh_token = refreshToken;
    }
    return issued;
  }
}
