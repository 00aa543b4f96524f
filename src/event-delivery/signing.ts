import { fromBase64Url, toBase64 } from '../lib/base64.ts';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is `whsec_` and the
 * base64 of a random key; each attempt signs `<webhook-id>.<webhook-timestamp>.<body>` with
 * HMAC-SHA256 and sends `v1,<base64 signature>`. Any Standard Webhooks verifier accepts it.
 */
const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

/** A new signing secret: 32 random bytes, in the format receivers' libraries expect. */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The three headers that let the receiver check who sent `body`, and when. */
export async function signatureHeaders(
  secret: string,
  webhookId: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<string, string>> {
  const key = await crypto.subtle.importKey(
    'raw',
    fromBase64Url(secret.slice(SECRET_PREFIX.length)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign(
    'HMAC',
    key,
    encoder.encode(`${webhookId}.${timestampSeconds}.${body}`),
  );
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${toBase64(new Uint8Array(signature))}`,
  };
}
