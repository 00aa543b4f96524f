import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { bearerToken } from '../oauth/accessible-resources.ts';
import type { EmulatorState } from '../state.ts';
import { gatewayError, v1Error, v2NotFound } from './errors.ts';

/**
 * What api.atlassian.com checks before Confluence sees a call: a live access token, a Confluence site
 * with that cloud id (404), a consent covering the site (401), and one of the operation's scopes
 * (401 "scope does not match").
 *
 * A token it never issued gets 401. One it issued that has since expired or been revoked does not:
 * as observed in 2026 (docs/reference/atlassian/FACTS.md), v2 paths answer it with the same 404 a missing object gets and v1
 * paths with 403, so a client cannot tell "token died" from "not there" by the answer alone.
 */
export function requireAccess(
  state: EmulatorState,
  scopes: readonly string[],
): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const family = state.grants.familyOfAccessToken(token);
    if (!family && state.grants.wasIssued(token)) {
      return c.req.path.includes('/wiki/api/v2/') ? v2NotFound(c) : v1Error(c, 403, 'Forbidden');
    }
    if (!family) return gatewayError(c, 401, 'Unauthorized');
    const site = state.site(c.req.param('cloudId') ?? '');
    if (site?.product !== 'confluence') return gatewayError(c, 404, 'Not Found');
    if (!family.cloudIds.includes(site.id)) return gatewayError(c, 401, 'Unauthorized');
    if (!scopes.some((scope) => family.scopes.includes(scope))) {
      return gatewayError(c, 401, 'Unauthorized; scope does not match');
    }
    c.set('site', site);
    c.set('family', family);
    c.set('store', state.content(site));
    c.set('now', state.clock.nowIso());
    await next();
  };
}
