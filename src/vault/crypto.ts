import type { Config } from '../config.ts';
import { fromBase64Url, toBase64Url } from '../lib/base64.ts';

/**
 * Sealed values: AES-256-GCM under the key ring of TOKEN_ENCRYPTION_KEYS.
 *
 * Format: `v1.<key id>.<iv>.<ciphertext+tag>` (base64url). The key id travels with the value so
 * that adding a new first key never strands old records: any key of the ring opens them, and the
 * next write re-seals under the first key. The caller's `context` (for tokens: the integration id)
 * is bound as additional authenticated data, so a value copied onto another record fails to open
 * instead of lending one integration's tokens to another.
 */
export type KeyRing = Config['TOKEN_ENCRYPTION_KEYS'];

const VERSION = 'v1';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Importing a key costs more than a seal; keep one CryptoKey per ring entry for the isolate's life.
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function cryptoKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  let key = importedKeys.get(raw);
  if (!key) {
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    importedKeys.set(raw, key);
  }
  return key;
}

export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
}

export async function seal(ring: KeyRing, context: string, plaintext: string): Promise<string> {
  const [current] = ring;
  if (!current) throw new SealedValueError('the key ring is empty');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    await cryptoKey(current.raw),
    encoder.encode(plaintext),
  );
  return [VERSION, current.id, toBase64Url(iv), toBase64Url(new Uint8Array(ciphertext))].join('.');
}

export async function open(ring: KeyRing, context: string, sealed: string): Promise<string> {
  const [version, keyId, iv, ciphertext] = sealed.split('.');
  const entry = ring.find((key) => key.id === keyId);
  if (version !== VERSION || !entry || !iv || !ciphertext) {
    throw new SealedValueError(`no key in TOKEN_ENCRYPTION_KEYS opens this value (key id ${keyId ?? '?'})`);
  }
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: encoder.encode(context) },
      await cryptoKey(entry.raw),
      fromBase64Url(ciphertext),
    );
    return decoder.decode(plaintext);
  } catch {
    throw new SealedValueError('a sealed value failed authentication (wrong key or wrong record)');
  }
}

/** Whether a sealed value was written under an older key and should be re-sealed on the next write. */
export function sealedUnderOldKey(ring: KeyRing, sealed: string): boolean {
  return sealed.split('.')[1] !== ring[0]?.id;
}

/** SHA-256, hex: how agent tokens and webhook secrets are stored (a hash, never the secret). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Compares two strings in time that depends only on their lengths, not on where they differ: every
 * code unit is visited and the differences are OR-ed together, with no early exit. (It runs on
 * every authenticated request; workerd's crypto.subtle.timingSafeEqual needs both sides encoded
 * to bytes first, which costs more than the comparison itself.)
 */
export function timingSafeEqualText(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    // Out-of-range reads give NaN, which `| 0` turns into 0: the loop shape never depends on the data.
    difference |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return difference === 0;
}

/** A random, URL-safe secret of `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
