import { createMiddleware } from 'hono/factory';
import { ApiError } from '../lib/errors.ts';
import type { AppEnv } from './caller.ts';

/** The binding's window (wrangler.toml `[[ratelimits]]`, `period`): how long a refused client waits. */
const PERIOD_SECONDS = 60;

/**
 * An abuse limit on the routes anyone may call without a token that write to KV or a Durable Object
 * (MCP client registration, the authorization endpoint, the connect link): counted per client
 * address and route by Workers' Rate Limiting binding. Without it a script could spend the account's
 * daily KV writes (about a thousand on the free plan) and stop every integration's writes for the
 * day. The count is per Cloudflare location and approximate, which suits an abuse limit.
 *
 * Cloudflare always sets CF-Connecting-IP at its edge, to the client's public address. A request
 * without it or from a loopback address (`wrangler dev`, the sandbox, the test suites) and a
 * deployment without the binding are not limited.
 */
export const signInLimit = createMiddleware<AppEnv>(async (c, next) => {
  const address = c.req.header('cf-connecting-ip');
  const limiter = c.env.SIGN_IN_RATE_LIMIT;
  if (address && limiter && !isLoopback(address)) {
    const { success } = await limiter.limit({ key: `${c.req.path}|${address}` });
    if (!success) {
      throw new ApiError(
        'rate_limited',
        `Too many sign-in requests from this address. Wait ${PERIOD_SECONDS} seconds and try again.`,
        { retryAfterSeconds: PERIOD_SECONDS },
      );
    }
  }
  await next();
});

function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === '::ffff:127.0.0.1';
}
