import { randomBytes } from 'node:crypto';

/**
 * An opaque, unguessable credential (authorization code, access or refresh token).
 * Long enough that a test can search a KV dump for it without false hits.
 */
export function opaqueToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}
