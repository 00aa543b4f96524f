import { createMiddleware } from 'hono/factory';
import { requireConfig } from '../config.ts';
import { ApiError } from '../lib/errors.ts';
import { timingSafeEqualText } from '../vault/crypto.ts';
import type { AppEnv } from './caller.ts';

/** The bearer token of a request, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export function isServiceToken(token: string, serviceToken: string): boolean {
  return timingSafeEqualText(token, serviceToken);
}

/** Only the trusted backend: `Authorization: Bearer <SERVICE_API_TOKEN>`, compared in constant time. */
export const serviceAuth = createMiddleware<AppEnv>(async (c, next) => {
  const { SERVICE_API_TOKEN } = requireConfig(c.env, ['SERVICE_API_TOKEN']);
  const token = bearerToken(c.req.header('authorization'));
  if (!token || !isServiceToken(token, SERVICE_API_TOKEN)) {
    throw new ApiError(
      'unauthorized',
      token
        ? 'The bearer token is not the service API token.'
        : 'Send the service API token as "Authorization: Bearer <SERVICE_API_TOKEN>".',
    );
  }
  c.set('caller', { kind: 'service' });
  await next();
});
