import type { Context } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { KeyRing } from '../vault/crypto.ts';
import { randomSecret, sha256Hex } from '../vault/crypto.ts';

/**
 * Binds a connect flow to the browser that started it (Atlassian's 3LO has no PKCE, so `state` plus
 * this cookie is the whole CSRF defence). The cookie carries a random browser id, HMAC-signed with a
 * key derived (HKDF-SHA-256, info below) from the first TOKEN_ENCRYPTION_KEYS key; any key of the
 * ring verifies, so adding a key does not break flows in progress. The OAuth state and the pending
 * site choice store the SHA-256 of the browser id, and the callback and finalize steps refuse a
 * browser whose cookie does not carry it: a link or form replayed in another browser goes nowhere.
 */
const COOKIE_NAME = 'confluence_connect';
/** Only the connect routes see it. */
const COOKIE_PATH = '/integrations/confluence';
/** Long enough for the consent (state: 10 min) and the site choice (15 min) that follow. */
const COOKIE_MAX_AGE_SECONDS = 60 * 60;
const HKDF_INFO = new TextEncoder().encode('confluence-agent-gateway/connect-cookie/v1');

const derivedSecrets = new WeakMap<Uint8Array, Promise<ArrayBuffer>>();

function cookieSecret(raw: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  let secret = derivedSecrets.get(raw);
  if (!secret) {
    secret = crypto.subtle
      .importKey('raw', raw, 'HKDF', false, ['deriveBits'])
      .then((key) =>
        crypto.subtle.deriveBits(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: HKDF_INFO },
          key,
          256,
        ),
      );
    derivedSecrets.set(raw, secret);
  }
  return secret;
}

/** The browser id of the request's cookie when its signature verifies under a key of the ring. */
export async function readBrowserId(c: Context, ring: KeyRing): Promise<string | undefined> {
  for (const key of ring) {
    const value = await getSignedCookie(c, await cookieSecret(key.raw), COOKIE_NAME);
    if (typeof value === 'string' && /^[A-Za-z0-9_-]{32,}$/.test(value)) return value;
  }
  return undefined;
}

/**
 * The browser id of this request, created when the browser has none (or an invalid one), and the
 * cookie (re)set either way. Reusing an existing id lets two tabs of one browser connect at once.
 */
export async function bindBrowser(c: Context, ring: KeyRing): Promise<string> {
  const [current] = ring;
  if (!current) throw new Error('the key ring is empty');
  const browserId = (await readBrowserId(c, ring)) ?? randomSecret(32);
  await setSignedCookie(c, COOKIE_NAME, browserId, await cookieSecret(current.raw), {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: COOKIE_MAX_AGE_SECONDS,
  });
  return browserId;
}

/** What a state or pending connection stores: the hash, so a KV dump cannot forge the cookie. */
export function browserHash(browserId: string): Promise<string> {
  return sha256Hex(`browser:${browserId}`);
}
